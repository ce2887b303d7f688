import type { TrackCheckpoint, Vec3 } from '@gw2race/protocol';

/** Middle of a checkpoint as a bot aims at it: a sphere's centre or a gate's middle. */
export function checkpointCentre(cp: TrackCheckpoint): Vec3 {
  if (cp.kind === 'gate')
    return { x: (cp.a.x + cp.b.x) / 2, y: (cp.a.y + cp.b.y) / 2, z: (cp.a.z + cp.b.z) / 2 };
  return { x: cp.x, y: cp.y, z: cp.z };
}

/** Reach of a checkpoint: a sphere's radius or half a gate's width, metres. */
export function checkpointRadius(cp: TrackCheckpoint): number {
  if (cp.kind === 'gate') return Math.hypot(cp.a.x - cp.b.x, cp.a.z - cp.b.z) / 2;
  return cp.r;
}

/** `a - b`. */
export const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });

/** Length of a vector. */
export const len = (a: Vec3): number => Math.hypot(a.x, a.y, a.z);

/** Distance along the polyline at each of its points (the first is 0). */
export function cumulativeLengths(points: readonly Vec3[]): number[] {
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    cumulative.push(
      (cumulative[i - 1] as number) + len(sub(points[i] as Vec3, points[i - 1] as Vec3)),
    );
  }
  return cumulative;
}
