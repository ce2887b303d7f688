import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PosMessage } from '@gw2race/protocol';
import { openReplay, readReplay } from '@gw2race/replay-format';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_CLI, needs, SHORT_TRACK, start, startHost, startRacer, stopAll } from './harness';
import { raceFiles } from './results';
import {
  ARTIFACTS,
  drawnRacers,
  everyRacerDrawn,
  hookOf,
  launchChromium,
  waitForHook,
  watchProblems,
} from './web-browser';

/** Every position of the recording, per racer, in time order: what the viewer must draw. */
async function recordedPositions(file: string): Promise<Map<string, PosMessage[]>> {
  const byRacer = new Map<string, PosMessage[]>();
  for await (const entry of readReplay(new Uint8Array(readFileSync(file)))) {
    if (entry.kind !== 'pos') continue;
    const list = byRacer.get(entry.message.playerId) ?? [];
    byRacer.set(entry.message.playerId, list);
    list.push(entry.message);
  }
  for (const list of byRacer.values()) list.sort((a, b) => a.t - b.t);
  return byRacer;
}

/** Where a racer is at `time` (epoch s): between the recorded samples around it. */
function interpolate(samples: PosMessage[], time: number): { x: number; z: number } | undefined {
  const after = samples.findIndex((s) => s.t > time);
  if (after <= 0) return undefined;
  const a = samples[after - 1] as PosMessage;
  const b = samples[after] as PosMessage;
  const f = (time - a.t) / (b.t - a.t);
  return { x: a.x + (b.x - a.x) * f, z: a.z + (b.z - a.z) * f };
}

