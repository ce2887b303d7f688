import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createScreen, isAppError } from '@gw2race/app-shared';
import {
  createFileWriter,
  createFrame,
  createMumbleLinkReader,
  type MumbleLinkWriter,
} from '@gw2race/mumblelink';
import type { Track, Vec3 } from '@gw2race/protocol';
import {
  encodeBeetlerankCsv,
  parseBeetlerankCsv,
  parseTrack,
  validateTrack,
} from '@gw2race/race-engine';
import { afterEach, describe, expect, it } from 'vitest';
import { trackCommand } from '../commands/track';
import type { TrackIo } from '../commands/track-record';
import { listenToKeys } from '../track/keys';
import { createRecordSession } from '../track/record-session';

const SHORT = fileURLToPath(
  new URL('../../../../e2e/src/fixtures/short.track.json', import.meta.url),
);

/** A stream that keeps what is written, and can wait for a pattern in it. */
function collector() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return {
    stream,
    text: () => text,
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = text.match(pattern);
        if (match) return match[0];
        if (Date.now() > deadline)
          throw new Error(`no ${pattern} within ${timeoutMs} ms in:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Plays the game into a MumbleLink file, as a Wine bridge keeps /dev/shm/MumbleLink: a new block
 * every 20 ms, the avatar moving toward `target` at `speed` m/s, on `mapId`.
 */
function fakeGame(path: string) {
  const writer: MumbleLinkWriter = createFileWriter({ path, removeOnClose: true });
  const game = {
    position: { x: 0, y: 10, z: 0 } as Vec3,
    target: { x: 0, y: 10, z: 0 } as Vec3,
    mapId: 24,
    speed: 100,
    tick: 0,
  };
  const write = () => {
    const d = {
      x: game.target.x - game.position.x,
      y: game.target.y - game.position.y,
      z: game.target.z - game.position.z,
    };
    const distance = Math.hypot(d.x, d.y, d.z);
    const step = game.speed * 0.02;
    game.position =
      distance <= step
        ? { ...game.target }
        : {
            x: game.position.x + (d.x / distance) * step,
            y: game.position.y + (d.y / distance) * step,
            z: game.position.z + (d.z / distance) * step,
          };
    writer.write(
      createFrame({
        tick: ++game.tick,
        avatar: { position: game.position },
        identity: { name: 'Test Organizer', mapId: game.mapId },
        context: { mapId: game.mapId, mount: 'roller-beetle', processId: 4242 },
      }),
    );
  };
  write();
  const timer = setInterval(write, 20);
  return {
    game,
    stop() {
      clearInterval(timer);
      writer.close();
    },
  };
}

function io(stdin = new PassThrough()) {
  const stdout = collector();
  const stderr = collector();
  const value: TrackIo = { stdin, stdout: stdout.stream, stderr: stderr.stream, plain: true };
  return { io: value, stdin, stdout, stderr };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gw2race-track-test-'));
}

describe('recording a track from a ride (real MumbleLink file, real reader, scripted keys)', () => {
  it('drops the checkpoints where the organizer is when the keys come', async () => {
    const dir = tempDir();
    const link = join(dir, 'MumbleLink');
    const fake = fakeGame(link);
    cleanups.push(fake.stop);
    const out = join(dir, 'ridden.track.json');
    const csv = join(dir, 'ridden.csv');
    const stdout = collector();
    const session = createRecordSession({
      reader: createMumbleLinkReader({ path: link }),
      recorder: { radius: 15, path: true },
      out,
      csv,
      name: 'Ridden',
      id: 'ridden',
      screen: createScreen(stdout.stream as unknown as NodeJS.WriteStream, { forcePlain: true }),
      live: false,
      now: () => new Date('2025-06-01T12:00:00.000Z'),
    });
    cleanups.push(() => session.stop());
    await session.start();
    const stdin = new PassThrough();
    const keys = listenToKeys(
      stdin,
      (key, ctrl) => void session.press(key, ctrl),
      () => void session.endOfInput(),
    );
    cleanups.push(() => keys.close());

    /** Rides to a point, and once the recorder sees the organizer there, types the keys. */
    async function at(point: Vec3, script: string, expected: RegExp, mapId = 24) {
      fake.game.mapId = mapId;
      fake.game.target = point;
      await until(
        () => {
          const here = session.here;
          return (
            here.known &&
            here.mapId === mapId &&
            Math.hypot(here.x - point.x, here.y - point.y, here.z - point.z) < 1e-3
          );
        },
        `the recorder to see ${JSON.stringify(point)}`,
      );
      const before = stdout.text().length;
      stdin.write(`${script}\n`);
      await until(() => expected.test(stdout.text().slice(before)), `${expected}`);
    }

    await stdout.waitFor(/receiving MumbleLink data/);
    await at(
      { x: 0, y: 10, z: 0 },
      'c',
      /the start at \(0\.0, 10\.0, 0\.0\), radius 15 m on map 24/,
    );
    await at(
      { x: 90, y: 12, z: 10 },
      'space',
      /checkpoint 1 at \(90\.0, 12\.0, 10\.0\), radius 15 m, 90\.6 m from the start/,
    );
    await at(
      { x: 170, y: 14, z: 60 },
      '+ + c',
      /checkpoint 2 at \(170\.0, 14\.0, 60\.0\), radius 17 m/,
    );
    // A wrong drop, undone.
    await at({ x: 180, y: 14, z: 100 }, 'c u', /undone: checkpoint 3/);
    // Another map: refused.
    fake.game.position = { x: 5000, y: 0, z: 5000 };
    await at(
      { x: 5000, y: 0, z: 5000 },
      'c',
      /refused: you are on map 50 but the start is on map 24/,
      50,
    );
    fake.game.position = { x: 200, y: 12, z: 150 };
    await at(
      { x: 200, y: 12, z: 150 },
      'r',
      /reset point 1 at \(200\.0, 12\.0, 150\.0\), radius 17 m/,
    );
    await at(
      { x: 130, y: 10, z: 220 },
      '0 f',
      /the finish at \(130\.0, 10\.0, 220\.0\), radius 15 m/,
    );
    await at({ x: 130, y: 10, z: 220 }, 'w', /saved 4 checkpoints and a \d+-point reference line/);
    stdin.write('q\n');
    const outcome = await session.done;
    expect(outcome).toEqual({ saved: out, discarded: false });

    const parsed = parseTrack(JSON.parse(readFileSync(out, 'utf8')));
    if (!parsed.ok) throw parsed.error;
    const track = parsed.value;
    const { referenceLine, ...rest } = track;
    expect(rest).toEqual({
      format: 'gw2race-track',
      version: 1,
      id: 'ridden',
      name: 'Ridden',
      mapId: 24,
      author: 'Test Organizer',
      createdAt: '2025-06-01T12:00:00.000Z',
      checkpoints: [
        { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 15 },
        { id: 1, role: 'checkpoint', x: 90, y: 12, z: 10, r: 15 },
        { id: 2, role: 'checkpoint', x: 170, y: 14, z: 60, r: 17 },
        { id: 3, role: 'finish', x: 130, y: 10, z: 220, r: 15 },
      ],
      resets: [{ x: 200, y: 12, z: 150, r: 17 }],
      source: { kind: 'gw2race-host track record' },
    });
    // The ridden path, from the start to the finish, through every checkpoint, forward in time;
    // the trip on the other map is not in it.
    const line = referenceLine ?? [];
    expect(line[0]).toEqual([0, 0, 10, 0]);
    expect((line[line.length - 1] as number[]).slice(1)).toEqual([130, 10, 220]);
    expect(line.every(([, x]) => x < 1000)).toBe(true);
    expect(validateTrack(track)).toEqual([]);
    // The CSV beside it is the same course.
    const csvText = readFileSync(csv, 'utf8');
    expect(csvText).toBe(encodeBeetlerankCsv(track));
    const back = parseBeetlerankCsv(csvText, { mapId: 24 });
    if (!back.ok) throw back.error;
    expect(back.value.checkpoints).toEqual(track.checkpoints);
    expect(back.value.resets).toEqual(track.resets);
  });
});

describe('gw2race-host track record', () => {
  it('records a simulated ride: the bot rides the track into a MumbleLink file the recorder reads', async () => {
    const dir = tempDir();
    const out = join(dir, 'sim.track.json');
    const { io: streams, stdin, stdout } = io();
    const run = trackCommand(
      [
        'record',
        '--simulate',
        '--track-to-ride',
        SHORT,
        '--sim-speed',
        '45',
        '--path',
        '--out',
        out,
      ],
      streams,
    );
    await stdout.waitFor(/receiving MumbleLink data/);
    // The bot waits on the start until the start is dropped.
    stdin.write('c\n');
    await stdout.waitFor(/the start at \(0\.0, 10\.0, 0\.0\)/);
    await stdout.waitFor(/the simulated ride is over/, 60_000);
    stdin.write('f\nw\nq\n');
    expect(await run).toBe(0);
    expect(stdout.text()).toContain(`track saved to ${out}`);

    const ridden = JSON.parse(readFileSync(SHORT, 'utf8')) as Track;
    const parsed = parseTrack(JSON.parse(readFileSync(out, 'utf8')));
    if (!parsed.ok) throw parsed.error;
    const track = parsed.value;
    expect(track.name).toBe('sim');
    expect(track.author).toBe('Simulated Organizer');
    expect(track.checkpoints).toHaveLength(2);
    const finish = track.checkpoints[1] as { x: number; z: number };
    const end = ridden.checkpoints[4] as { x: number; z: number };
    // The bot stops 10 m past a point inside the finish (12 m).
    expect(Math.hypot(finish.x - end.x, finish.z - end.z)).toBeLessThan(25);
    // The recorded line went through every checkpoint of the ridden course.
    const line = track.referenceLine ?? [];
    expect(line.length).toBeGreaterThan(5);
    expect(
      validateTrack({ ...ridden, referenceLine: line }).filter(
        (w) => w.code === 'REFERENCE_LINE_MISSES',
      ),
    ).toEqual([]);
  });

  it('says the game is not running when there is no MumbleLink data', async () => {
    const dir = tempDir();
    const missing = join(dir, 'no-game');
    const { io: streams, stdin, stdout } = io();
    const run = trackCommand(
      ['record', '--mumble-file', missing, '--out', join(dir, 'x.track.json')],
      streams,
    );
    await stdout.waitFor(/waiting for Guild Wars 2/);
    stdin.end('c\n');
    const error = await run.catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `no position was ever read: waiting for Guild Wars 2 (no MumbleLink data yet) — watching ${missing}`,
    );
    expect(stdout.text()).toContain(
      `✗ cannot drop the start: waiting for Guild Wars 2 (no MumbleLink data yet) — watching ${missing}`,
    );
    expect(existsSync(join(dir, 'x.track.json'))).toBe(false);
  });

  it('refuses to lose unsaved work when the keys run out, and asks twice on q', async () => {
    const dir = tempDir();
    const link = join(dir, 'MumbleLink');
    const fake = fakeGame(link);
    cleanups.push(fake.stop);
    const { io: streams, stdin, stdout } = io();
    const run = trackCommand(
      ['record', '--mumble-file', link, '--out', join(dir, 'y.track.json')],
      streams,
    );
    await stdout.waitFor(/receiving MumbleLink data/);
    stdin.write('c\nq\n');
    await stdout.waitFor(/unsaved changes: press q again/);
    stdin.end();
    const error = await run.catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('FAILED');
    expect((error as Error).message).toMatch(
      /^the keys ran out with unsaved changes \(1 checkpoint\)/,
    );
  });

  it('rejects bad options before riding, with clear messages', async () => {
    const dir = tempDir();
    const taken = join(dir, 'taken.track.json');
    writeFileSync(taken, '{}');
    const cases: [string[], RegExp][] = [
      [['record', '--out', taken], /already exists/],
      [['record', '--out', join(dir, 'nope', 'a.json')], /the folder .* does not exist/],
      [['record', '--radius', '0'], /--radius must be a number ≥ 1 and ≤ 200, got "0"/],
      [['record', '--track-to-ride', SHORT], /--track-to-ride needs --simulate/],
      [['record', '--simulate', '--mumble-file', 'x'], /--simulate writes its own MumbleLink file/],
      [['record', '--out', join(dir, 'a.json'), '--csv', join(dir, 'a.json')], /the same file/],
      [
        ['record', '--simulate', '--track-to-ride', join(dir, 'missing.json')],
        /cannot read the track .*: no such file/,
      ],
      [['record', 'extra'], /unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      const error = await trackCommand(args, io().io).catch((e: unknown) => e);
      expect(isAppError(error), args.join(' ')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
