import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PosMessage } from '@gw2race/protocol';
import { createReplayWriter, openReplay, readReplay } from '@gw2race/replay-format';
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

/**
 * The same race rewritten as if ridden on another course: the header's track with another id
 * and checkpoint 2 moved 30 m (the comparison must warn).
 */
async function onAnotherCourse(file: string): Promise<Buffer> {
  const bytes = new Uint8Array(readFileSync(file));
  const opened = openReplay(bytes);
  if (!opened.ok) throw opened.error;
  const { header } = opened.value;
  if (!header.track) throw new Error('the recording has no track');
  const track = {
    ...header.track,
    id: 'another-course',
    checkpoints: header.track.checkpoints.map((cp) =>
      cp.id === 2 && cp.kind !== 'gate' ? { ...cp, x: cp.x + 30 } : cp,
    ),
  };
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (part) => void parts.push(part) },
    { raceId: 'other-course', createdAt: header.createdAt, track, t0: header.t0 },
  );
  for await (const entry of readReplay(bytes)) writer.append(entry);
  await writer.close();
  return Buffer.concat(parts);
}

/** Drops a file on the page, as a person would drag it from their files. */
async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(
    ([fileName, data]) => {
      const file = new File([new Uint8Array(data)], fileName, { type: 'application/gzip' });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    },
    [name, [...bytes]] as const,
  );
}

/**
 * Opens the replay at `viewer`, moves to `tenths` tenths of a second before the end (the `,` key
 * steps back 0.1 s), and sets the video export to start there at 1x: what is left is to export.
 */
async function prepareVideoExport(page: Page, viewer: string, tenths: number): Promise<void> {
  await page.goto(`${viewer}?tiles=off`);
  await waitForHook(page, "h.ready && h.raceId === 'web-replay'");
  await page.keyboard.press('End');
  await waitForHook(page, 'h.raceTimeMs === h.endMs');
  for (let i = 0; i < tenths; i++) await page.keyboard.press(',');
  await waitForHook(page, `h.raceTimeMs === h.endMs - ${tenths * 100}`);
  await page.click('[data-tab=export]');
  await page.selectOption('[data-testid=video-range]', 'here');
  await page.selectOption('[data-testid=video-speed]', '1');
}

