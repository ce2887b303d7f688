import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HUD_HTML, HUD_JS, HUD_LINES } from '../hud-page';

/** The page's elements as the script sees them: `data-hud` name, text and tone. */
function fakePage() {
  const elements = HUD_LINES.map((key) => ({
    dataset: { hud: key } as Record<string, string | undefined>,
    textContent: '',
  }));
  const link = { dataset: {}, textContent: '' };
  const sources: {
    url: string;
    onmessage?: (m: { data: string }) => void;
    onerror?: () => void;
  }[] = [];
  const context = {
    location: { search: '' },
    URLSearchParams,
    document: {
      body: { style: {} },
      querySelector: () => link,
      querySelectorAll: () => elements,
    },
    EventSource: class {
      onmessage?: (m: { data: string }) => void;
      onerror?: () => void;
      constructor(readonly url: string) {
        sources.push(this);
      }
    },
  };
  return { elements, link, sources, context };
}

describe('the HUD page', () => {
  it('has one element per HUD line', () => {
    for (const key of HUD_LINES) expect(HUD_HTML).toContain(`data-hud="${key}"`);
  });

  it('its script follows /events and puts each line in its element as text, with its tone', () => {
    const page = fakePage();
    runInNewContext(HUD_JS, page.context);
    const source = page.sources[0];
    expect(source?.url).toBe('/events');
    source?.onmessage?.({
      data: JSON.stringify({
        phase: { text: 'RACING' },
        vsLeader: { text: '+0.750 vs leader', tone: 'behind' },
        title: { text: '<b>Ann</b>' },
      }),
    });
    const byKey = Object.fromEntries(page.elements.map((e) => [e.dataset.hud, e]));
    expect(byKey.phase?.textContent).toBe('RACING');
    expect(byKey.vsLeader?.textContent).toBe('+0.750 vs leader');
    expect(byKey.vsLeader?.dataset.tone).toBe('behind');
    expect(byKey.title?.textContent).toBe('<b>Ann</b>');
    expect(byKey.clock?.textContent).toBe('');
    source?.onmessage?.({ data: 'not json' });
    expect(page.link.textContent).toBe('HUD: a bad update from gw2race-racer');
    source?.onerror?.();
    expect(page.link.textContent).toBe('HUD: waiting for gw2race-racer…');
  });
});
