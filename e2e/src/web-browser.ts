import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { ViewerHook } from '../../apps/web/src/ui/test-hook';

/** Debian's Chromium (installed by .ci/run); playwright-core never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests keep their screenshots and downloads (gitignored; see apps/web/README.md). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** A headless Chromium with a fresh profile; `close()` removes the profile. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'gw2race-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Problems a page reported: console errors, uncaught exceptions, failed or refused requests. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    // The organizer controls' refusals are expected answers, not broken requests.
    if (response.status() >= 400 && !response.url().endsWith('/api/control'))
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** The viewer's test hook (`window.__gw2race`): the viewer's own type, so the two cannot drift. */
export type Hook = ViewerHook;

/** Reads the hook. */
export function hookOf(page: Page): Promise<Hook> {
  return page.evaluate(() =>
    JSON.parse(JSON.stringify((window as unknown as { __gw2race: unknown }).__gw2race)),
  );
}

/**
 * Waits until the hook satisfies a condition (an expression of `h`, the hook). The condition is
 * checked here, on each animation frame's copy of the hook: the viewer's Content-Security-Policy
 * (no 'unsafe-eval') refuses the string `waitForFunction` would evaluate in the page.
 */
export async function waitForHook(page: Page, condition: string, timeout = 20_000): Promise<void> {
  const holds = new Function('h', `return Boolean(h && (${condition}));`) as (
    h: unknown,
  ) => boolean;
  const deadline = performance.now() + timeout;
  for (;;) {
    const hook = await page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          requestAnimationFrame(() => {
            const h = (window as unknown as { __gw2race?: unknown }).__gw2race;
            resolve(h === undefined ? undefined : JSON.parse(JSON.stringify(h)));
          }),
        ),
    );
    if (holds(hook)) return;
    if (performance.now() > deadline)
      throw new Error(`waitForHook: "${condition}" did not hold within ${timeout} ms`);
  }
}

/**
 * The colour of the map canvas's pixel at a point (CSS pixels): what was really drawn there.
 */
export function pixelAt(
  page: Page,
  x: number,
  y: number,
): Promise<[number, number, number, number]> {
  return page.evaluate(
    ([px, py]) => {
      const canvas = document.querySelector('canvas.map-canvas') as HTMLCanvasElement;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const data = canvas
        .getContext('2d')
        ?.getImageData(Math.round(px * scale), Math.round(py * scale), 1, 1).data;
      return [data?.[0] ?? 0, data?.[1] ?? 0, data?.[2] ?? 0, data?.[3] ?? 0] as [
        number,
        number,
        number,
        number,
      ];
    },
    [x, y] as const,
  );
}

/**
 * The racers the hook says are on the map, each with the canvas pixel at its screen position,
 * read in one go (the same frame: live positions move between frames).
 */
export function drawnRacers(page: Page): Promise<(Hook['racers'][number] & { pixel: number[] })[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas.map-canvas') as HTMLCanvasElement;
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const ctx = canvas.getContext('2d');
    const hook = (window as unknown as { __gw2race: Hook }).__gw2race;
    return hook.racers.map((r) => {
      const data = ctx?.getImageData(
        Math.round(r.screenX * scale),
        Math.round(r.screenY * scale),
        1,
        1,
      ).data;
      return { ...r, pixel: [data?.[0] ?? 0, data?.[1] ?? 0, data?.[2] ?? 0, data?.[3] ?? 0] };
    });
  });
}

/** True when every racer's pixel has its colour, or the colour of a racer drawn over it. */
export function everyRacerDrawn(racers: Awaited<ReturnType<typeof drawnRacers>>): boolean {
  return racers.every((racer) =>
    racers
      .filter((r) => Math.hypot(r.screenX - racer.screenX, r.screenY - racer.screenY) < 7)
      .some((r) => sameColor(racer.pixel, rgb(r.color))),
  );
}

/** `#rrggbb` → rgb. */
export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** True when two colours are within `tolerance` on every channel. */
export function sameColor(a: readonly number[], b: readonly number[], tolerance = 12): boolean {
  return [0, 1, 2].every((i) => Math.abs((a[i] as number) - (b[i] as number)) <= tolerance);
}
