import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CLI, needs, SHORT_TRACK, start, startHost, startRacer, stopAll } from './harness';
import { raceFiles } from './results';
import { ARTIFACTS, hookOf, launchChromium, waitForHook, watchProblems } from './web-browser';

afterAll(stopAll);

/** A box on the page (CSS px), or null when the element is missing or not laid out. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(page: Page, selector: string): Promise<Box | null> {
  const element = await page.$(selector);
  return element ? element.boundingBox() : null;
}

function overlap(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width - 0.5 &&
    b.x < a.x + a.width - 0.5 &&
    a.y < b.y + b.height - 0.5 &&
    b.y < a.y + a.height - 0.5
  );
}

/** The boxes of the map, the side panel (ranking and tabs), the map's toolbar and the transport. */
async function layout(page: Page) {
  return {
    map: await boxOf(page, '.map'),
    side: await boxOf(page, 'aside.side'),
    ranking: await boxOf(page, '[data-testid=ranking]'),
    tools: await boxOf(page, '.map-tools'),
    timeline: await boxOf(page, '[data-testid=timeline]'),
    viewport: page.viewportSize(),
  };
}

/** The map, the ranking and (in a replay) the timeline have room of their own and cover nothing. */
function expectSensibleLayout(shown: Awaited<ReturnType<typeof layout>>, replay: boolean) {
  const { map, side, ranking, tools, timeline, viewport } = shown;
  const label = JSON.stringify(shown);
  expect(map, label).not.toBeNull();
  expect(side, label).not.toBeNull();
  expect(ranking, label).not.toBeNull();
  expect(tools, label).not.toBeNull();
  if (!map || !side || !ranking || !tools || !viewport) return;
  expect(map.width, label).toBeGreaterThanOrEqual(Math.min(320, viewport.width * 0.6));
  expect(map.height, label).toBeGreaterThanOrEqual(200);
  expect(ranking.width, label).toBeGreaterThanOrEqual(Math.min(300, viewport.width * 0.6));
  expect(side.height, label).toBeGreaterThanOrEqual(150);
  expect(overlap(map, side), label).toBe(false);
  expect(overlap(tools, side), label).toBe(false);
  expect(overlap(tools, ranking), label).toBe(false);
  // Everything on the screen.
  for (const box of [map, side, tools])
    expect(box.x + box.width, label).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(map.y + map.height, label).toBeLessThanOrEqual(viewport.height + 0.5);
  if (replay) {
    expect(timeline, label).not.toBeNull();
    if (!timeline) return;
    expect(timeline.width, label).toBeGreaterThanOrEqual(Math.min(300, viewport.width * 0.75));
    expect(overlap(timeline, side), label).toBe(false);
    expect(overlap(timeline, map), label).toBe(false);
    expect(timeline.y + timeline.height, label).toBeLessThanOrEqual(viewport.height + 0.5);
  }
}

/** The log's lines, oldest first (it shows the newest first). */
async function logLines(page: Page): Promise<string[]> {
  await page.click('[data-tab=log]');
  const lines = await page.$$eval('[data-testid=log] div', (divs) =>
    divs.map((d) => (d.textContent ?? '').replace(/^\S+(?: [AP]M)? /, '')),
  );
  return lines.reverse();
}

