/**
 * A small race simulator for engine tests: racers ride a polyline through the checkpoint centres
 * at constant speed, their clients sample at 10 Hz with jitter, detect crossings with the shared
 * detector and report them; the host receives everything with latency. Deterministic per seed.
 */
import type {
  CheckpointMessage,
  PosMessage,
  ReceivedMessage,
  SphereCheckpoint,
  Track,
} from '@gw2race/protocol';
import type { Sample } from '../../advance-course';
import { compileCourse } from '../../course';
import { createCrossingDetector, toCheckpointMessage } from '../../crossing-detector';
import type { EngineInput } from '../../race-state';
import type { Point3 } from '../../segment-crossing';
import { type Path, rng } from './trajectories';

/** Epoch seconds used as t0 in tests. */
export const T0 = 1_724_312_345;

/** A compact test track: 5 spheres around a 300 m loop, start and finish apart. */
export function testTrack(overrides: Partial<Track> = {}): Track {
  const checkpoints: SphereCheckpoint[] = [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 10 },
    { id: 1, x: 100, y: 12, z: 0, r: 8 },
    { id: 2, x: 100, y: 14, z: 100, r: 8 },
    { id: 3, x: 0, y: 12, z: 100, r: 8 },
    { id: 4, role: 'finish', x: 0, y: 10, z: 30, r: 10 },
  ];
  return {
    format: 'gw2race-track',
    version: 1,
    id: 'test-loop',
    name: 'Test loop',
    mapId: 24,
    checkpoints,
    resets: [{ x: -20, y: 10, z: -20, r: 5 }],
    ...overrides,
  };
}

/** Constant-speed travel along a polyline, standing still at its end. */
export function polylinePath(points: readonly Point3[], speed: number, departAt: number): Path {
  const lengths: number[] = [0];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point3;
    const b = points[i] as Point3;
    lengths.push((lengths[i - 1] as number) + Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z));
  }
  const total = lengths[lengths.length - 1] as number;
  return (t) => {
    const d = Math.min(total, Math.max(0, (t - departAt) * speed));
    let i = 1;
    while (i < lengths.length - 1 && (lengths[i] as number) < d) i++;
    const a = points[i - 1] as Point3;
    const b = points[i] as Point3;
    const span = (lengths[i] as number) - (lengths[i - 1] as number);
    const u = span === 0 ? 0 : (d - (lengths[i - 1] as number)) / span;
    return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u, z: a.z + (b.z - a.z) * u };
  };
}

/** The waypoints of a whole race on a track: start, every lap's checkpoints, then 20 m beyond. */
export function raceWaypoints(track: Track, laps = 1, lateral = 0): Point3[] {
  const course = compileCourse(track, { laps });
  const points: Point3[] = [shift(course.start.center, lateral)];
  for (let k = 0; k < course.length; k++) {
    points.push(shift(course.lap[k % course.lap.length]?.center as Point3, lateral));
  }
  const last = points[points.length - 1] as Point3;
  const before = points[points.length - 2] as Point3;
  const n = Math.hypot(last.x - before.x, last.z - before.z) || 1;
  points.push({
    x: last.x + ((last.x - before.x) / n) * 20,
    y: last.y,
    z: last.z + ((last.z - before.z) / n) * 20,
  });
  return points;
}

function shift(p: Point3, lateral: number): Point3 {
  return { x: p.x + lateral, y: p.y, z: p.z - lateral };
}

/** One simulated racer. */
export interface SimRacer {
  readonly playerId: string;
  /** m/s along the route. */
  readonly speed: number;
  /** Metres added to x and taken from z at every waypoint (stay well inside the spheres). */
  readonly lateral?: number;
  /** Seconds after t0 the racer sets off (mass start) or the time-trial departure. */
  readonly departAt?: number;
  /** Network latency, s (default 0.04). */
  readonly latency?: number;
  /** Random extra latency, uniform in [0, this) s per message (default 0.01). */
  readonly latencyJitter?: number;
  /** Extra delay (s) for the position stamped at `t`: a network stall. */
  readonly delay?: (t: number) => number;
  /** Mount index sent with positions (default 6, the beetle). */
  readonly mount?: number;
  /** Send `checkpoint` reports from the client's detector (default true). */
  readonly reports?: boolean;
  /** Send positions (default true). */
  readonly positions?: boolean;
  /** Rewrite (or drop, with null) a position before it is sent: cheats and dropouts. */
  readonly tamper?: (pos: PosMessage, k: number) => PosMessage | null;
  /** Rewrite (or drop) a report before it is sent. */
  readonly tamperReport?: (report: CheckpointMessage) => CheckpointMessage | null;
  /** A custom path instead of the polyline through the checkpoints. */
  readonly path?: Path;
}