async function downloadOf(page: Page, selector: string, name: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 90_000 }),
    page.click(selector),
  ]);
  const path = join(ARTIFACTS, `web-replay-${name}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return readFileSync(path);
}

describe.skipIf(!needs('chromium'))('the race viewer replays a recording in Chromium', () => {
  let recording: string;
  let viewer: string;
  let positions: Map<string, PosMessage[]>;

  beforeAll(async () => {
    const { host, url, out } = await startHost([
      '--race',
      'web-replay',
      '--track',
      SHORT_TRACK,
      '--auto-start',
      '2',
      '--start-delay',
      '2',
      '--finish-timeout',
      '3',
    ]);
    const racers = [
      startRacer('web-replay', url, 'Alice'),
      startRacer('web-replay', url, 'Bob', ['--sim-speed', '27']),
    ];
    expect(await host.exited).toBe(0);
    for (const racer of racers) await racer.exited;
    recording = raceFiles(out).recording;
    positions = await recordedPositions(recording);
    const replay = start('replay', HOST_CLI, ['replay', recording, '--http-port', '0']);
    viewer = (
      await replay.waitFor(/Replay of race web-replay at (http:\/\/\S+\/replay)/)
    )[1] as string;
  }, 120_000);

  afterAll(stopAll);

  it('plays, seeks through the index, draws racers where the recording puts them, analyses and exports', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${viewer}?tiles=off`);
      await waitForHook(page, "h.ready && h.view === 'replay'");
      let hook = await hookOf(page);
      expect(hook.raceId).toBe('web-replay');
      expect(hook.startMs).toBeLessThan(0);
      expect(hook.endMs).toBeGreaterThan(10_000);
      // Race time, then played / total duration (from the first to the last record).
      const totalMs = (hook.endMs as number) - (hook.startMs as number);
      const totalText = `0:${String(Math.floor(totalMs / 1000)).padStart(2, '0')}.${String(totalMs % 1000).padStart(3, '0')}`;
      await expect(page.textContent('[data-testid=time]')).resolves.toMatch(
        /^-0:0\d\.\d{3} · 0:00\.000 \/ 0:\d\d\.\d{3}$/,
      );
      await expect(page.textContent('[data-testid=duration]')).resolves.toBe(
        `0:00.000 / ${totalText}`,
      );

      // Play for a while at 2x, then pause.
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Space');
      await page.waitForTimeout(1000);
      await page.keyboard.press('Space');
      await waitForHook(page, '!h.playing');
      hook = await hookOf(page);
      expect(hook.speed).toBe(2);
      expect((hook.raceTimeMs as number) - (hook.startMs as number)).toBeGreaterThan(1200);

      // Seek with the timeline to the middle of the race.
      await page.$eval('[data-testid=timeline]', (el) => {
        const slider = el as HTMLInputElement;
        slider.value = '6000';
        slider.dispatchEvent(new Event('input'));
      });
      await waitForHook(page, 'Math.abs(h.raceTimeMs - 6000) <= 10');
      hook = await hookOf(page);
      // An observation, not a threshold: the seek is benchmarked in apps/web/bench.
      expect(hook.lastSeekMs).not.toBeNull();
      console.log(`seek in the browser: ${hook.lastSeekMs?.toFixed(2)} ms`);
      const replay = openReplay(new Uint8Array(readFileSync(recording)));
      if (!replay.ok) throw replay.error;
      const time = replay.value.timeOf(hook.raceTimeMs as number);
      expect(hook.racers.map((r) => r.playerId).sort()).toEqual(['alice', 'bob']);
      for (const racer of hook.racers) {
        // Where the recording's samples put the racer (1 cm quantization, linear between samples).
        const expected = interpolate(positions.get(racer.playerId) ?? [], time);
        expect(expected, racer.playerId).toBeDefined();
        expect(Math.hypot(racer.x - (expected?.x ?? 0), racer.z - (expected?.z ?? 0))).toBeLessThan(
          0.05,
        );
      }
      // And the canvas really has a racer's colour there.
      await page.waitForTimeout(100);
      const drawn = await drawnRacers(page);
      expect(drawn.map((r) => r.playerId).sort()).toEqual(['alice', 'bob']);
      expect(everyRacerDrawn(drawn), JSON.stringify(drawn)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-seek.png') });

      // Keyboard: back 5 s, speed down.
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowDown');
      await waitForHook(page, 'h.speed === 1');
      hook = await hookOf(page);
      expect(hook.raceTimeMs).toBeCloseTo(1000, -2);
      expect(hook.speed).toBe(1);

      // Stop goes back to the start.
      await page.click('[data-testid=stop]');
      await waitForHook(page, 'h.raceTimeMs === h.startMs');

      // Analysis: sectors, theoretical best, heatmap, ghosts.
      await page.click('[data-tab=analysis]');
      await waitForHook(page, 'h.analysis && h.analysis.racers === 2');
      const sectorRows = await page.$$eval(
        '[data-testid=sectors] table.sectors tbody tr',
        (rows) => rows.length,
      );
      expect(sectorRows).toBe(3); // two racers' laps and the best line
      await expect(page.textContent('[data-testid=theoretical-best]')).resolves.toMatch(
        /^0:1\d\.\d{3}$/,
      );
      await page.selectOption('[data-testid=heatmap]', 'lines');
      await page.check('[data-testid=ghosts]');
      await waitForHook(page, 'h.analysis.heatCells > 50');
      await page.$eval('[data-testid=timeline]', (el) => {
        const slider = el as HTMLInputElement;
        slider.value = '9000';
        slider.dispatchEvent(new Event('input'));
      });
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-analysis.png') });

      // Comparison of the two racers: a time delta along Alice's line.
      await page.click('[data-tab=compare]');
      await waitForHook(page, 'h.analysis.deltaPoints > 50');
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-compare.png') });

      // Exports.
      await page.click('[data-tab=export]');
      const resultsCsv = (
        await downloadOf(page, '[data-testid=export-results-csv]', 'results')
      ).toString();
      expect(resultsCsv.split('\r\n')[0]).toMatch(/^position,playerId,name,status,time/);
      expect(resultsCsv.split('\r\n')[1]).toMatch(/^1,(alice|bob),(Alice|Bob),finished,/);
      const splitsCsv = (
        await downloadOf(page, '[data-testid=export-splits-csv]', 'splits')
      ).toString();
      expect(splitsCsv.trim().split('\r\n')).toHaveLength(1 + 2 * 4);
      const positionsCsv = (
        await downloadOf(page, '[data-testid=export-positions-csv]', 'positions')
      ).toString();
      const recorded = [...positions.values()].reduce((n, list) => n + list.length, 0);
      expect(positionsCsv.trim().split('\r\n')).toHaveLength(1 + recorded);
      const json = JSON.parse(
        (await downloadOf(page, '[data-testid=export-results-json]', 'json')).toString(),
      );
      expect(json.racers).toHaveLength(2);
      const png = await downloadOf(page, '[data-testid=export-png]', 'png');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(1280);

      await page.selectOption('[data-testid=video-speed]', '4');
      const video = await downloadOf(page, '[data-testid=export-video]', 'video');
      hook = await hookOf(page);
      // WebM (EBML) or MP4 (ftyp).
      expect(
        video.readUInt32BE(0) === 0x1a45dfa3 || video.subarray(4, 8).toString() === 'ftyp',
      ).toBe(true);
      expect(hook.lastExport?.kind).toBe('video');
      const status = await page.textContent('[data-testid=export-status]');
      console.log(`video export: ${status}`);
      expect(status).toMatch(/webcodecs/);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('opens a dropped recording and a compared one, and the host serves nothing broken offline', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${viewer}?tiles=off`);
      await waitForHook(page, 'h.ready');
      // Drop the recording on the page, as a person would drag it from their files.
      const bytes = [...readFileSync(recording)];
      await page.evaluate((data) => {
        const file = new File([new Uint8Array(data)], 'dropped.replay.jsonl.gz', {
          type: 'application/gzip',
        });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
      }, bytes);
      await page.waitForFunction(() =>
        document.body.textContent?.includes('dropped.replay.jsonl.gz'),
      );
      await waitForHook(page, 'h.analysis && h.analysis.racers === 2');
      // Compare against "another" recording picked with the file chooser.
      await page.click('[data-tab=compare]');
      await page.setInputFiles('[data-testid=compare-file]', recording);
      await page.waitForFunction(() =>
        (
          document.querySelector('[data-testid=compare-b]') as HTMLSelectElement
        ).options[0]?.textContent?.includes('(race_'),
      );
      await waitForHook(page, 'h.analysis.deltaPoints > 50');
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-two-recordings.png') });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
