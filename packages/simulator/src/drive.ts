import type { Vec3 } from '@gw2race/protocol';
import { len, sub } from './geometry';
import type { BotMisbehaviour } from './misbehaviour';

/** Seconds between two rows of a {@link DriveTable}. */
export const DRIVE_STEP = 0.02;

/** A beetle's acceleration, m/s²: it gets to speed in about 3 s (braking is twice as hard). */
const ACCELERATION = 9;

/** A drive integrated once: distance and speed every {@link DRIVE_STEP} seconds from the start. */
export interface DriveTable {
  readonly times: readonly number[];
  readonly distances: readonly number[];
  readonly speeds: readonly number[];
  /** Seconds from leaving the start to the end of the path. */
  readonly duration: number;
}

/** What {@link integrateDrive} drives. */
export interface DrivePlan {
  /** Length of the path, metres. */
  readonly length: number;
  /** Cruise speed, m/s. */
  readonly cruise: number;
  /** ± fraction the speed wanders around the cruise speed. */
  readonly jitter: number;
  readonly misbehave?: BotMisbehaviour | undefined;
  /** Distance along the path at each checkpoint of the course. */
  readonly marks: readonly number[];
  /** The leg (1-based in the course) where a misbehaving bot misbehaves. */
  readonly misbehaveLeg: number;
}

/**
 * Integrates distance over time at 20 ms steps (an hour at most): the bot accelerates to a
 * cruise speed that wanders with two slow sines, drives three times too fast over the leg before
 * the misbehaving one (`speed`), or jumps ahead just before it (`teleport`). Draws four numbers
 * from `random` (the sines' phases).
 */
export function integrateDrive(plan: DrivePlan, random: () => number): DriveTable {
  const { length, cruise, jitter, marks, misbehaveLeg } = plan;
  const teleportAt = (marks[misbehaveLeg - 1] as number) - 5;
  const teleportJump = Math.min(300, (marks[misbehaveLeg] ?? length) - teleportAt - 5);
  const speedFrom = marks[misbehaveLeg - 2] ?? 0;
  const speedTo = marks[misbehaveLeg - 1] as number;
  const phases = Array.from({ length: 4 }, () => random() * Math.PI * 2);
  const speedFactor = (t: number) =>
    1 +
    jitter *
      (0.6 * Math.sin(t / 7 + (phases[0] as number)) +
        0.4 * Math.sin(t / 2.3 + (phases[1] as number)));
  const step = DRIVE_STEP;
  const times: number[] = [0];
  const distances: number[] = [0];
  const speeds: number[] = [0];
  let t = 0;
  let d = 0;
  let v = 0;
  let teleported = false;
  while (d < length && t < 3600) {
    const target =
      cruise *
      speedFactor(t) *
      (plan.misbehave === 'speed' && d >= speedFrom && d < speedTo ? 3 : 1);
    v =
      v < target
        ? Math.min(target, v + ACCELERATION * step)
        : Math.max(target, v - ACCELERATION * 2 * step);
    d += v * step;
    if (plan.misbehave === 'teleport' && !teleported && d >= teleportAt) {
      d += teleportJump;
      teleported = true;
    }
    t += step;
    times.push(t);
    distances.push(Math.min(d, length));
    speeds.push(v);
  }
  return { times, distances, speeds, duration: t };
}

/** A place on a path and the direction of travel there. */
export interface PathPoint {
  readonly position: Vec3;
  /** Unit vector along the leg. */
  readonly front: Vec3;
}

/**
 * Where a distance along the polyline `waypoints` is (a binary search in `cumulative`, its
 * cumulative lengths): cheap enough to call for every racer on every frame.
 */
export function pointAlong(
  waypoints: readonly Vec3[],
  cumulative: readonly number[],
  distance: number,
): PathPoint {
  let lo = 1;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < distance) lo = mid + 1;
    else hi = mid;
  }
  const a = waypoints[lo - 1] as Vec3;
  const b = waypoints[lo] as Vec3;
  const legStart = cumulative[lo - 1] as number;
  const legLen = (cumulative[lo] as number) - legStart || 1;
  const f = Math.min(1, Math.max(0, (distance - legStart) / legLen));
  const dir = sub(b, a);
  const n = len(dir) || 1;
  return {
    position: { x: a.x + dir.x * f, y: a.y + dir.y * f, z: a.z + dir.z * f },
    front: { x: dir.x / n, y: dir.y / n, z: dir.z / n },
  };
}

/** Distance and speed `s` seconds after leaving the start, interpolated in the table. */
export function driveAt(table: DriveTable, s: number): { distance: number; speed: number } {
  const { times, distances, speeds } = table;
  const index = Math.min(times.length - 2, Math.floor(s / DRIVE_STEP));
  const f = (s - (times[index] as number)) / DRIVE_STEP;
  const distance =
    (distances[index] as number) +
    ((distances[index + 1] as number) - (distances[index] as number)) * f;
  return { distance, speed: speeds[index] as number };
}
