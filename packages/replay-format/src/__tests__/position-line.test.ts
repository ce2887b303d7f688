import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRacerDeltaState,
  decodePositionLine,
  dequantizePosition,
  encodePositionLine,
  floorDiv,
  MAX_QUANTIZED,
  type QuantizedSample,
  quantizePosition,
  type RacerDeltaState,
} from '../position-line';

const frame = {
  origin: 1_724_312_300_000,
  quantization: { timeScale: 1000, positionScale: 100, speedScale: 10 },
};

const big = fc.integer({ min: -MAX_QUANTIZED, max: MAX_QUANTIZED });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Samples either smooth (a moving racer) or arbitrary (corrupt clocks, teleports, extremes). */
const sampleArb: fc.Arbitrary<QuantizedSample> = fc.record({
  t: fc.oneof(
    fc.integer({ min: -5_000, max: 10_000_000 }),
    fc.integer({ min: -frame.origin, max: MAX_QUANTIZED }),
  ),
  lag: fc.oneof(fc.integer({ min: -50, max: 500 }), big),
  x: fc.oneof(fc.integer({ min: -5_000_000, max: 5_000_000 }), big),
  y: fc.integer({ min: -100_000, max: 100_000 }),
  z: big,
  v: opt(fc.integer({ min: 0, max: MAX_QUANTIZED })),
  mapId: opt(fc.integer({ min: 0, max: 0xffffffff })),
  mount: opt(fc.integer({ min: 0, max: 255 })),
  tick: opt(fc.integer({ min: 0, max: 0xffffffff })),
  seq: opt(fc.integer({ min: 0, max: MAX_QUANTIZED })),
  u: opt(fc.integer({ min: 0, max: MAX_QUANTIZED })),
  sig: opt(fc.string({ maxLength: 43 })),
});

/** A smooth track: what a real racer sends (small residuals). */
const smoothArb = fc
  .record({
    n: fc.integer({ min: 1, max: 60 }),
    t0: fc.integer({ min: 0, max: 1_000_000 }),
    x0: fc.integer({ min: -3_000_000, max: 3_000_000 }),
    vx: fc.integer({ min: -400, max: 400 }),
    jitter: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 60, maxLength: 60 }),
  })
  .map(({ n, t0, x0, vx, jitter }) =>
    Array.from(
      { length: n },
      (_, i): QuantizedSample => ({
        t: t0 + i * 100 + jitter[i]!,
        lag: 40 + (jitter[(i + 7) % 60]! & 7),
        x: x0 + i * vx + jitter[(i + 3) % 60]!,
        y: 6000 + jitter[(i + 5) % 60]!,
        z: x0 - i * vx,
        v: Math.abs(vx) * 10 + (jitter[i]! & 3),
        mapId: 1206,
        mount: 6,
        tick: 1000 + i * 6,
        seq: i,
        u: undefined,
        sig: undefined,
      }),
    ),
  );

/** Members: each a list of players' sample runs; some members are keyframes. */
const streamArb = fc.array(
  fc.record({
    key: fc.boolean(),
    players: fc.uniqueArray(
      fc.record({
        playerId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
        samples: fc.oneof(smoothArb, fc.array(sampleArb, { minLength: 1, maxLength: 8 })),
      }),
      { selector: (p) => p.playerId, minLength: 1, maxLength: 4 },
    ),
    topic: fc.boolean(),
  }),
  { minLength: 1, maxLength: 6 },
);

function decodedSamples(chunk: ReturnType<typeof decodeAll>[number][number]) {
  const { values } = chunk;
  const col = (offset: number, i: number) => {
    if (offset < 0) return undefined;
    const value = values[offset + i]!;
    return Number.isNaN(value) ? undefined : value;
  };
  return Array.from({ length: chunk.n }, (_, i) => ({
    t: values[chunk.t + i]!,
    lag: values[chunk.lag + i]!,
    x: values[chunk.x + i]!,
    y: values[chunk.y + i]!,
    z: values[chunk.z + i]!,
    v: col(chunk.v, i),
    mapId: col(chunk.mapId, i),
    mount: col(chunk.mount, i),
    tick: col(chunk.tick, i),
    seq: col(chunk.seq, i),
    u: col(chunk.u, i),
    sig: chunk.sig?.[i] ?? undefined,
  }));
}

function decodeAll(lines: string[]) {
  const states = new Map<string, RacerDeltaState>();
  return lines.map((line) => {
    const decoded = decodePositionLine(JSON.parse(line), states, frame);
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.problems).toEqual([]);
    return decoded.chunks;
  });
}

