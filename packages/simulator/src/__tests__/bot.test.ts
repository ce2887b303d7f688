import type { Track, Vec3 } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { type BotMisbehaviour, createBot } from '../index';

const SHORT: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'short',
  name: 'Short',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, x: 200, y: 12, z: 150, r: 12 },
    { id: 4, x: 130, y: 10, z: 220, r: 12 },
  ],
};

/**
 * A ridden line through SHORT that swings far out between checkpoints 1 and 2 (through
 * (150, 12, -60)), which no straight course between the checkpoints comes near.
 */
const LINE: [number, number, number, number][] = [
  [0, 0, 10, 0],
  [3, 90, 12, 10],
  [6, 150, 12, -60],
  [9, 170, 14, 60],
  [12, 200, 12, 150],
  [15, 130, 10, 220],
];

const distance = (a: Vec3, b: Vec3) => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

/** Distance from a point to the polyline through `points`. */
function distanceToLine(p: Vec3, points: readonly Vec3[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Vec3;
    const b = points[i] as Vec3;
    const d = { x: b.x - a.x, y: b.y - a.y, z: b.z - a.z };
    const l2 = d.x * d.x + d.y * d.y + d.z * d.z;
    const u =
      l2 === 0
        ? 0
        : Math.min(
            1,
            Math.max(0, ((p.x - a.x) * d.x + (p.y - a.y) * d.y + (p.z - a.z) * d.z) / l2),
          );
    best = Math.min(best, distance(p, { x: a.x + d.x * u, y: a.y + d.y * u, z: a.z + d.z * u }));
  }
  return best;
}

/** Every state of a bot's drive, every 20 ms. */
function drive(track: Track, seed: number, misbehave?: BotMisbehaviour) {
  const bot = createBot(track, { seed, ...(misbehave ? { misbehave } : {}) });
  const states = [];
  for (let t = 0; t <= bot.duration + 0.1; t += 0.02) states.push(bot.at(t));
  return { bot, states };
}

/** Closest approach of a drive to each checkpoint centre. */
function closest(track: Track, states: readonly { position: Vec3 }[]): number[] {
  return track.checkpoints.map((cp) =>
    cp.kind === 'gate'
      ? Number.NaN
      : Math.min(...states.map((s) => distance(s.position, { x: cp.x, y: cp.y, z: cp.z }))),
  );
}

describe('createBot without a reference line', () => {
  it('drives as it always did for a seed (figures recorded before it learnt reference lines)', () => {
    const cases = [
      {
        seed: 1,
        misbehave: undefined,
        circuit: false,
        laps: 1,
        duration: 15.59082957623503,
        length: 392.98751638839957,
        at5: [99.78761296483006, 12.883675207522446, 13.73867815953302, 29.29946592624612],
      },
      {
        seed: 42,
        misbehave: 'teleport',
        circuit: false,
        laps: 1,
        duration: 12.200441500767903,
        length: 386.4899008413379,
        at5: [100.25564723269926, 12.510074876778257, 20.578674172328128, 30.419013082987647],
      },
      {
        seed: 7,
        misbehave: 'speed',
        circuit: true,
        laps: 2,
        duration: 39.1446819012617,
        length: 1288.850087384449,
        at5: [103.4347881049591, 12.51486796080878, 17.659753216408664, 28.824639256879095],
      },
      {
        seed: 9,
        misbehave: 'skip',
        circuit: false,
        laps: 1,
        duration: 14.319491567238956,
        length: 379.7121700971624,
        at5: [100.48559272029546, 12.76968241690489, 20.15788624993033, 29.731336804191905],
      },
    ] as const;
    for (const c of cases) {
      const bot = createBot(
        { ...SHORT, circuit: c.circuit, laps: c.laps },
        { seed: c.seed, ...(c.misbehave ? { misbehave: c.misbehave } : {}) },
      );
      expect(bot.duration).toBe(c.duration);
      expect(bot.length).toBe(c.length);
      const state = bot.at(5.5);
      expect([state.position.x, state.position.y, state.position.z, state.speed]).toEqual(c.at5);
    }
  });
});

describe('createBot with a reference line', () => {
  const track: Track = { ...SHORT, referenceLine: LINE };
  const linePoints = LINE.map(([, x, y, z]) => ({ x, y, z }));

  it('follows the line, through its swing, and every checkpoint on it', () => {
    const { bot, states } = drive(track, 3);
    const riding = states.filter((s) => !s.finished);
    // The line, then the bot's few metres through the finish.
    const driven = [...linePoints, bot.at(bot.duration + 1).position];
    for (const state of riding) expect(distanceToLine(state.position, driven)).toBeLessThan(1e-6);
    // The swing far from the checkpoints' straight course is driven.
    expect(
      Math.min(...riding.map((s) => distance(s.position, { x: 150, y: 12, z: -60 }))),
    ).toBeLessThan(1);
    for (const [i, d] of closest(track, states).entries())
      expect(d, `checkpoint ${i}`).toBeLessThan(1);
    expect(bot.at(-1).position).toEqual({ x: 0, y: 10, z: 0 });
    expect(bot.at(bot.duration + 1).finished).toBe(true);
    // The line's length plus about 10 m through the finish (level, so a little under).
    const lineLength = linePoints
      .slice(1)
      .reduce((sum, p, i) => sum + distance(p, linePoints[i] as Vec3), 0);
    expect(bot.length).toBeCloseTo(lineLength + 10, 1);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = drive(track, 11).states;
    expect(drive(track, 11).states).toEqual(a);
    expect(drive(track, 12).states).not.toEqual(a);
  });

  it('drives the line once per lap', () => {
    const loop: [number, number, number, number][] = [...LINE, [20, 0, 10, 0]];
    const circuit: Track = { ...SHORT, circuit: true, laps: 3, referenceLine: loop };
    const one = createBot({ ...circuit, laps: 1 }, { seed: 1 });
    const three = createBot(circuit, { seed: 1 });
    expect(three.length - 10).toBeCloseTo((one.length - 10) * 3, 6);
  });

  it('still misbehaves mid-course: skips a checkpoint, teleports, speeds', () => {
    const skip = drive(track, 5, 'skip');
    const near = closest(track, skip.states);
    // The middle checkpoint of the five-step course (order index 2: checkpoint 2) is avoided.
    expect(near[2]).toBeGreaterThan(12);
    for (const i of [0, 1, 3, 4]) expect(near[i], `checkpoint ${i}`).toBeLessThan(1);

    const teleport = drive(track, 5, 'teleport').states;
    const jumps = teleport
      .slice(1)
      .map((s, i) => distance(s.position, (teleport[i] as { position: Vec3 }).position));
    expect(Math.max(...jumps)).toBeGreaterThan(30);

    const speed = drive(track, 5, 'speed').states;
    expect(Math.max(...speed.map((s) => s.speed))).toBeGreaterThan(60);
    const honest = drive(track, 5).states;
    expect(Math.max(...honest.map((s) => s.speed))).toBeLessThan(40);
  });

  it('ignores a line of fewer than two distinct points', () => {
    const bot = createBot({ ...SHORT, referenceLine: [[0, 5, 5, 5]] }, { seed: 1 });
    expect(bot.length).toBe(createBot(SHORT, { seed: 1 }).length);
  });
});
