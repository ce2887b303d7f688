import type { HudView } from './hud-view';

/** The HUD's lines, in the order the page lays them out (the keys of {@link HudView}). */
export const HUD_LINES = [
  'title',
  'phase',
  'clock',
  'speed',
  'next',
  'lap',
  'position',
  'split',
  'vsBest',
  'vsLeader',
  'result',
  'standing',
  'upNext',
] as const satisfies readonly (keyof HudView)[];

/**
 * The HUD page: one element per line, filled by the script. Nothing in it comes from the race;
 * names and texts arrive over the event stream and go in as text nodes.
 */
export const HUD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gw2race HUD</title>
<link rel="stylesheet" href="/hud.css">
<script src="/hud.js" defer></script>
</head>
<body>
<main class="hud" aria-live="polite">
${HUD_LINES.map((key) => `<div class="line ${key}" data-hud="${key}"></div>`).join('\n')}
<div class="line link" data-hud-link></div>
</main>
</body>
</html>
`;

/**
 * Transparent (an OBS browser source or a borderless window over the game shows what is behind
 * it), big type with a dark outline so it reads over any scene. `?size=N` on the URL scales it.
 */
export const HUD_CSS = `html, body { margin: 0; background: transparent; overflow: hidden; }
body { font: 700 28px/1.15 "Segoe UI", system-ui, sans-serif; color: #fff;
  text-shadow: 0 0 3px #000, 0 0 3px #000, 2px 2px 4px #000; }
.hud { display: flex; flex-direction: column; align-items: flex-start; gap: 0.1em; padding: 0.4em 0.6em; }
.line:empty { display: none; }
.title { font-size: 0.7em; opacity: 0.85; }
.phase { font-size: 0.8em; letter-spacing: 0.08em; }
.clock { font-size: 2.6em; font-variant-numeric: tabular-nums; }
.speed, .next, .lap, .position { font-size: 1.2em; font-variant-numeric: tabular-nums; }
.position { font-size: 1.8em; }
.split { font-size: 1.1em; font-variant-numeric: tabular-nums; }
.vsBest, .vsLeader { font-size: 1.5em; font-variant-numeric: tabular-nums; }
.result { font-size: 1.6em; }
.standing, .upNext { font-size: 1em; }
.link { font-size: 0.7em; color: #ffcf4a; }
[data-tone="ahead"] { color: #3ddc6b; }
[data-tone="behind"] { color: #ff4d4d; }
[data-tone="alert"] { color: #ffcf4a; }
`;

/**
 * The page's script, run in the browser: it follows the racer's event stream and puts each
 * line's text in its element (text only, never markup). Self-contained: it is sent as its own
 * source text, so it may use nothing from outside its body.
 */
function hudScript(): void {
  const size = Number(new URLSearchParams(location.search).get('size'));
  if (size > 0 && size <= 10) document.body.style.fontSize = `${28 * size}px`;
  const link = document.querySelector('[data-hud-link]') as HTMLElement;
  const show = (view: Record<string, { text?: unknown; tone?: unknown } | undefined>) => {
    for (const element of document.querySelectorAll<HTMLElement>('[data-hud]')) {
      const line = view[element.dataset.hud ?? ''];
      const text = typeof line?.text === 'string' ? line.text : '';
      if (element.textContent !== text) element.textContent = text;
      const tone = typeof line?.tone === 'string' ? line.tone : '';
      if (tone) element.dataset.tone = tone;
      else delete element.dataset.tone;
    }
  };
  const events = new EventSource('/events');
  events.onmessage = (message) => {
    link.textContent = '';
    try {
      show(JSON.parse(message.data));
    } catch {
      link.textContent = 'HUD: a bad update from gw2race-racer';
    }
  };
  // EventSource reconnects by itself; say so while the racer is away.
  events.onerror = () => {
    link.textContent = 'HUD: waiting for gw2race-racer…';
  };
}

/**
 * The script's source, as served at `/hud.js`. A transpiler that keeps function names (esbuild's
 * `keepNames`, which tsx turns on) wraps inner functions in a `__name` helper defined outside
 * the function: the stand-in makes the source run either way.
 */
export const HUD_JS = `(() => {\n  const __name = (target) => target;\n  (${hudScript.toString()})();\n})();\n`;
