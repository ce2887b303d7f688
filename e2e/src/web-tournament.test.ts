import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exitOf,
  HOST_CLI,
  needs,
  SHORT_TRACK,
  start,
  startRacer,
  stopAll,
  tempDir,
} from './harness';
import { ARTIFACTS, hookOf, launchChromium, waitForHook, watchProblems } from './web-browser';

afterAll(stopAll);

/** A name with markup in it: the pages must show it as text, never as elements. */
const ANN = 'Ann <i>A</i>';

/** A heat of three, and a final of its top two. */
const CUP = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'Viewer Cup',
  races: [
    {
      id: 'wt-heat',
      name: 'Heat 1',
      kind: 'heat',
      track: SHORT_TRACK,
      entry: {
        type: 'fixed',
        players: [
          { playerId: 'ann', name: ANN },
          { playerId: 'bob', name: 'Bob' },
          { playerId: 'cat', name: 'Cat' },
        ],
      },
    },
    {
      id: 'wt-final',
      name: 'Final',
      kind: 'final',
      track: SHORT_TRACK,
      entry: { type: 'qualified', from: ['wt-heat'], top: 2 },
    },
  ],
};

/** Each racer: id, name, bot speed (m/s), far enough apart that the order is certain. */
const RACERS: [string, string, number][] = [
  ['ann', ANN, 30],
  ['bob', 'Bob', 20],
  ['cat', 'Cat', 13],
];

/** The text of each row's cells of a table body. */
function rowsOf(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  );
}

/** Position, racer and points of the standings page's rows. */
async function standingsOf(page: Page): Promise<string[][]> {
  return (await rowsOf(page, '[data-testid=standings] tbody')).map((cells) => cells.slice(0, 3));
}

/** The name and the figure of an overlay's rows (after the colour bar and position). */
async function overlayOf(page: Page, selector: string): Promise<string[][]> {
  return (await rowsOf(page, selector)).map((cells) => cells.slice(1));
}

