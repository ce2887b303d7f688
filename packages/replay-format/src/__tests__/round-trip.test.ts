import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { PosMessage, ReceivedMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { quantizeMessage } from '../quantize-message';
import { readReplay } from '../read-replay';
import type { ReplayEntry } from '../replay-entry';
import { isReplayError } from '../replay-error';
import { createReplayWriter } from '../replay-writer';
import { collect, positionsByPlayer, record, recordedRace } from './helpers';

const header = { raceId: 'cup-1', createdAt: 1_724_312_300 };

describe('round trip of a whole race', () => {
  it('gives back every message, positions within the quantization step', async () => {
    const race = await recordedRace({ fields: 'all' });
    const reader = readReplay(race.bytes);
    const headerResult = await reader.header();
    expect(headerResult.ok).toBe(true);
    if (!headerResult.ok) return;
    const h = headerResult.value;
    expect(h).toMatchObject({
      format: 'gw2race-replay',
      version: 1,
      raceId: race.raceId,
      createdAt: race.startAt,
      mapId: race.track.mapId,
      laps: 1,
      t0: null,
      quantization: { timeScale: 1000, positionScale: 100, speedScale: 10 },
      clockOffsets: { 'racer-1': { offsetMs: 3.5, boundMs: 1.2 } },
    });
    expect(h.track).toEqual(race.track);
    expect(h.state).toEqual(race.state);
    const back = await collect(reader);
    expect(reader.issues).toEqual([]);
    expect(reader.index?.positions).toBe(race.positionCount);
    expect(back).toHaveLength(race.messages.length);
    for (let i = 1; i < back.length; i++)
      expect(back[i]!.at).toBeGreaterThanOrEqual(back[i - 1]!.at);

    const sent = positionsByPlayer(race.messages);
    const got = positionsByPlayer(back);
    expect([...got.keys()].sort()).toEqual([...sent.keys()].sort());
    for (const [playerId, samples] of sent) {
      const received = got.get(playerId)!;
      expect(received).toHaveLength(samples.length);
      samples.forEach((sample, i) => {
        const r = received[i]!;
        expect(r.playerId).toBe(playerId);
        // Half a millisecond, plus the rounding of an epoch time held in a double (~2e-7 s).
        expect(Math.abs(r.at - sample.at)).toBeLessThanOrEqual(0.0005 + 1e-6);
        expect(r.message.t).toBe(sample.message.t); // clients send ms already
        for (const axis of ['x', 'y', 'z'] as const) {
          expect(Math.abs(r.message[axis] - sample.message[axis])).toBeLessThanOrEqual(
            0.005 + 1e-9,
          );
        }
        expect(Math.abs(r.message.v! - sample.message.v!)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect([r.message.mapId, r.message.mount, r.message.tick, r.message.seq]).toEqual([
          sample.message.mapId,
          sample.message.mount,
          sample.message.tick,
          sample.message.seq,
        ]);
        // What quantizeMessage predicts is exactly what comes back.
        expect(r).toEqual(quantizeMessage(sample, h));
      });
    }
    const events = (list: readonly ReplayEntry[]) => list.filter((m) => m.kind !== 'pos');
    const sentEvents = events(race.messages);
    const gotEvents = events(back);
    expect(gotEvents).toHaveLength(sentEvents.length);
    for (const [i, event] of sentEvents.entries()) {
      expect(isDeepStrictEqual(gotEvents[i], event)).toBe(true);
    }
    expect(new Set(gotEvents.map((m) => m.kind))).toEqual(
      new Set([
        'state',
        'control',
        'presence',
        'checkpoint',
        'ranking',
        'chat',
        'ping',
        'pong',
        'flag',
      ]),
    );
  });

  it('keeps optional fields per sample, unknown kinds, and positions it cannot quantize', async () => {
    const at = header.createdAt + 1;
    const messages: ReplayEntry[] = [
      {
        kind: 'pos',
        at,
        message: { playerId: 'a', t: at, x: 1, y: 2, z: 3, v: 4, sig: 'A'.repeat(43), seq: 7 },
        playerId: 'a',
      },
      {
        kind: 'pos',
        at: at + 0.1,
        message: { playerId: 'a', t: at + 0.1, x: 1.5, y: 2, z: 3 },
        playerId: 'a',
      },
      {
        kind: 'pos',
        at: at + 0.2,
        message: { playerId: 'a', t: at + 0.2, x: 2, y: 2, z: 3, mount: 6, tick: 99 },
        playerId: 'a',
      },
      {
        kind: 'pos',
        at: at + 0.3,
        message: { playerId: 'a', t: at + 0.3, x: 1e15, y: 2, z: 3 },
        playerId: 'a',
      },
      {
        kind: 'pos',
        at: at + 0.4,
        message: { playerId: 'b', t: 10.5, x: -1, y: -2, z: -3 },
        playerId: 'b',
      },
      {
        kind: 'unknown',
        recordedKind: 'weather',
        at: at + 0.5,
        message: { rain: true, mm: 3 },
        playerId: 'a',
      },
      { kind: 'pos', at: at + 0.6, message: { playerId: 'c', t: at + 0.6, x: 0, y: 0, z: 0 } },
    ];
    const { bytes } = await record(messages, header);
    const reader = readReplay(bytes);
    const back = await collect(reader);
    expect(reader.issues).toEqual([]);
    expect(back).toHaveLength(messages.length);
    expect(back).toEqual(
      messages.map((m) =>
        m.kind === 'unknown'
          ? m
          : quantizeMessage(m as ReceivedMessage, {
              origin: 1_724_312_300_000,
              quantization: { timeScale: 1000, positionScale: 100, speedScale: 10 },
            }),
      ),
    );
    // Out of range: stored exactly. Race-relative t: kept. No topic player id: kept absent.
    expect(back[3]).toEqual(messages[3]);
    expect(back[4]!.kind === 'pos' && back[4]!.message.t).toBe(10.5);
    expect(back[6]).not.toHaveProperty('playerId');
    expect(back[5]).toEqual({
      kind: 'unknown',
      recordedKind: 'weather',
      at: at + 0.5,
      message: { rain: true, mm: 3 },
      playerId: 'a',
    });
  });

  it("stores a sample the reader would refuse as an event line, not inside everyone's positions", async () => {
    const at = header.createdAt + 1;
    const odd: Record<number, Partial<PosMessage>> = {
      10: { sig: 'x'.repeat(65) }, // longer than the protocol's 64
      20: { mount: 300 }, // beyond a mount index
      30: { mapId: -1 },
      40: { tick: 2 ** 33 },
    };
    const messages: ReplayEntry[] = [];
    for (let i = 0; i < 120; i++) {
      for (const playerId of ['a', 'b', 'c'.repeat(65)]) {
        const message: PosMessage = { playerId, t: at + i / 10, x: i, y: 1, z: 2 };
        if (playerId === 'a') Object.assign(message, odd[i]);
        messages.push({ kind: 'pos', at: at + i / 10 + 0.04, message, playerId });
      }
    }
    const { bytes } = await record(messages, header);
    const reader = readReplay(bytes);
    const back = await collect(reader);
    // Each odd sample is an exact event line: the reader refuses only those the protocol
    // refuses (the long sig, mount, mapId, tick; the long player id), nobody else's positions.
    const codes = reader.issues.map((issue) => issue.code);
    expect(new Set(codes)).toEqual(new Set(['INVALID_MESSAGE']));
    const refused = 4 + 120;
    expect(codes).toHaveLength(refused);
    expect(back).toHaveLength(messages.length - refused);
    const positions = positionsByPlayer(back);
    expect(positions.get('a')).toHaveLength(116);
    expect(positions.get('b')).toHaveLength(120);
    // Writing did not make any line a reader refuses: every position line decodes.
    const text = gunzipSync(bytes).toString('utf8');
    expect(text).toContain('"sig":"xxxxxxxx');
    expect(text.split('\n').filter((line) => line.includes('"type":"pos"')).length).toBeGreaterThan(
      0,
    );
  });

  it('stores positions that state their uncertainty compactly, rounding u up to the time step', async () => {
    const at = header.createdAt + 1;
    const messages: ReplayEntry[] = Array.from({ length: 50 }, (_, i) => ({
      kind: 'pos',
      at: at + i * 0.1 + 0.03,
      playerId: 'a',
      message: {
        playerId: 'a',
        t: at + i * 0.1,
        x: i * 2.5,
        y: 2,
        z: 3,
        v: 25,
        u: 0.0095 + (i % 3) * 0.0001,
      },
    }));
    const { bytes } = await record(messages, header);
    const reader = readReplay(bytes);
    const back = await collect(reader);
    expect(reader.issues).toEqual([]);
    expect(back.map((e) => e.kind === 'pos' && e.message.u)).toEqual(messages.map(() => 0.01));
    // One compact position line, not fifty event lines.
    const { gunzipSync } = await import('node:zlib');
    const lines = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('{"type":"event"'))).toHaveLength(0);
    const positionLine = lines.find((line) => line.startsWith('{"type":"pos"'));
    expect(positionLine && JSON.parse(positionLine).cols).toBe('t x y z lag v u');
  });

  it('stores every position exactly with compactPositions: false', async () => {
    const at = header.createdAt + 1;
    const messages: ReplayEntry[] = Array.from({ length: 30 }, (_, i) => ({
      kind: 'pos' as const,
      at: at + i * 0.1 + 0.0123456,
      message: {
        playerId: 'p',
        t: at + i * 0.1,
        x: Math.fround(i * 1.234567),
        y: 1 / 3,
        z: 0.5 - i,
      },
      playerId: 'p',
    }));
    const { bytes } = await record(messages, header, { compactPositions: false });
    expect(await collect(readReplay(bytes))).toEqual(messages);
  });
});