/** Canvas pixels within `tolerance` of a colour (what was really drawn). */
function countPixels(page: Page, color: readonly [number, number, number], tolerance = 24) {
  return page.evaluate(
    ([[r, g, b], tol]) => {
      const canvas = document.querySelector('canvas.map-canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; data && i < data.length; i += 4) {
        if (
          (data[i + 3] as number) > 200 &&
          Math.abs((data[i] as number) - r) <= tol &&
          Math.abs((data[i + 1] as number) - g) <= tol &&
          Math.abs((data[i + 2] as number) - b) <= tol
        )
          n++;
      }
      return n;
    },
    [color, tolerance] as const,
  );
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

  it('refuses files that are not recordings, opens a dropped one and compares with another, warning when the course differs', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${viewer}?tiles=off`);
      await waitForHook(page, "h.ready && h.raceId === 'web-replay'");
      const whole = new Uint8Array(readFileSync(recording));

      // Files that are not recordings: a clear error above the map, the recording stays usable.
      const refusals: [string, Uint8Array, RegExp][] = [
        [
          'notes.txt',
          new TextEncoder().encode('not a recording\n'),
          /notes\.txt is not a readable recording: not gzip data/,
        ],
        [
          'cut.replay.jsonl.gz',
          whole.subarray(0, 20),
          /cut\.replay\.jsonl\.gz is not a readable recording: the data ends before the first gzip member/,
        ],
      ];
      for (const [name, bytes, message] of refusals) {
        await dropFile(page, name, bytes);
        await page.waitForSelector('[data-testid=open-error]:not([hidden])');
        await expect(page.textContent('[data-testid=open-error]')).resolves.toMatch(message);
        await expect(page.textContent('[data-testid=open-error]')).resolves.toMatch(
          /still showing the host’s recording/,
        );
        // Still usable: the timeline seeks, the racers are drawn.
        await page.keyboard.press('End');
        await waitForHook(page, 'h.raceTimeMs === h.endMs');
        await page.keyboard.press('Home');
        await waitForHook(page, 'h.raceTimeMs === h.startMs');
        await page.$eval('[data-testid=timeline]', (el) => {
          const slider = el as HTMLInputElement;
          slider.value = '6000';
          slider.dispatchEvent(new Event('input'));
        });
        await waitForHook(page, 'Math.abs(h.raceTimeMs - 6000) <= 10 && h.racers.length === 2');
        expect((await hookOf(page)).raceId).toBe('web-replay');
      }
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-refused-file.png') });

      // A file cut in the middle (a crashed host's) opens as an unfinished recording.
      await dropFile(page, 'half.replay.jsonl.gz', whole.subarray(0, Math.floor(whole.length / 2)));
      await page.waitForFunction(() =>
        document.body.textContent?.includes('half.replay.jsonl.gz · unfinished recording'),
      );
      await waitForHook(page, 'h.ready && h.endMs > 0');
      expect(await page.isHidden('[data-testid=open-error]')).toBe(true);

      // Drop the whole recording on the page.
      await dropFile(page, 'dropped.replay.jsonl.gz', whole);
      await page.waitForFunction(() =>
        document.body.textContent?.includes('dropped.replay.jsonl.gz'),
      );
      await waitForHook(page, 'h.analysis && h.analysis.racers === 2');

      // The comparison's file picker refuses what is not a recording, and stays usable.
      await page.click('[data-tab=compare]');
      await waitForHook(page, 'h.analysis.deltaPoints > 50');
      await page.setInputFiles('[data-testid=compare-file]', {
        name: 'cut.replay.jsonl.gz',
        mimeType: 'application/gzip',
        buffer: Buffer.from(whole.subarray(0, 20)),
      });
      await page.waitForSelector('[data-testid=compare-summary].error');
      await expect(page.textContent('[data-testid=compare-summary]')).resolves.toMatch(
        /cut\.replay\.jsonl\.gz is not a readable recording: the data ends before the first gzip member/,
      );
      await expect(page.inputValue('[data-testid=compare-source]')).resolves.toBe('same');
      await page.selectOption('[data-testid=compare-b]', 'alice');
      await page.selectOption('[data-testid=compare-b]', 'bob');
      await waitForHook(page, 'h.analysis.deltaPoints > 50');
      await expect(page.textContent('[data-testid=compare-summary]')).resolves.toMatch(
        /Alice .* · Bob /,
      );

      // A recording of another course: compared, with a visible warning.
      await page.setInputFiles('[data-testid=compare-file]', {
        name: 'elsewhere.replay.jsonl.gz',
        mimeType: 'application/gzip',
        buffer: await onAnotherCourse(recording),
      });
      await page.waitForSelector('[data-testid=compare-course]:not([hidden])');
      await expect(page.textContent('[data-testid=compare-course]')).resolves.toMatch(
        /elsewhere\.replay\.jsonl\.gz may not be the same course: track “e2e-short” here, “another-course” in the other; checkpoint 2 is 30\.0 m away/,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-other-course.png') });
      // Compare against "another" recording picked with the file chooser.
      await page.click('[data-tab=compare]');
      await page.setInputFiles('[data-testid=compare-file]', recording);
      await page.waitForFunction(() =>
        (
          document.querySelector('[data-testid=compare-b]') as HTMLSelectElement
        ).options[0]?.textContent?.includes('(race_'),
      );
      await waitForHook(page, 'h.analysis.deltaPoints > 50');
      // The same course: no warning.
      expect(await page.isHidden('[data-testid=compare-course]')).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-two-recordings.png') });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('records the video in real time with MediaRecorder where the browser has no WebCodecs', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      // A browser without WebCodecs (Firefox before 130, older Safari).
      await page.addInitScript(() => {
        delete (window as { VideoEncoder?: unknown }).VideoEncoder;
      });
      // From 2.5 s before the end, at 1x: a 2.5 s recording.
      await prepareVideoExport(page, viewer, 25);
      expect(
        await page.evaluate(() => typeof (window as { VideoEncoder?: unknown }).VideoEncoder),
      ).toBe('undefined');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        (async () => {
          await page.click('[data-testid=export-video]');
          // The progress is shown while it records.
          await page.waitForFunction(() => {
            const bar = document.querySelector(
              '[data-testid=video-progress]',
            ) as HTMLProgressElement;
            const status = document.querySelector('[data-testid=export-status]')?.textContent ?? '';
            return !bar.hidden && bar.value > 0 && /recording in real time/.test(status);
          });
        })(),
      ]);
      const path = join(ARTIFACTS, `web-replay-mediarecorder-${download.suggestedFilename()}`);
      await download.saveAs(path);
      const video = readFileSync(path);
      expect(video.length).toBeGreaterThan(1000);
      expect(video.readUInt32BE(0)).toBe(0x1a45dfa3); // WebM (EBML)
      const hook = await hookOf(page);
      expect(hook.lastExport?.kind).toBe('video');
      expect(hook.lastExport?.mimeType).toMatch(/^video\/webm/);
      const status = await page.textContent('[data-testid=export-status]');
      console.log(`real-time video export: ${status}`);
      expect(status).toMatch(/mediarecorder/);
      expect(await page.isHidden('[data-testid=video-progress]')).toBe(true);
      // Playable: the browser reads its frames back, in a blank page of its own (the viewer's
      // Content-Security-Policy has no media-src: the viewer itself never plays a video).
      const probe = await browser.context.newPage();
      const played = await probe.evaluate(
        async (data) => {
          const url = URL.createObjectURL(new Blob([new Uint8Array(data)], { type: 'video/webm' }));
          const element = document.createElement('video');
          element.muted = true;
          const result = await new Promise<string>((resolve) => {
            element.onloadeddata = () => resolve(`${element.videoWidth}x${element.videoHeight}`);
            element.onerror = () =>
              resolve(`error ${element.error?.code}: ${element.error?.message}`);
            element.src = url;
          });
          URL.revokeObjectURL(url);
          return result;
        },
        [...video],
      );
      await probe.close();
      expect(played).toBe('1280x720');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('says so when the browser records no video frames, and saves no empty file', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      // No WebCodecs, and a MediaRecorder that hands over no data (a machine too busy to encode).
      await page.addInitScript(() => {
        delete (window as { VideoEncoder?: unknown }).VideoEncoder;
        class Starved extends MediaRecorder {
          override set ondataavailable(_handler: unknown) {}
          override get ondataavailable(): null {
            return null;
          }
        }
        (window as { MediaRecorder: unknown }).MediaRecorder = Starved;
      });
      const downloads: string[] = [];
      page.on('download', (download) => downloads.push(download.suggestedFilename()));
      await prepareVideoExport(page, viewer, 10);
      await page.click('[data-testid=export-video]');
      await page.waitForSelector('[data-testid=export-status].error', { timeout: 30_000 });
      await expect(page.textContent('[data-testid=export-status]')).resolves.toMatch(
        /^video export failed: the browser recorded no video frames/,
      );
      expect(await page.isHidden('[data-testid=video-progress]')).toBe(true);
      expect(await page.isEnabled('[data-testid=export-video]')).toBe(true);
      expect(downloads).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('offline, the map probe fails cleanly: the status says so and the track is still drawn', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      const gw2Requests: string[] = [];
      // No internet: every request to ArenaNet's API and tile servers fails.
      await page.route(/^https:\/\/(api|tiles)\.guildwars2\.com\//, (route) => {
        gw2Requests.push(route.request().url());
        return route.abort('internetdisconnected');
      });
      await page.goto(viewer); // without ?tiles=off: the viewer probes the GW2 API
      await waitForHook(page, "h.ready && h.raceId === 'web-replay'");
      await page.waitForFunction(
        () => document.querySelector('.map-status')?.textContent?.includes('unavailable'),
        null,
        { timeout: 15_000 },
      );
      await expect(page.textContent('.map-status')).resolves.toBe(
        'GW2 map tiles unavailable (offline?): local coordinates',
      );
      // The track and the racers are drawn on the local-coordinates map.
      await page.$eval('[data-testid=timeline]', (el) => {
        const slider = el as HTMLInputElement;
        slider.value = '6000';
        slider.dispatchEvent(new Event('input'));
      });
      await waitForHook(page, 'Math.abs(h.raceTimeMs - 6000) <= 10 && h.racers.length === 2');
      await page.waitForTimeout(200);
      expect(await countPixels(page, [0x2e, 0xcc, 0x71]), 'start (green)').toBeGreaterThan(20);
      expect(await countPixels(page, [0xff, 0x47, 0x57]), 'finish (red)').toBeGreaterThan(20);
      expect(await countPixels(page, [0xff, 0xb0, 0x20]), 'checkpoints (amber)').toBeGreaterThan(
        20,
      );
      const drawn = await drawnRacers(page);
      expect(everyRacerDrawn(drawn), JSON.stringify(drawn)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'web-replay-offline.png') });
      // Only the probe went out (the map lookup), and no tile was asked for.
      expect(gw2Requests).toEqual(['https://api.guildwars2.com/v2/maps/24']);
      // The failed probe, as the page and Chromium's console report it: nothing else broke.
      expect(problems).toEqual([
        'request failed: https://api.guildwars2.com/v2/maps/24 (net::ERR_INTERNET_DISCONNECTED)',
        'console: Failed to load resource: net::ERR_INTERNET_DISCONNECTED',
      ]);
    } finally {
      await browser.close();
    }
  });
});