describe.skipIf(!needs('chromium'))('what the viewer shows is right, on any screen', () => {
  let recording = '';

  it('live: the phase, the counts, the race so far for a late page, one colour per racer, labels apart', async () => {
    const { host, url, out } = await startHost([
      '--race',
      'web-viewer',
      '--track',
      SHORT_TRACK,
      '--start-delay',
      '30',
      '--finish-timeout',
      '2',
    ]);
    const match = await host.waitFor(
      /viewer: (http:\/\/\S+\/)\s+organizer controls: in (\S+) \(not printed/,
    );
    const viewer = match[1] as string;
    const organizerLink = readFileSync(match[2] as string, 'utf8').trim();
    const browser = await launchChromium();
    try {
      // A spectator from the beginning: nobody has started, nothing says "racing".
      const early = await browser.context.newPage();
      const earlyProblems = watchProblems(early);
      await early.goto(`${viewer}?tiles=off`);
      await waitForHook(early, "h.view === 'live' && h.connection === 'connected'");
      await waitForHook(early, "h.phase === 'waiting'");
      await expect(early.textContent('[data-testid=stage]')).resolves.toBe(
        'live · waiting for start',
      );
      // The short course: a start, 3 checkpoints and a finish: 4 to cross.
      await expect(early.textContent('[data-testid=course]')).resolves.toBe(
        ' · 4 checkpoints · 1 lap',
      );

      const racers = ['Alice', 'Bob', 'Carol'].map((name) =>
        startRacer('web-viewer', url, name, name === 'Carol' ? ['--sim-speed', '26'] : []),
      );
      for (const name of ['Alice', 'Bob', 'Carol'])
        await host.waitFor(new RegExp(`${name} joined as racer`));
      const organizer = await browser.context.newPage();
      await organizer.goto(`${organizerLink}&tiles=off`);
      await waitForHook(organizer, "h.view === 'live' && h.connection === 'connected'");
      await organizer.click('[data-tab=organizer]');
      await organizer.fill('[data-testid=message-text]', 'Viewer test: before the start');
      await organizer.click('[data-testid=send-message]');
      await organizer.waitForSelector('[data-testid=control-result].ok');
      await organizer.fill('[data-testid=start-delay]', '5');
      await organizer.click('[data-testid=start]');

      // START announced, t0 still ahead: a countdown, not a race.
      await waitForHook(early, "h.phase === 'countdown' && h.racers.length === 3");
      await expect(early.textContent('[data-testid=stage]')).resolves.toBe('live · countdown');
      // All three wait at the start: their names are drawn apart, none over another.
      await waitForHook(early, 'h.labels.length >= 2');
      const bunched = await hookOf(early);
      for (const [i, a] of bunched.labels.entries())
        for (const b of bunched.labels.slice(i + 1))
          expect(
            overlap(
              { x: a.x, y: a.y, width: a.w, height: a.h },
              { x: b.x, y: b.y, width: b.w, height: b.h },
            ),
            JSON.stringify(bunched.labels),
          ).toBe(false);
      // Nobody leads before anyone crossed a checkpoint.
      await early.click('[data-tab=ranking]');
      const positions = await early.$$eval('[data-testid=ranking] tbody td.pos', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(positions).toEqual(['–', '–', '–']);
      await early.screenshot({ path: join(ARTIFACTS, 'web-viewer-countdown.png') });

      // Racing: the first lap is lap 1, checkpoints counted out of the lap's 4.
      await waitForHook(early, "h.phase === 'racing' && h.raceTimeMs > 1500", 30_000);
      await expect(early.textContent('[data-testid=stage]')).resolves.toBe('live · racing');
      const laps = await early.$$eval('[data-testid=ranking] td[data-col=lap]', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(laps).toEqual(['1', '1', '1']);
      const cps = await early.$$eval('[data-testid=ranking] td[data-col=cp]', (tds) =>
        tds.map((td) => td.textContent ?? ''),
      );
      for (const cp of cps) expect(cp).toMatch(/^[0-4]\/4$/);

      // A page opened (or reloaded) now shows what happened before it, once each.
      const late = await browser.context.newPage();
      const lateProblems = watchProblems(late);
      await late.goto(`${viewer}?tiles=off`);
      await waitForHook(late, "h.view === 'live' && h.connection === 'connected' && h.history");
      const lines = await logLines(late);
      for (const expected of [
        'Alice joined',
        'Bob joined',
        'Carol joined',
        'Viewer test: before the start',
        'START',
      ])
        expect(
          lines.filter((l) => l === expected),
          JSON.stringify(lines),
        ).toHaveLength(1);
      expect(lines.indexOf('Viewer test: before the start')).toBeLessThan(lines.indexOf('START'));
      await late.screenshot({ path: join(ARTIFACTS, 'web-viewer-late-log.png') });

      // The same racer has the same colour live and in the replay of the race.
      await waitForHook(late, 'h.racers.length === 3');
      const liveColors = Object.fromEntries(
        (await hookOf(late)).racers.map((r) => [r.playerId, r.color]),
      );
      const sofar = await browser.context.newPage();
      await sofar.goto(`${viewer}replay?src=host&tiles=off`);
      await waitForHook(sofar, "h.view === 'replay' && h.ready && h.endMs > 0");
      await sofar.keyboard.press('End');
      await waitForHook(sofar, 'h.raceTimeMs === h.endMs && h.racers.length === 3');
      const replayColors = Object.fromEntries(
        (await hookOf(sofar)).racers.map((r) => [r.playerId, r.color]),
      );
      expect(replayColors).toEqual(liveColors);
      expect(new Set(Object.values(liveColors)).size).toBe(3);
      await sofar.close();

      // Phones and small laptops: map, ranking and toolbar each have room and cover nothing.
      for (const size of [
        { width: 390, height: 844 },
        { width: 1024, height: 640 },
      ]) {
        await late.setViewportSize(size);
        await late.click('[data-tab=ranking]');
        await waitForHook(late, 'h.frames > 0');
        expectSensibleLayout(await layout(late), false);
        await late.screenshot({
          path: join(ARTIFACTS, `web-viewer-live-${size.width}x${size.height}.png`),
        });
      }

      await waitForHook(early, "h.phase === 'finished'", 60_000);
      for (const racer of racers) await racer.exited;
      recording = raceFiles(out).recording;
      expect(earlyProblems).toEqual([]);
      expect(lateProblems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('replay: lays out on a phone and a small laptop, and the overlay follows the replay', async () => {
    expect(recording).not.toBe('');
    const replayHost = start('replay', HOST_CLI, ['replay', recording, '--http-port', '0']);
    const viewer = (
      await replayHost.waitFor(/Replay of race web-viewer at (http:\/\/\S+\/)replay/)
    )[1] as string;
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${viewer}replay?tiles=off`);
      await waitForHook(page, "h.view === 'replay' && h.ready && h.endMs > 0");
      for (const size of [
        { width: 390, height: 844 },
        { width: 1024, height: 640 },
      ]) {
        await page.setViewportSize(size);
        await waitForHook(page, 'h.frames > 0');
        expectSensibleLayout(await layout(page), true);
        await page.screenshot({
          path: join(ARTIFACTS, `web-viewer-replay-${size.width}x${size.height}.png`),
        });
      }

      // Every sector of the table can be reached: it scrolls, the racer column stays.
      await page.setViewportSize({ width: 1024, height: 640 });
      await page.click('[data-tab=analysis]');
      await page.waitForSelector('[data-testid=sectors-scroll] table.sectors');
      const reach = await page.$eval('[data-testid=sectors-scroll]', (el) => {
        el.scrollLeft = el.scrollWidth;
        const last = el.querySelector('thead th:last-child') as HTMLElement;
        const box = el.getBoundingClientRect();
        const lastBox = last.getBoundingClientRect();
        return { inside: lastBox.right <= box.right + 1 && lastBox.left >= box.left - 1 };
      });
      expect(reach.inside).toBe(true);

      // The overlay of this host follows the replay page: where it is, playing or paused.
      const overlay = await browser.context.newPage();
      const overlayProblems = watchProblems(overlay);
      await overlay.goto(`${viewer}overlay`);
      await waitForHook(overlay, "h.view === 'overlay' && h.ready");
      await expect(overlay.textContent('.o-title')).resolves.not.toMatch(/no live race/);
      await page.keyboard.press('End');
      await waitForHook(page, 'h.raceTimeMs === h.endMs && !h.playing');
      const end = (await hookOf(page)).endMs as number;
      await waitForHook(overlay, `h.following && h.raceTimeMs === ${end}`);
      await waitForHook(overlay, "h.phase === 'finished' && h.ranking.length === 3");
      await overlay.screenshot({
        path: join(ARTIFACTS, 'web-viewer-overlay-replay.png'),
        omitBackground: true,
      });
      // Back to the start of the recording: racers were still joining, waiting for START.
      await page.keyboard.press('Home');
      await waitForHook(page, 'h.raceTimeMs === h.startMs');
      const startMs = (await hookOf(page)).startMs as number;
      await waitForHook(overlay, `h.raceTimeMs === ${startMs} && h.phase === 'waiting'`);
      expect(problems).toEqual([]);
      expect(overlayProblems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
