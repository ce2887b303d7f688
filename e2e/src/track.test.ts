import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Track, trackSchema } from '@gw2race/protocol';
import { readReplay } from '@gw2race/replay-format';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HOST_CLI,
  RACER_CLI,
  SHORT_TRACK,
  start,
  startHost,
  startRacer,
  stopAll,
  tempDir,
} from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

function readTrack(path: string): Track {
  return trackSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Distance from a point to the polyline through the rows' positions. */
function offLine(p: readonly number[], rows: readonly (readonly number[])[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows.length; i++) {
    const [, ax, ay, az] = rows[i - 1] as [number, number, number, number];
    const [, bx, by, bz] = rows[i] as [number, number, number, number];
    const [, px, py, pz] = p as [number, number, number, number];
    const d = [bx - ax, by - ay, bz - az] as const;
    const l2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
    const u =
      l2 === 0
        ? 0
        : Math.min(1, Math.max(0, ((px - ax) * d[0] + (py - ay) * d[1] + (pz - az) * d[2]) / l2));
    best = Math.min(best, Math.hypot(px - ax - u * d[0], py - ay - u * d[1], pz - az - u * d[2]));
  }
  return best;
}

/** Runs the recorder on a simulated ride: drops the start, waits for the end, drops the finish. */
async function recordRide(toRide: string, out: string, extra: string[] = []) {
  const recorder = start('track record', HOST_CLI, [
    'track',
    'record',
    '--simulate',
    '--track-to-ride',
    toRide,
    '--sim-speed',
    '45',
    '--path',
    '--out',
    out,
    ...extra,
  ]);
  await recorder.waitFor(/receiving MumbleLink data/);
  recorder.child.stdin?.write('c\n');
  await recorder.waitFor(/the start at \(/);
  await recorder.waitFor(/the simulated ride is over/, 60_000);
  recorder.child.stdin?.end('f\nw\nq\n');
  expect(await recorder.exited).toBe(0);
  expect(recorder.output()).toContain(`track saved to ${out}`);
  return recorder;
}

describe.concurrent('gw2race-host track', () => {
  it('records a ridden track that a racer can race, and a bot rides its line again', async () => {
    const dir = tempDir();
    const recorded = join(dir, 'ridden.track.json');
    const csv = join(dir, 'ridden.csv');
    await recordRide(SHORT_TRACK, recorded, ['--csv', csv, '--name', 'Ridden course']);
    const track = readTrack(recorded);
    expect(track.name).toBe('Ridden course');
    expect(track.mapId).toBe(24);
    expect(track.checkpoints[0]).toMatchObject({ x: 0, y: 10, z: 0, r: 15 });
    const line = track.referenceLine ?? [];
    expect(line.length).toBeGreaterThan(5);

    // show: clean; export: the CSV the recorder wrote.
    const show = start('track show', HOST_CLI, ['track', 'show', recorded, '--strict']);
    expect(await show.exited).toBe(0);
    expect(show.output()).toMatch(/Ridden course \(ridden-course\)[\s\S]*no problems found/);
    const exported = start('track export', HOST_CLI, ['track', 'export', recorded]);
    expect(await exported.exited).toBe(0);
    expect(exported.output()).toContain(readFileSync(csv, 'utf8'));

    // Riding the recorded track, the bot follows its reference line: the second ride's line
    // lies on the first (within the thinning's half metre), up to the first line's end.
    const again = join(dir, 'again.track.json');
    await recordRide(recorded, again, ['--sim-seed', '7']);
    const second = readTrack(again).referenceLine ?? [];
    const end = line[line.length - 1] as number[];
    for (const row of second) {
      const pastEnd = Math.hypot(
        (row[1] as number) - (end[1] as number),
        (row[3] as number) - (end[3] as number),
      );
      if (pastEnd > 12) expect(offLine(row, line)).toBeLessThan(1);
    }

    // The recorded track is raceable: a simulated racer finishes it on the real host.
    const { host, url, out } = await startHost([
      '--race',
      'e2e-ridden',
      '--track',
      recorded,
      '--auto-start',
      '1',
      '--start-delay',
      '2',
      '--finish-timeout',
      '3',
    ]);
    // The racer's bot rides the recorded line too (--sim-line): the race state carries only
    // the checkpoints.
    const racer = startRacer('e2e-ridden', url, 'Rider', ['--sim-line', recorded]);
    expect(await host.exited).toBe(0);
    expect(await racer.exited).toBe(0);
    const files = raceFiles(out);
    const results = readResults(files.resultsJson);
    expect(results.ranking.map((entry) => [entry.playerId, entry.status])).toEqual([
      ['rider', 'finished'],
    ]);
    let onCourse = 0;
    let worst = 0;
    for await (const entry of readReplay(new Uint8Array(readFileSync(files.recording)))) {
      if (entry.kind !== 'pos') continue;
      const { x, y, z } = entry.message;
      if (Math.hypot(x - (end[1] as number), z - (end[3] as number)) <= 12) continue;
      worst = Math.max(worst, offLine([0, x, y, z], line));
      onCourse++;
    }
    expect(onCourse).toBeGreaterThan(20);
    // On the line to float precision (a bot between the checkpoints strays by a metre or more).
    expect(worst).toBeLessThan(0.1);

    // A file without a line is refused before anything starts.
    const noLine = start('racer', RACER_CLI, [
      '--race',
      'x',
      '--name',
      'x',
      '--simulate',
      '--sim-line',
      SHORT_TRACK,
    ]);
    expect(await noLine.exited).toBe(6);
    expect(noLine.output()).toContain(`gw2race-racer: --sim-line ${SHORT_TRACK}`);
  });

  it('says the game is not running, and refuses bad files, with exit codes', async () => {
    const dir = tempDir();
    const recorder = start('track record', HOST_CLI, [
      'track',
      'record',
      '--mumble-file',
      join(dir, 'no-game'),
      '--out',
      join(dir, 'x.track.json'),
    ]);
    await recorder.waitFor(/waiting for Guild Wars 2/);
    recorder.child.stdin?.end('c\n');
    expect(await recorder.exited).toBe(1);
    expect(recorder.output()).toContain(
      `cannot drop the start: waiting for Guild Wars 2 (no MumbleLink data yet) — watching ${join(dir, 'no-game')}`,
    );
    expect(recorder.output()).toContain('gw2race-host: no position was ever read');
    expect(recorder.output()).not.toMatch(/\n\s+at /);

    const bad = join(dir, 'bad.track.json');
    writeFileSync(bad, '{"format":"gw2race-track"}');
    const show = start('track show', HOST_CLI, ['track', 'show', bad]);
    expect(await show.exited).toBe(6);
    expect(show.output()).toMatch(/is not a gw2race track/);

    const csv = join(dir, 'broken.csv');
    writeFileSync(csv, 'STEP,STEPNAME,X,Y,Z\n0,start,0,0,0\n1,*,zero,0,0\n');
    const imported = start('track import', HOST_CLI, ['track', 'import', csv]);
    expect(await imported.exited).toBe(6);
    expect(imported.output()).toContain(`${csv}: line 3: X is not a number: "zero"`);

    const usage = start('track', HOST_CLI, ['track', 'record', '--radius', 'big']);
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toContain('--radius must be a number ≥ 1 and ≤ 200, got "big"');
  });
});
