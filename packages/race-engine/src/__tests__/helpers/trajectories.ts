/**
 * Analytic trajectories with exactly known positions at every instant, sampled like a racer's
 * client does (10 Hz with jitter), and the exact first-entry time of a sphere for ground truth.
 * Shared by the tests and the benchmark.
 */
import type { Sample } from '../../advance-course';
import type { Point3, Sphere } from '../../segment-crossing';

/** Position at time `t` (organizer-clock seconds). */
export type Path = (t: number) => Point3;

/** Deterministic PRNG (mulberry32), so every test run sees the same "random" trajectories. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A straight line through `at` (reached at time `when`) with constant `velocity` (m/s). */
export function line(at: Point3, velocity: Point3, when: number): Path {
  return (t) => ({
    x: at.x + velocity.x * (t - when),
    y: at.y + velocity.y * (t - when),
    z: at.z + velocity.z * (t - when),
  });
}

/**
 * A horizontal circular arc of `radius` around `center` at constant `speed`, at angle `phase`
 * (radians, in the X/Z plane) at time `when`; `sense` +1 counter-clockwise, -1 clockwise.
 */
export function arc(
  center: Point3,
  radius: number,
  speed: number,
  phase: number,
  when: number,
  sense: 1 | -1 = 1,
): Path {
  const omega = (sense * speed) / radius;
  return (t) => {
    const angle = phase + omega * (t - when);
    return {
      x: center.x + radius * Math.cos(angle),
      y: center.y,
      z: center.z + radius * Math.sin(angle),
    };
  };
}

/**
 * Sampling instants from `from` to `to` at `hz` with each instant moved by up to ±`jitter` s
 * (a game frame does not line up with the 100 ms timer), strictly increasing.
 */
export function sampleTimes(
  from: number,
  to: number,
  random: () => number,
  hz = 10,
  jitter = 0.02,
): number[] {
  const times: number[] = [];
  const period = 1 / hz;
  for (let k = 0; from + k * period <= to; k++) {
    const t = from + k * period + (random() * 2 - 1) * jitter;
    if (times.length === 0 || t > (times[times.length - 1] as number)) times.push(t);
  }
  return times;
}

/** Samples of a path at the given instants (exact positions, exact timestamps). */
export function samplePath(
  path: Path,
  times: readonly number[],
  extra: Partial<Sample> = {},
): Sample[] {
  return times.map((t) => ({ ...path(t), ...extra, t }));
}

/**
 * Exact first instant in [from, to] at which the path is inside the sphere (ground truth):
 * a scan that cannot step over an entry, then bisection to the resolution of a double.
 * Undefined if it never enters.
 */
export function exactEntry(
  path: Path,
  sphere: Sphere,
  from: number,
  to: number,
  maxSpeed = 60,
): number | undefined {
  const outside = (t: number) => {
    const p = path(t);
    return Math.hypot(p.x - sphere.x, p.y - sphere.y, p.z - sphere.z) - sphere.r;
  };
  const inside = (t: number) => outside(t) <= 0;
  if (inside(from)) return from;
  // The path cannot reach the sphere faster than maxSpeed: step by the distance left, at least
  // 0.2 ms, so no entry shorter than that is skipped.
  for (let t = from; t < to; ) {
    const step = Math.max(0.0002, outside(t) / maxSpeed);
    const b = Math.min(to, t + step);
    if (inside(b)) {
      let lo = t;
      let hi = b;
      // Epoch seconds resolve to about 0.24 µs: bisect until the midpoint is one of the ends.
      for (;;) {
        const mid = (lo + hi) / 2;
        if (mid <= lo || mid >= hi) break;
        if (inside(mid)) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    t = b;
  }
  return undefined;
}

/** The "first sample inside" time every GW2 race tool uses today (the baseline). */
export function firstSampleInside(samples: readonly Sample[], sphere: Sphere): number | undefined {
  for (const s of samples) {
    if ((s.x - sphere.x) ** 2 + (s.y - sphere.y) ** 2 + (s.z - sphere.z) ** 2 <= sphere.r ** 2) {
      return s.t;
    }
  }
  return undefined;
}

/** A point on the path at time t, pushed `offset` metres sideways (in X/Z) from its direction. */
export function sideways(path: Path, t: number, offset: number): Point3 {
  const p = path(t);
  const q = path(t + 1e-3);
  const dx = q.x - p.x;
  const dz = q.z - p.z;
  const n = Math.hypot(dx, dz);
  return { x: p.x + (-dz / n) * offset, y: p.y, z: p.z + (dx / n) * offset };
}

/** One crossing scenario: a path, a sphere it enters (or grazes), and the exact entry time. */
export interface Scenario {
  readonly kind: 'line' | 'arc';
  readonly grazing: boolean;
  readonly path: Path;
  readonly sphere: Sphere;
  readonly entry: number;
  readonly from: number;
  readonly to: number;
  readonly speed: number;
}

/**
 * Random crossing scenarios: straight lines and arcs (radius 40-250 m) at 15-40 m/s, through
 * spheres of radius 5-15 m at a random offset from their centre (`grazing` ones pass within the
 * outer 2% of the radius), with the exact entry time.
 */
export function scenarios(count: number, seed: number, grazingShare = 0.2): Scenario[] {
  const random = rng(seed);
  const out: Scenario[] = [];
  const t0 = 1_724_312_345;
  while (out.length < count) {
    const speed = 15 + random() * 25;
    const r = 5 + random() * 10;
    const grazing = random() < grazingShare;
    const kind = random() < 0.5 ? 'line' : 'arc';
    const when = t0 + 3 + random() * 0.5;
    const heading = random() * Math.PI * 2;
    const path =
      kind === 'line'
        ? line(
            { x: 100 * random(), y: 20 + 5 * random(), z: 100 * random() },
            { x: speed * Math.cos(heading), y: (random() - 0.5) * 2, z: speed * Math.sin(heading) },
            when,
          )
        : arc(
            { x: 50 * random(), y: 15 + 10 * random(), z: 50 * random() },
            40 + random() * 210,
            speed,
            heading,
            when,
            random() < 0.5 ? 1 : -1,
          );
    // The sphere centre: sideways from the path at `when` by a fraction of the radius.
    const offset =
      (grazing ? 0.98 + 0.0199 * random() : random() * 0.9) * r * (random() < 0.5 ? -1 : 1);
    const c = sideways(path, when, offset);
    const sphere = { x: c.x, y: c.y + (random() - 0.5) * 0.2 * (grazing ? 0 : r), z: c.z, r };
    const from = when - 2;
    const to = when + 2;
    const entry = exactEntry(path, sphere, from, to);
    if (entry === undefined) continue;
    out.push({ kind, grazing, path, sphere, entry, from, to, speed });
  }
  return out;
}
