/**
 * The time delta between two runs along the track, as racing games plot it: for each point of
 * the compared run, the place on the reference run's line closest to it, and how much later
 * (positive) or earlier the compared racer got there. Runs are given from their own start, so
 * two racers of one race, or two recordings of the same course, compare alike.
 */

/** A run: samples in time order, `t` in seconds from the racer's start. */
export interface Run {
  readonly t: ArrayLike<number>;
  readonly x: ArrayLike<number>;
  readonly z: ArrayLike<number>;
}

/** The delta along the reference's line. */
export interface DeltaSeries {
  /** Distance along the reference run (metres) of each point. */
  readonly distance: number[];
  /** Compared run's time minus the reference's at that distance (s): positive = behind. */
  readonly delta: number[];
  /** Length of the reference run (metres). */
  readonly length: number;
}

/** Cumulative distance along a path (metres), from 0 at the first sample. */
export function cumulativeDistance(x: ArrayLike<number>, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 1; i < x.length; i++) {
    out[i] =
      (out[i - 1] as number) +
      Math.hypot((x[i] as number) - (x[i - 1] as number), (z[i] as number) - (z[i - 1] as number));
  }
  return out;
}

/** The part of a run within `[from, to]` seconds (samples with finite values only). */
export function sliceRun(
  run: { t: ArrayLike<number>; x: ArrayLike<number>; z: ArrayLike<number> },
  from: number,
  to: number,
  origin = 0,
): Run {
  const t: number[] = [];
  const x: number[] = [];
  const z: number[] = [];
  for (let i = 0; i < run.t.length; i++) {
    const ti = run.t[i] as number;
    const xi = run.x[i] as number;
    const zi = run.z[i] as number;
    if (!Number.isFinite(ti) || !Number.isFinite(xi) || !Number.isFinite(zi)) continue;
    if (ti < from || ti > to) continue;
    t.push(ti - origin);
    x.push(xi);
    z.push(zi);
  }
  return { t, x, z };
}

interface Projection {
  segment: number;
  fraction: number;
  distanceSq: number;
}

function project(reference: Run, segment: number, px: number, pz: number): Projection {
  const ax = reference.x[segment] as number;
  const az = reference.z[segment] as number;
  const bx = reference.x[segment + 1] as number;
  const bz = reference.z[segment + 1] as number;
  const dx = bx - ax;
  const dz = bz - az;
  const lengthSq = dx * dx + dz * dz;
  const f =
    lengthSq > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (pz - az) * dz) / lengthSq)) : 0;
  const qx = ax + dx * f - px;
  const qz = az + dz * f - pz;
  return { segment, fraction: f, distanceSq: qx * qx + qz * qz };
}

/** Options of {@link timeDelta}. */
export interface TimeDeltaOptions {
  /**
   * How many reference segments ahead (and a few behind) of the last match to search: the match
   * moves forward along the line, so a course that crosses itself is not confused.
   */
  readonly window?: number;
}

/**
 * The time delta of `compared` against `reference` along the reference's line. Both runs start
 * at their own t = 0; each compared sample is matched to the nearest point of the reference's
 * line near the previous match, never far backwards.
 */
export function timeDelta(
  reference: Run,
  compared: Run,
  options: TimeDeltaOptions = {},
): DeltaSeries {
  const distance: number[] = [];
  const delta: number[] = [];
  const n = reference.t.length;
  const along = cumulativeDistance(reference.x, reference.z);
  const length = n > 0 ? (along[n - 1] as number) : 0;
  if (n < 2 || compared.t.length === 0) return { distance, delta, length };
  const window = options.window ?? 60;
  let last = 0;
  for (let i = 0; i < compared.t.length; i++) {
    const px = compared.x[i] as number;
    const pz = compared.z[i] as number;
    let best: Projection | undefined;
    const from = Math.max(0, last - 3);
    const to = Math.min(n - 2, last + window);
    for (let s = from; s <= to; s++) {
      const p = project(reference, s, px, pz);
      if (!best || p.distanceSq < best.distanceSq) best = p;
    }
    if (!best) continue;
    last = best.segment;
    const s = best.segment;
    const d0 = along[s] as number;
    const d1 = along[s + 1] as number;
    const t0 = reference.t[s] as number;
    const t1 = reference.t[s + 1] as number;
    distance.push(d0 + (d1 - d0) * best.fraction);
    delta.push((compared.t[i] as number) - (t0 + (t1 - t0) * best.fraction));
  }
  return { distance, delta, length };
}