describe('position lines (the delta codec)', () => {
  it('divides exactly (the motion predictor in doubles equals exact integer floor division)', () => {
    const bigFloor = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 }),
        fc.integer({ min: 1, max: 2 ** 48 }),
        (a, b) => {
          expect(BigInt(floorDiv(a, b))).toBe(bigFloor(BigInt(a), BigInt(b)));
        },
      ),
      { numRuns: 2000 },
    );
    // Near the edge: quotients just below an integer.
    for (const b of [3, 7, 2 ** 20 + 1, 2 ** 48]) {
      const k = Math.floor((2 ** 52 - 1) / b);
      expect(floorDiv(k * b - 1, b)).toBe(k - 1);
      expect(floorDiv(-(k * b) + 1, b)).toBe(-k);
    }
  });

  it('round-trip every integer exactly across members, keyframes and new players', () => {
    fc.assert(
      fc.property(streamArb, (members) => {
        const states = new Map<string, RacerDeltaState>();
        const lines = members.map((member, i) =>
          encodePositionLine({ ...member, key: i === 0 || member.key }, states, frame),
        );
        const decoded = decodeAll(lines);
        members.forEach((member, i) => {
          expect(decoded[i]!.map((chunk) => chunk.playerId)).toEqual(
            member.players.map((p) => p.playerId),
          );
          member.players.forEach((player, p) => {
            expect(decodedSamples(decoded[i]![p]!)).toEqual(player.samples);
            expect(decoded[i]![p]!.topic).toBe(member.topic);
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('codes a smooth track in about one character per value', () => {
    const samples = Array.from(
      { length: 50 },
      (_, i): QuantizedSample => ({
        t: 5000 + i * 100 + (i % 3) - 1,
        lag: 45 + (i % 2),
        x: 100_000 + i * 240,
        y: 6000 + (i % 4),
        z: -50_000 - i * 130,
        v: 273, // what the move says: hypot(2.4, 1.3) m per 0.1 s
        mapId: undefined,
        mount: undefined,
        tick: undefined,
        seq: undefined,
        u: undefined,
        sig: undefined,
      }),
    );
    const line = JSON.parse(
      encodePositionLine(
        { key: true, topic: true, players: [{ playerId: 'p1', samples }] },
        new Map(),
        frame,
      ),
    );
    // 6 columns × 50 values, plus the absolute first values.
    expect(line.data.length).toBeLessThan(6 * 50 + 30);
    expect(line.cols).toBe('t x y z lag v');
  });

  it('reports a player that continues from lost data, and decodes the others', () => {
    const sample = (t: number): QuantizedSample => ({
      t,
      lag: 40,
      x: t,
      y: 0,
      z: 0,
      v: undefined,
      mapId: undefined,
      mount: undefined,
      tick: undefined,
      seq: undefined,
      u: undefined,
      sig: undefined,
    });
    const writer = new Map<string, RacerDeltaState>();
    encodePositionLine(
      { key: true, topic: false, players: [{ playerId: 'a', samples: [sample(0)] }] },
      writer,
      frame,
    );
    const second = encodePositionLine(
      {
        key: false,
        topic: false,
        players: [
          { playerId: 'a', samples: [sample(100)] },
          { playerId: 'b', samples: [sample(100)] },
        ],
      },
      writer,
      frame,
    );
    // A reader that missed the first line.
    const decoded = decodePositionLine(JSON.parse(second), new Map(), frame);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.problems.map((p) => [p.playerId, p.kind])).toEqual([['a', 'missing-state']]);
    expect(decoded.chunks.map((c) => c.playerId)).toEqual(['b']);
  });

  it('refuses malformed lines without throwing', () => {
    const states = new Map([['p1', createRacerDeltaState()]]);
    const good = JSON.parse(
      encodePositionLine(
        {
          key: true,
          topic: false,
          players: [
            {
              playerId: 'p1',
              samples: [
                {
                  t: 1,
                  lag: 2,
                  x: 3,
                  y: 4,
                  z: 5,
                  v: 6,
                  mapId: undefined,
                  mount: undefined,
                  tick: undefined,
                  seq: undefined,
                  u: undefined,
                  sig: undefined,
                },
              ],
            },
          ],
        },
        new Map(),
        frame,
      ),
    );
    for (const bad of [
      { ...good, n: [2] },
      { ...good, data: `${good.data}0` },
      { ...good, data: good.data.slice(0, -1) },
      { ...good, cols: 'x t y z lag' },
      { ...good, players: [''] },
      { ...good, key: 'yes' },
      { ...good, data: good.data.replace(/.$/, '~') }, // v may be missing, but not the last required…
      { ...good, data: `~${good.data.slice(1)}` }, // …and t may not
    ]) {
      const decoded = decodePositionLine(bad, states, frame);
      const failed = !decoded.ok || decoded.problems.length > 0;
      if (bad.data === good.data.replace(/.$/, '~')) expect(failed).toBe(false);
      else expect(failed).toBe(true);
    }
  });

  it('quantizes within half a step and stores what it cannot represent exactly', () => {
    fc.assert(
      fc.property(
        fc.record({
          t: fc.double({ min: 1.7e9, max: 1.8e9, noNaN: true }),
          at: fc.double({ min: 1.7e9, max: 1.8e9, noNaN: true }),
          x: fc.double({ min: -50_000, max: 50_000, noNaN: true }),
          v: fc.double({ min: 0, max: 200, noNaN: true }),
        }),
        ({ t, at, x, v }) => {
          const received = {
            kind: 'pos' as const,
            at,
            message: { playerId: 'p', t, x, y: -x, z: x / 3, v },
          };
          const sample = quantizePosition(received, frame)!;
          const back = dequantizePosition('p', sample, frame, false);
          expect(Math.abs(back.message.t - t)).toBeLessThanOrEqual(0.0005 + 1e-6);
          expect(Math.abs(back.at - at)).toBeLessThanOrEqual(0.0005 + 1e-6);
          expect(Math.abs(back.message.x - x)).toBeLessThanOrEqual(0.005 + 1e-9);
          expect(Math.abs(back.message.v! - v)).toBeLessThanOrEqual(0.05 + 1e-9);
        },
      ),
    );
    const pos = { playerId: 'p', t: 1.75e9, x: 1, y: 2, z: 3 };
    expect(
      quantizePosition({ kind: 'pos', at: 1.75e9, message: { ...pos, x: 1e13 } }, frame),
    ).toBeUndefined();
    expect(
      quantizePosition({ kind: 'pos', at: 1.75e9, message: pos, playerId: 'other' }, frame),
    ).toBeUndefined();
    expect(
      quantizePosition(
        { kind: 'pos', at: 1.75e9, message: { ...pos, extra: 1 } as typeof pos },
        frame,
      ),
    ).toBeUndefined();
  });
});