describe('the writer', () => {
  it('cuts members by receive time, on flush(), and never before the header', async () => {
    const parts: Uint8Array[] = [];
    const writer = createReplayWriter({ write: (p) => void parts.push(p) }, header, {
      flushIntervalMs: 1000,
    });
    expect(parts).toHaveLength(1); // the header member, at once
    const pos = (at: number) => ({
      kind: 'pos' as const,
      at,
      message: { playerId: 'p', t: at, x: at, y: 0, z: 0 },
    });
    writer.append(pos(header.createdAt + 0.0));
    writer.append(pos(header.createdAt + 0.9));
    expect(parts).toHaveLength(1);
    writer.append(pos(header.createdAt + 1.0)); // a second after the member started
    expect(parts).toHaveLength(2);
    await writer.flush();
    expect(parts).toHaveLength(3);
    await writer.flush(); // nothing buffered: nothing written
    expect(parts).toHaveLength(3);
    const index = await writer.close();
    expect(parts).toHaveLength(4);
    expect(index.members.map((m) => m.role)).toEqual(['header', 'data', 'data']);
    expect(index.members.map((m) => m.records)).toEqual([0, 2, 1]);
    expect(writer.stats).toMatchObject({ members: 4, records: 3, positions: 3, exactPositions: 0 });
    expect(() => writer.append(pos(header.createdAt + 2))).toThrow(
      expect.objectContaining({ code: 'WRITER_CLOSED' }),
    );
    expect(await writer.close()).toBe(index);
  });

  it('waits for an async sink, keeps its order, and surfaces its failure', async () => {
    const written: string[] = [];
    let syncs = 0;
    const slow = {
      write: async (part: Uint8Array) => {
        await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
        written.push(`w${part.length}`);
      },
      sync: async () => {
        syncs++;
      },
    };
    const writer = createReplayWriter(slow, header, { flushIntervalMs: 100 });
    for (let i = 0; i < 20; i++) {
      writer.append({ kind: 'chat', at: header.createdAt + i * 0.1, message: { text: `m${i}` } });
    }
    const index = await writer.close();
    expect(written).toHaveLength(index.members.length + 1);
    expect(written.map((w) => Number(w.slice(1)))).toEqual([
      ...index.members.map((m) => m.length),
      expect.any(Number),
    ]);
    expect(syncs).toBe(written.length);

    let fail = false;
    const failing = createReplayWriter(
      {
        write: () => {
          if (fail) throw new Error('disk full');
        },
      },
      header,
      { flushIntervalMs: 100 },
    );
    fail = true;
    failing.append({ kind: 'chat', at: header.createdAt, message: { text: 'a' } });
    let thrown: unknown;
    try {
      failing.append({ kind: 'chat', at: header.createdAt + 1, message: { text: 'b' } });
    } catch (error) {
      thrown = error;
    }
    expect(isReplayError(thrown) && thrown.code).toBe('SINK_FAILED');
    await expect(failing.flush()).rejects.toMatchObject({ code: 'SINK_FAILED' });

    // The sink is released even so (a file handle must not leak).
    let closed = 0;
    const broken = createReplayWriter(
      {
        write: () => {
          if (closed === 0 && fail) throw new Error('disk full');
        },
        close: () => {
          closed++;
        },
      },
      header,
    );
    // The header member already failed to write.
    expect(() =>
      broken.append({ kind: 'chat', at: header.createdAt + 9, message: { text: 'c' } }),
    ).toThrow(expect.objectContaining({ code: 'SINK_FAILED' }));
    await expect(broken.close()).rejects.toMatchObject({ code: 'SINK_FAILED' });
    expect(closed).toBe(1);
  });

  it('refuses bad arguments', () => {
    const sink = { write: () => {} };
    expect(() => createReplayWriter(sink, { raceId: 'a/b', createdAt: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createReplayWriter(sink, header, { flushIntervalMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      createReplayWriter(sink, header, { quantization: { positionScale: 0.5 } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const writer = createReplayWriter(sink, header);
    expect(() => writer.append({ kind: 'chat', at: Number.NaN, message: { text: 'x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
