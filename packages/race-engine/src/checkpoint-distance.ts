import type { CompiledCheckpoint } from './course';
import type { Point3 } from './segment-crossing';

/**
 * Distance from a point to a checkpoint, metres: to the nearest of its spheres' surfaces (0
 * inside one), or, for a gate, to its line in the horizontal plane. What the host's no-crossing
 * flag measures, and what a racer's screen shows as the distance to the next checkpoint.
 *
 * @example
 * const cp = checkpointAt(course, crossingsMade);
 * distanceToCheckpoint(cp, { x, y, z }); // 42.5
 */
export function distanceToCheckpoint(cp: CompiledCheckpoint, p: Point3): number {
  const gate = cp.gate;
  if (gate !== undefined) {
    const ex = gate.x2 - gate.x1;
    const ez = gate.z2 - gate.z1;
    const l2 = ex * ex + ez * ez;
    const u =
      l2 === 0 ? 0 : Math.min(1, Math.max(0, ((p.x - gate.x1) * ex + (p.z - gate.z1) * ez) / l2));
    return Math.hypot(p.x - (gate.x1 + ex * u), p.z - (gate.z1 + ez * u));
  }
  let best = Number.POSITIVE_INFINITY;
  for (const s of cp.spheres) {
    const d = Math.max(0, Math.hypot(p.x - s.x, p.y - s.y, p.z - s.z) - s.r);
    if (d < best) best = d;
  }
  return best;
}