/** Options of {@link simulateRace}. */
export interface SimOptions {
  readonly seed?: number;
  readonly laps?: number;
  readonly startRule?: 'mass' | 'timeTrial';
  /** Seconds after t0 when sampling stops and the host sends END (default 60; null: no END). */
  readonly endAfter?: number | null;
  /** Sample rate (default 10 Hz) and timing jitter (default ±20 ms). */
  readonly hz?: number;
  readonly jitter?: number;
  /** Round `at` to this many seconds (to create ties; default 0: no rounding). */
  readonly atResolution?: number;
  readonly raceId?: string;
}

/**
 * A full recording: state, presence joins, START, every racer's positions and reports in the
 * order the host receives them, and END.
 */
export function simulateRace(
  track: Track,
  racers: readonly SimRacer[],
  options: SimOptions = {},
): EngineInput[] {
  const random = rng(options.seed ?? 1);
  const hz = options.hz ?? 10;
  const jitter = options.jitter ?? 0.02;
  const endAfter = options.endAfter === undefined ? 60 : options.endAfter;
  const laps = options.laps ?? 1;
  const raceId = options.raceId ?? 'test-race';
  const quantize = (at: number) =>
    options.atResolution ? Math.round(at / options.atResolution) * options.atResolution : at;
  const timed: { at: number; order: number; input: EngineInput }[] = [];
  let order = 0;
  const push = (at: number, input: EngineInput) => timed.push({ at, order: order++, input });

  push(T0 - 30, {
    kind: 'state',
    at: T0 - 30,
    message: {
      raceId,
      trackId: track.id,
      checkpoints: track.checkpoints,
      laps,
      startRule: options.startRule ?? 'mass',
      participants: racers.map((r) => ({ playerId: r.playerId })),
    },
  });
  for (const racer of racers) {
    push(T0 - 20, {
      kind: 'presence',
      at: T0 - 20,
      playerId: racer.playerId,
      message: { playerId: racer.playerId, event: 'join' },
    });
  }
  push(T0 - 10, { kind: 'control', at: T0 - 10, message: { cmd: 'START', t0: T0 } });

  const stop = T0 + (endAfter ?? 60);
  for (const racer of racers) {
    const path =
      racer.path ??
      polylinePath(
        raceWaypoints(track, laps, racer.lateral ?? 0),
        racer.speed,
        T0 + (racer.departAt ?? 0),
      );
    const detector = createCrossingDetector(track, {
      laps,
      startRule: options.startRule ?? 'mass',
      t0: T0,
    });
    const latency = racer.latency ?? 0.04;
    let lastAt = Number.NEGATIVE_INFINITY;
    let seq = 0;
    let reportSeq = 0;
    let lastT = Number.NEGATIVE_INFINITY;
    for (let k = 0; T0 - 2 + k / hz <= stop; k++) {
      const t = T0 - 2 + k / hz + (random() * 2 - 1) * jitter;
      if (t <= lastT) continue;
      lastT = t;
      const p = path(t);
      let pos: PosMessage | null = {
        playerId: racer.playerId,
        t,
        x: p.x,
        y: p.y,
        z: p.z,
        mapId: track.mapId ?? 24,
        mount: racer.mount ?? 6,
        seq: seq++,
      };
      if (racer.tamper) pos = racer.tamper(pos, k);
      if (pos === null) continue;
      const at = quantize(
        Math.max(
          lastAt,
          pos.t + latency + random() * (racer.latencyJitter ?? 0.01) + (racer.delay?.(t) ?? 0),
        ),
      );
      lastAt = at;
      if (racer.positions !== false) {
        push(at, { kind: 'pos', at, playerId: racer.playerId, message: pos });
      }
      if (racer.reports === false) continue;
      const sample: Sample = pos;
      for (const crossing of detector.push(sample)) {
        let report: CheckpointMessage | null = toCheckpointMessage(racer.playerId, crossing, {
          raceId,
          clockBound: 0.004,
          seq: reportSeq++,
        });
        if (racer.tamperReport) report = racer.tamperReport(report);
        if (report === null) continue;
        const reportAt = quantize(at + 0.005);
        push(reportAt, {
          kind: 'checkpoint',
          at: reportAt,
          playerId: racer.playerId,
          message: report,
        });
      }
    }
  }
  if (endAfter !== null) push(stop + 1, { kind: 'control', at: stop + 1, message: { cmd: 'END' } });
  timed.sort((a, b) => a.at - b.at || a.order - b.order);
  return timed.map((x) => x.input);
}

/** Only the received protocol messages of a stream (e.g. to hand to code that wants those). */
export function receivedOnly(inputs: readonly EngineInput[]): ReceivedMessage[] {
  return inputs.filter((i): i is ReceivedMessage => i.kind !== 'ruling');
}
