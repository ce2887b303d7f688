import type { Sample } from './advance-course';
import type { CompiledCheckpoint } from './course';
import type { Draft } from './draft';
import { evidence, fmt, raise } from './flags';
import type { RacerState } from './race-state';
import type { Point3 } from './segment-crossing';
import { speedLimitFor } from './speed-limits';

/**
 * @internal Mass start, on the first sample at or after t0: a racer who moved more than
 * `falseStartDistance` during the last `falseStartWindow` s before t0 set off early (critical);
 * one who was not on the start at t0 is flagged too (warning). Where the racer was at t0 is
 * interpolated from the samples around it; without a sample shortly before t0 the first sample
 * after it is used, with the distance a racer could have covered since t0 allowed.
 */
export function checkFalseStart(
  draft: Draft,
  racer: RacerState,
  holdFrom: Sample | null,
  prev: Sample | null,
  sample: Sample,
  t0: number,
  traversable: boolean,
): RacerState {
  const config = draft.config;
  const course = config.course;
  let at0: Point3 = sample;
  let slack = 0;
  if (prev !== null && prev.t < t0 && t0 - prev.t <= course.gapSeconds && traversable) {
    const u = (t0 - prev.t) / (sample.t - prev.t);
    at0 = {
      x: prev.x + (sample.x - prev.x) * u,
      y: prev.y + (sample.y - prev.y) * u,
      z: prev.z + (sample.z - prev.z) * u,
    };
  } else {
    slack = Math.max(0, sample.t - t0) * speedLimitFor(sample.mount, config.speedLimits);
  }
  const window = config.falseStartWindow;
  const held = holdFrom !== null && holdFrom.t >= t0 - window && holdFrom.t < t0;
  const moved = held ? Math.hypot(at0.x - holdFrom.x, at0.z - holdFrom.z) : undefined;
  const outside = outsideStart(course.start, course.lap[0]?.center, at0);
  const early = moved !== undefined && moved - slack > config.falseStartDistance;
  const away = outside - slack > 0;
  if (!early && !away) return racer;
  const samples = [];
  if (held) samples.push(evidence(holdFrom));
  if (prev !== null && prev !== holdFrom && traversable) samples.push(evidence(prev));
  samples.push(evidence(sample));
  return raise(
    draft,
    racer,
    'false-start',
    early ? 'critical' : 'warning',
    t0,
    {
      message: early
        ? `false start: moved ${fmt(moved ?? 0, 1)} m in the last ${fmt(window, 1)} s before t0`
        : `not on the start at t0: ${fmt(outside, 1)} m outside it`,
      cp: course.start.id,
      samples,
      data: {
        falseStart: true,
        moved: moved ?? null,
        window,
        outside,
        allowance: slack,
        atStart: { x: at0.x, y: at0.y, z: at0.z },
      },
    },
    'position',
  );
}

/**
 * How far a point is outside the start, m: beyond the surface of the nearest start sphere, or
 * for a start gate, past its line on the side of the first checkpoint (0 on the start side).
 */
function outsideStart(start: CompiledCheckpoint, first: Point3 | undefined, p: Point3): number {
  const gate = start.gate;
  if (gate !== undefined) {
    if (first === undefined) return 0;
    const ex = gate.x2 - gate.x1;
    const ez = gate.z2 - gate.z1;
    const length = Math.hypot(ex, ez);
    if (length === 0) return 0;
    const side = (q: Point3) => (ex * (q.z - gate.z1) - ez * (q.x - gate.x1)) / length;
    const course = side(first);
    const here = side(p);
    return course === 0 || Math.sign(here) !== Math.sign(course) ? 0 : Math.abs(here);
  }
  let best = Number.POSITIVE_INFINITY;
  for (const s of start.spheres) {
    const d = Math.hypot(p.x - s.x, p.y - s.y, p.z - s.z) - s.r;
    if (d < best) best = d;
  }
  return Math.max(0, best);
}
