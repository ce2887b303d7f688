import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type {
  FrameInit,
  MumbleLinkReaderEvents,
  MumbleLinkReaderOptions,
  MumbleLinkSource,
  MumbleLinkWriter,
} from '../index';
import {
  createFileSource,
  createFileWriter,
  createFrame,
  createManualClock,
  createMumbleLinkReader,
  encodeFrame,
  waitingMessage,
} from '../index';
import { handWrittenBlock, IDENTITY } from './hand-written-block';

const root = mkdtempSync(join(tmpdir(), 'gw2race-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const POLL_MS = 1000 / 60;
let counter = 0;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Recorded = { [K in keyof MumbleLinkReaderEvents]: MumbleLinkReaderEvents[K][] };

/** A reader on a real file, a writer for it, a manual clock, and every event recorded. */
function setup(options: Partial<MumbleLinkReaderOptions> = {}) {
  const path = join(root, `case-${++counter}`, 'MumbleLink');
  const time = createManualClock(1_000);
  let reads = 0;
  let failReads = false;
  const source = (): MumbleLinkSource => {
    const file = createFileSource({ path, recheckEvery: 1 });
    return {
      description: file.description,
      read: () => {
        reads++;
        if (failReads) throw new Error('EIO: i/o error, read');
        return file.read();
      },
      close: () => file.close(),
    };
  };
  const reader = createMumbleLinkReader({ source, clock: time, scheduler: time, ...options });
  const events: Recorded = {
    frame: [],
    status: [],
    waiting: [],
    live: [],
    stale: [],
    mapChange: [],
    tickReset: [],
    error: [],
    stop: [],
  };
  for (const name of Object.keys(events) as (keyof Recorded)[]) {
    reader.on(name, (payload: unknown) => {
      (events[name] as unknown[]).push(payload);
    });
  }
  let writer: MumbleLinkWriter | null = null;
  const write = (init: FrameInit | Uint8Array) => {
    writer ??= createFileWriter({ path });
    writer.write(init instanceof Uint8Array ? init : createFrame(init));
  };
  cleanups.push(() => {
    reader.stop();
    writer?.close();
  });
  const failNextReads = (fail: boolean) => {
    failReads = fail;
  };
  return { path, time, reader, events, write, reads: () => reads, failNextReads };
}

function statuses(events: Recorded): string[] {
  return events.status.map((change) => change.status);
}

describe('createMumbleLinkReader', () => {
  it('guides instead of failing while there is no MumbleLink data, naming the path it watches', async () => {
    const { path, time, reader, events } = setup();
    await reader.start();
    time.advance(500);
    expect(reader.status).toBe('waiting');
    expect(events.waiting).toHaveLength(1);
    expect(events.waiting[0]!.message).toBe(waitingMessage(path));
    expect(events.waiting[0]!.message).toContain(
      'waiting for Guild Wars 2 (no MumbleLink data yet)',
    );
    expect(events.waiting[0]!.message).toContain(path);
    expect(events.error).toEqual([]);
    expect(events.frame).toEqual([]);
  });

  it('treats an all-zero block (a mapping nothing has written) as waiting', async () => {
    const { time, reader, events, write } = setup();
    write(new Uint8Array(5460));
    await reader.start();
    time.advance(100);
    expect(reader.status).toBe('waiting');
    expect([events.frame.length, events.error.length]).toEqual([0, 0]);
  });

  it('refuses a poll rate or staleness delay that is not a positive number', () => {
    for (const staleAfterMs of [0, -5, Number.NaN]) {
      expect(() => setup({ staleAfterMs })).toThrow(
        `staleAfterMs must be a positive number, got ${staleAfterMs}`,
      );
    }
    expect(() => setup({ pollHz: 0 })).toThrow('pollHz must be in (0, 1000], got 0');
  });

  it('polls at 60 Hz by default', async () => {
    const { time, reader, reads } = setup();
    await reader.start();
    const before = reads();
    time.advance(1000);
    expect(reads() - before).toBe(60);
  });

  it('emits a frame only when uiTick changes, and goes live when it moves', async () => {
    const { time, reader, events, write } = setup();
    write({ tick: 10 });
    await reader.start();
    time.advance(200);
    expect(events.frame.map((sample) => sample.frame.tick)).toEqual([10]);
    expect(reader.status).toBe('starting');
    write({ tick: 11 });
    time.advance(POLL_MS);
    write({ tick: 13 });
    time.advance(POLL_MS);
    time.advance(5 * POLL_MS);
    expect(events.frame.map((sample) => [sample.frame.tick, sample.ticksAdvanced])).toEqual([
      [10, 0],
      [11, 1],
      [13, 2],
    ]);
    expect(events.live).toHaveLength(1);
    expect(reader.status).toBe('live');
    expect(reader.latest?.frame.tick).toBe(13);
  });

  it('reopens a long-stale mapping: the game still there stays stale, a closed game is gone (waiting)', async () => {
    const time = createManualClock(1_000);
    let block: Uint8Array = encodeFrame(createFrame({ tick: 1 }));
    let gameHolds = true;
    let reopens = 0;
    const source = (): MumbleLinkSource => ({
      description: 'shared memory "test"',
      read: () => block,
      close: () => {},
      reopen: () => {
        reopens++;
        // The last handle let go of a mapping nobody else holds: the new one is all zeros.
        if (!gameHolds) block = new Uint8Array(block.length);
      },
    });
    const reader = createMumbleLinkReader({
      source,
      clock: time,
      scheduler: time,
      staleAfterMs: 1000,
      reopenAfterMs: 5000,
    });
    cleanups.push(() => reader.stop());
    await reader.start();
    time.advance(POLL_MS);
    block = encodeFrame(createFrame({ tick: 2 }));
    time.advance(POLL_MS);
    expect(reader.status).toBe('live');
    time.advance(2000);
    expect(reader.status).toBe('stale');
    expect(reopens).toBe(0);
    time.advance(4000);
    expect(reopens).toBe(1);
    expect(reader.status).toBe('stale');
    gameHolds = false;
    time.advance(5000 + POLL_MS);
    expect(reopens).toBe(2);
    time.advance(POLL_MS);
    expect(reader.status).toBe('waiting');
  });

  it('refuses a reopen delay that is not a positive number', () => {
    expect(() => setup({ reopenAfterMs: 0 })).toThrow(
      'reopenAfterMs must be a positive number, got 0',
    );
  });

  it('goes stale when the tick stops for staleAfterMs, and live again when it moves', async () => {
    const { time, reader, events, write } = setup({ staleAfterMs: 1000 });
    write({ tick: 1 });
    await reader.start();
    time.advance(POLL_MS);
    write({ tick: 2 });
    time.advance(POLL_MS);
    const lastChange = events.frame.at(-1)!.receivedAt;
    time.advance(1000 - 2 * POLL_MS);
    expect(reader.status).toBe('live');
    time.advance(3 * POLL_MS);
    expect(reader.status).toBe('stale');
    expect(events.stale).toHaveLength(1);
    expect(events.stale[0]!.at - lastChange).toBeGreaterThanOrEqual(1000);
    expect(events.stale[0]!.message).toMatch(/stopped changing/);
    time.advance(5000);
    expect(events.stale).toHaveLength(1);
    write({ tick: 3 });
    time.advance(POLL_MS);
    expect(reader.status).toBe('live');
    expect(events.live).toHaveLength(2);
    expect(statuses(events)).toEqual(['starting', 'live', 'stale', 'live']);
  });

  it('reports a block that never moves as stale, not live', async () => {
    const { time, reader, events, write } = setup({ staleAfterMs: 500 });
    write({ tick: 77 });
    await reader.start();
    time.advance(1000);
    expect(events.frame).toHaveLength(1);
    expect(statuses(events)).toEqual(['starting', 'stale']);
  });

  it('reports map changes, the first map included, and restarts speed on a new map', async () => {
    const { time, reader, events, write } = setup();
    await reader.start();
    let tick = 0;
    for (let i = 0; i < 20; i++) {
      write({ tick: ++tick, avatar: { position: { x: i, y: 0, z: 0 } }, context: { mapId: 15 } });
      time.advance(40);
    }
    write({ tick: ++tick, avatar: { position: { x: 900, y: 0, z: 0 } }, context: { mapId: 1206 } });
    time.advance(40);
    expect(events.mapChange.map((change) => [change.previousMapId, change.mapId])).toEqual([
      [null, 15],
      [15, 1206],
    ]);
    const onNewMap = events.mapChange[1]!.sample;
    expect(onNewMap.frame.tick).toBe(tick);
    expect([onNewMap.speed, onNewMap.teleported]).toEqual([0, false]);
    expect(events.frame.at(-2)!.speed).toBeGreaterThan(20);
  });

  it('survives the tick going backwards (game restarted) and a new game process', async () => {
    const { time, reader, events, write } = setup();
    write({ tick: 100, context: { processId: 1 } });
    await reader.start();
    write({ tick: 101, context: { processId: 1 } });
    time.advance(POLL_MS);
    write({ tick: 5, context: { processId: 1 } });
    time.advance(POLL_MS);
    write({ tick: 6, context: { processId: 1 } });
    time.advance(POLL_MS);
    write({ tick: 500, context: { processId: 2 } });
    time.advance(POLL_MS);
    expect(
      events.tickReset.map(({ previousTick, tick, reason }) => [previousTick, tick, reason]),
    ).toEqual([
      [101, 5, 'backwards'],
      [6, 500, 'process-changed'],
    ]);
    expect(events.frame.map((sample) => [sample.frame.tick, sample.ticksAdvanced])).toEqual([
      [100, 0],
      [101, 1],
      [5, 0],
      [6, 1],
      [500, 0],
    ]);
    expect(reader.status).toBe('live');
  });

  it('reports a truncated block once, not every poll, and again after a good block', async () => {
    const { time, reader, events, write } = setup();
    const short = handWrittenBlock(IDENTITY).subarray(0, 2000);
    write(short);
    await reader.start();
    time.advance(500);
    expect(events.error.map((error) => error.code)).toEqual(['TRUNCATED']);
    expect(events.error[0]!.message).toContain('2000 bytes');
    write({ tick: 1 });
    time.advance(POLL_MS);
    write(short);
    time.advance(500);
    expect(events.error.map((error) => error.code)).toEqual(['TRUNCATED', 'TRUNCATED']);
    expect(events.frame).toHaveLength(1);
  });

  it('with `partial`, keeps reading when the bridge writes a shorter block than before', async () => {
    const { time, reader, events, write } = setup({ partial: true });
    // A description up to the end of the block: the shorter blocks cut it, or drop it.
    const block = (tick: number) =>
      encodeFrame(createFrame({ tick, description: 'd'.repeat(2047) }));
    write(block(1));
    await reader.start();
    const lengths = [1193, 1369, 1367, 5460];
    lengths.forEach((length, i) => {
      write(block(i + 2).subarray(0, length));
      time.advance(POLL_MS);
    });
    expect(events.error).toEqual([]);
    expect(events.frame.map((sample) => [sample.frame.tick, sample.frame.description])).toEqual([
      [1, 'd'.repeat(2047)],
      [2, ''],
      [3, 'dd'],
      [4, 'd'],
      [5, 'd'.repeat(2047)],
    ]);
    expect(reader.status).toBe('live');
  });

  it('reports a decoder that throws as an error, once, and keeps polling', async () => {
    /** Bytes the decoder trips on: a stand-in for any bug that makes it throw. */
    class Cursed extends Uint8Array {
      override subarray(): Uint8Array<ArrayBuffer> {
        throw new TypeError('cursed bytes');
      }
    }
    const time = createManualClock();
    let bytes: Uint8Array = new Cursed(encodeFrame(createFrame({ tick: 1, name: 'x' })));
    const reader = createMumbleLinkReader({
      source: { description: 'cursed', read: () => bytes, close: () => {} },
      clock: time,
      scheduler: time,
    });
    cleanups.push(() => reader.stop());
    const errors: MumbleLinkReaderEvents['error'][] = [];
    const ticks: number[] = [];
    reader.on('error', (error) => errors.push(error));
    reader.on('frame', (sample) => ticks.push(sample.frame.tick));
    await reader.start();
    time.advance(500);
    expect(errors.map((error) => error.code)).toEqual(['DECODE_FAILED']);
    expect(errors[0]!.message).toContain('5460-byte block from cursed: cursed bytes');
    expect(errors[0]!.cause).toBeInstanceOf(TypeError);
    bytes = encodeFrame(createFrame({ tick: 2, name: 'x' }));
    time.advance(POLL_MS);
    expect(ticks).toEqual([2]);
    expect(time.pending).toBe(1);
  });

  it('gives each sample the window its tick appeared in: after the previous poll, by receivedAt', async () => {
    const { time, reader, events, write, failNextReads } = setup();
    await reader.start(); // polls at 1000, then every POLL_MS; no file yet: waiting
    time.advance(2 * POLL_MS);
    write({ tick: 1 });
    time.advance(POLL_MS);
    // The first block seen after polls that saw nothing: it came after the last of those.
    const first = events.frame[0]!;
    expect(first.receivedAt).toBeCloseTo(1000 + 3 * POLL_MS, 6);
    expect(first.previousPollAt).toBeCloseTo(1000 + 2 * POLL_MS, 6);

    time.advance(5 * POLL_MS); // same tick: no sample, but the polls count
    write({ tick: 2 });
    time.advance(POLL_MS);
    const second = events.frame[1]!;
    expect(second.receivedAt - second.previousPollAt!).toBeCloseTo(POLL_MS, 6);

    // Failed reads tell nothing: the window reaches back to the last read that worked.
    failNextReads(true);
    time.advance(2 * POLL_MS);
    failNextReads(false);
    write({ tick: 3 });
    time.advance(POLL_MS);
    const third = events.frame[2]!;
    expect(third.receivedAt - third.previousPollAt!).toBeCloseTo(3 * POLL_MS, 6);

    // A truncated block already carried tick 4: the window reaches back before it.
    write(encodeFrame(createFrame({ tick: 4 })).subarray(0, 3000));
    time.advance(POLL_MS);
    write({ tick: 4 });
    time.advance(POLL_MS);
    const fourth = events.frame[3]!;
    expect(fourth.frame.tick).toBe(4);
    expect(fourth.receivedAt - fourth.previousPollAt!).toBeCloseTo(2 * POLL_MS, 6);
    expect(events.error.map((error) => error.code)).toEqual(['IO_FAILED', 'TRUNCATED']);
  });

  it('has no earlier poll to bound the first sample after start(), or after a restart', async () => {
    const { time, reader, events, write } = setup();
    write({ tick: 1 });
    await reader.start();
    expect(events.frame[0]!.previousPollAt).toBeNull();
    time.advance(POLL_MS);
    reader.stop();
    write({ tick: 2 });
    await reader.start();
    expect(events.frame.map((sample) => [sample.frame.tick, sample.previousPollAt])).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('goes back to waiting when the file disappears, and starts afresh when it returns', async () => {
    const { path, time, reader, events, write } = setup();
    write({ tick: 1 });
    await reader.start();
    write({ tick: 2 });
    time.advance(POLL_MS);
    rmSync(path);
    time.advance(POLL_MS);
    expect(reader.status).toBe('waiting');
    expect(events.waiting[0]!.message).toContain(path);
    const again = createFileWriter({ path });
    cleanups.push(() => again.close());
    again.write(createFrame({ tick: 1 }));
    time.advance(POLL_MS);
    expect(events.tickReset).toEqual([]);
    expect(events.frame.at(-1)!.ticksAdvanced).toBe(0);
    expect(events.mapChange.at(-1)!.previousMapId).toBeNull();
  });

  it('reports speed from a game writing at 50 Hz and moving the avatar at 25 Hz', async () => {
    const { time, reader, events, write } = setup();
    await reader.start();
    for (let step = 0; step < 100; step++) {
      const position = { x: Math.floor(step / 2) * 0.4, y: 0, z: 0 }; // 0.4 m per 40 ms: 10 m/s
      write({ tick: step + 1, avatar: { position } });
      time.advance(20);
    }
    const settled = events.frame.filter((sample) => sample.receivedAt > 1_000 + 400);
    expect(settled.length).toBeGreaterThan(50);
    for (const sample of settled) {
      expect(sample.moving).toBe(true);
      expect(Math.abs(sample.speed - 10)).toBeLessThan(1);
    }
  });

  it('delivers samples through an async iterator and ends it on stop()', async () => {
    const { time, reader, write } = setup();
    write({ tick: 1 });
    await reader.start();
    const iterator = reader.frames();
    write({ tick: 2 });
    time.advance(POLL_MS);
    write({ tick: 3 });
    time.advance(POLL_MS);
    expect((await iterator.next()).value?.frame.tick).toBe(2);
    const pending = iterator.next();
    write({ tick: 4 });
    time.advance(POLL_MS);
    expect((await pending).value?.frame.tick).toBe(3);
    expect((await iterator.next()).value?.frame.tick).toBe(4);
    const ending = iterator.next();
    reader.stop();
    expect(await ending).toEqual({ value: undefined, done: true });
    expect(time.pending).toBe(0);
  });

  it('starts when iterated and stops when the loop is left', async () => {
    const { time, reader, events, write } = setup();
    write({ tick: 1 });
    const seen: number[] = [];
    const loop = (async () => {
      for await (const sample of reader) {
        seen.push(sample.frame.tick);
        if (sample.frame.tick === 3) break;
      }
    })();
    await Promise.resolve();
    await Promise.resolve();
    for (const tick of [2, 3, 4]) {
      write({ tick });
      time.advance(POLL_MS);
      await Promise.resolve();
    }
    await loop;
    expect(seen).toEqual([1, 2, 3]);
    expect(reader.status).toBe('stopped');
    expect(events.stop).toHaveLength(1);
    expect(time.pending).toBe(0);
  });

  it('stops cleanly, restarts, and rejects start() when the source cannot be opened', async () => {
    const { time, reader, events, write } = setup();
    write({ tick: 1 });
    await reader.start();
    reader.stop();
    reader.stop();
    expect([reader.status, time.pending, events.stop.length]).toEqual(['stopped', 0, 1]);
    await reader.start();
    expect(events.frame.map((sample) => sample.frame.tick)).toEqual([1, 1]);

    const failing = createMumbleLinkReader({
      source: () => {
        throw new Error('no such device');
      },
      clock: time,
      scheduler: time,
    });
    const errors: string[] = [];
    failing.on('error', (error) => errors.push(error.message));
    await expect(failing.start()).rejects.toThrow(/no such device/);
    expect([failing.status, errors.length]).toEqual(['stopped', 1]);
    await expect(failing.frames().next()).rejects.toThrow(/no such device/);
  });

  it('leaves a source it was given open on stop; closes one it opened', async () => {
    const path = join(root, `given-${++counter}`, 'MumbleLink');
    const time = createManualClock();
    let closes = 0;
    const file = createFileSource({ path });
    const given: MumbleLinkSource = {
      ...file,
      description: file.description,
      close: () => closes++,
    };
    const reader = createMumbleLinkReader({ source: given, clock: time, scheduler: time });
    await reader.start();
    reader.stop();
    expect(closes).toBe(0);
    const opened = createMumbleLinkReader({ source: () => given, clock: time, scheduler: time });
    await opened.start();
    opened.stop();
    expect(closes).toBe(1);
  });
});