describe.skipIf(!needs('chromium'))('the tournament on the viewer', () => {
  it('shows the standings, the next grid and each race’s results, live as races end, on any screen', async () => {
    const dir = tempDir();
    const file = join(dir, 'cup.tournament.json');
    writeFileSync(file, JSON.stringify(CUP));
    const host = start('host tournament', HOST_CLI, [
      'tournament',
      file,
      '--out',
      join(dir, 'out'),
      '--no-ntp',
      '--port',
      '0',
      '--http-port',
      '0',
      '--auto-start',
      'all',
      '--start-delay',
      '2',
      '--auto-advance',
      '8',
      '--finish-timeout',
      '60',
    ]);
    const viewer = (await host.waitFor(/viewer: (http:\/\/\S+\/)/))[1] as string;
    const url = (await host.waitFor(/race wt-heat is open on (mqtt:\/\/[\d.]+:\d+)/))[1] as string;
    const browser = await launchChromium();
    try {
      // Before the first race: everyone entered by name at 0, the heat running, its grid from the file.
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${viewer}standings`);
      await waitForHook(page, "h.view === 'standings' && h.standings && h.standings.updates > 0");
      await expect(page.textContent('[data-testid=tournament]')).resolves.toBe('Viewer Cup');
      await expect(page.textContent('[data-testid=progress]')).resolves.toBe(
        'now: Heat 1 · next: Final',
      );
      expect(await standingsOf(page)).toEqual([
        ['1=', ANN, '0'],
        ['1=', 'Bob', '0'],
        ['1=', 'Cat', '0'],
      ]);
      // Text, not markup: the name's <i> is characters on the page.
      expect(await page.$$('[data-testid=standings] i')).toEqual([]);
      await expect(page.textContent('[data-testid=next-grid]')).resolves.toBe(
        `Heat 1 grid: ${ANN}, Bob, Cat`,
      );

      // The live page of the race running now links to the standings.
      const live = await browser.context.newPage();
      await live.goto(`${viewer}?tiles=off`);
      await waitForHook(live, "h.view === 'live' && h.raceId === 'wt-heat'");
      await live.click('[data-testid=standings-link]');
      await waitForHook(live, "h.view === 'standings' && h.standings && h.standings.updates > 0");
      await expect(live.textContent('[data-testid=tournament]')).resolves.toBe('Viewer Cup');
      await live.close();

      const grid = await browser.context.newPage();
      const gridProblems = watchProblems(grid);
      await grid.goto(`${viewer}overlay/grid`);
      await waitForHook(grid, 'h.standings && h.standings.updates > 0');
      await expect(grid.textContent('[data-testid=overlay-race]')).resolves.toBe('Heat 1');
      expect(await overlayOf(grid, '[data-testid=overlay-grid]')).toEqual([
        ['1', ANN, '0 pts'],
        ['2', 'Bob', '0 pts'],
        ['3', 'Cat', '0 pts'],
      ]);
      const finalGrid = await browser.context.newPage();
      await finalGrid.goto(`${viewer}overlay/grid?race=wt-final`);
      await waitForHook(finalGrid, 'h.standings && h.standings.updates > 0');
      await expect(finalGrid.textContent('[data-testid=overlay-stage]')).resolves.toBe(
        'grid once qualifying has run',
      );
      const overlay = await browser.context.newPage();
      const overlayProblems = watchProblems(overlay);
      await overlay.goto(`${viewer}overlay/standings?rows=2`);
      await waitForHook(overlay, 'h.standings && h.standings.updates > 0');
      expect(await overlayOf(overlay, '[data-testid=overlay-standings]')).toEqual([
        ['1=', ANN, '0 pts'],
        ['1=', 'Bob', '0 pts'],
      ]);
      // Transparent for OBS.
      expect(await overlay.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
        'rgba(0, 0, 0, 0)',
      );

      // A phone: the table scrolls within its box, the page does not spill sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      const fit = await page.evaluate(() => {
        const box = (s: string) => document.querySelector(s)?.getBoundingClientRect().toJSON();
        return {
          pageWidth: document.documentElement.scrollWidth,
          header: box('header.top'),
          wrap: box('.table-wrap'),
          progress: box('[data-testid=progress]'),
        };
      });
      expect(fit.pageWidth, JSON.stringify(fit)).toBeLessThanOrEqual(390);
      expect(fit.wrap.x + fit.wrap.width, JSON.stringify(fit)).toBeLessThanOrEqual(390.5);
      expect(fit.wrap.height, JSON.stringify(fit)).toBeGreaterThan(60);
      expect(fit.header.y + fit.header.height).toBeLessThanOrEqual(fit.progress.y + 0.5);
      await page.screenshot({ path: join(ARTIFACTS, 'web-tournament-standings-390x844.png') });
      await page.setViewportSize({ width: 1400, height: 860 });

      const racers = RACERS.map(([id, name, speed]) =>
        startRacer('wt-heat', url, name, [
          '--player',
          id,
          '--sim-speed',
          String(speed),
          '--wait-for-race',
          '300',
        ]),
      );

      // After the heat: its points, and the final's grid from qualification, live.
      await waitForHook(page, "h.standings.done.includes('wt-heat')", 180_000);
      expect(await standingsOf(page)).toEqual([
        ['1', ANN, '25'],
        ['2', 'Bob', '18'],
        ['3', 'Cat', '15'],
      ]);
      await waitForHook(finalGrid, "h.standings.done.includes('wt-heat')", 30_000);
      await expect(finalGrid.textContent('[data-testid=overlay-stage]')).resolves.toBe('grid');
      expect(await overlayOf(finalGrid, '[data-testid=overlay-grid]')).toEqual([
        ['1', ANN, '25 pts'],
        ['2', 'Bob', '18 pts'],
      ]);
      await page.screenshot({ path: join(ARTIFACTS, 'web-tournament-after-heat.png') });

      // The heat's results: the page, the results file and the replay of its recording.
      const results = await browser.context.newPage();
      const resultsProblems = watchProblems(results);
      await results.goto(`${viewer}standings?tiles=off`);
      await waitForHook(results, "h.standings && h.standings.done.includes('wt-heat')");
      await results.click('th[data-race=wt-heat] a');
      await results.waitForSelector('[data-testid=race-results]');
      expect(
        (await rowsOf(results, '[data-testid=race-results] tbody')).map((c) => [c[0], c[1], c[3]]),
      ).toEqual([
        ['1', ANN, '25'],
        ['2', 'Bob', '18'],
        ['3', 'Cat', '15'],
      ]);
      const href = await results.getAttribute('[data-testid=results-json]', 'href');
      const json = await results.request.get(new URL(href ?? '', viewer).toString());
      expect(json.status()).toBe(200);
      const heat = (await json.json()) as { raceId: string; ranking: { playerId: string }[] };
      expect([heat.raceId, heat.ranking.map((r) => r.playerId)]).toEqual([
        'wt-heat',
        ['ann', 'bob', 'cat'],
      ]);
      await results.click('[data-testid=race-replay]');
      await waitForHook(results, "h.view === 'replay' && h.ready && h.endMs > 0");
      expect((await hookOf(results)).raceId).toBe('wt-heat');
      await results.screenshot({ path: join(ARTIFACTS, 'web-tournament-replay.png') });
      // A bad race id is refused by the host, naming the reason.
      const bad = await results.request.get(`${viewer}api/races/..%2Fsecret/recording`);
      expect(bad.status()).toBe(400);

      // After the final (the host has gone): the pages keep the final standings and say so.
      expect(await exitOf(host, 300_000)).toBe(0);
      for (const racer of racers) expect(await exitOf(racer, 30_000)).toBe(0);
      await waitForHook(page, "h.standings.done.includes('wt-final') && h.standings.error", 30_000);
      expect(await standingsOf(page)).toEqual([
        ['1', ANN, '50'],
        ['2', 'Bob', '36'],
        ['3', 'Cat', '15'],
      ]);
      await expect(page.textContent('[data-testid=progress]')).resolves.toBe(
        'every race has run: final standings',
      );
      await waitForHook(overlay, "h.standings.done.includes('wt-final')", 30_000);
      expect(await overlayOf(overlay, '[data-testid=overlay-standings]')).toEqual([
        ['1', ANN, '50 pts'],
        ['2', 'Bob', '36 pts'],
      ]);
      await expect(overlay.textContent('[data-testid=overlay-stage]')).resolves.toBe(
        'final standings',
      );
      await overlay.screenshot({
        path: join(ARTIFACTS, 'web-tournament-overlay.png'),
        omitBackground: true,
      });
      const offline = (p: string) => /request failed|ERR_CONNECTION_REFUSED/.test(p);
      expect(problems.filter((p) => !offline(p))).toEqual([]);
      expect(gridProblems.filter((p) => !offline(p))).toEqual([]);
      expect(overlayProblems.filter((p) => !offline(p))).toEqual([]);
      expect(resultsProblems.filter((p) => !p.includes('/api/races/..'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
