import type { Track, TrackCheckpoint } from '@gw2race/protocol';

/** Centre of a checkpoint on the map plane (a gate's middle). */
function center(cp: TrackCheckpoint): { x: number; z: number } {
  return cp.kind === 'gate' ? { x: (cp.a.x + cp.b.x) / 2, z: (cp.a.z + cp.b.z) / 2 } : cp;
}

/** How far (m) two checkpoints' centres or radii may differ and still be the same checkpoint. */
export const CHECKPOINT_TOLERANCE_M = 0.5;

function describe(cp: TrackCheckpoint): string {
  return cp.kind === 'gate' ? `gate ${cp.id}` : `checkpoint ${cp.id}`;
}

function sameCheckpoint(a: TrackCheckpoint, b: TrackCheckpoint): string | undefined {
  if (a.id !== b.id) return `checkpoint ${a.id} is ${describe(b)} in the other`;
  if ((a.kind ?? 'sphere') !== (b.kind ?? 'sphere'))
    return `${describe(a)} is a ${b.kind === 'gate' ? 'gate' : 'sphere'} in the other`;
  const ca = center(a);
  const cb = center(b);
  const moved = Math.hypot(ca.x - cb.x, ca.z - cb.z);
  if (moved > CHECKPOINT_TOLERANCE_M) return `${describe(a)} is ${moved.toFixed(1)} m away`;
  if (a.kind !== 'gate' && b.kind !== 'gate' && Math.abs(a.r - b.r) > CHECKPOINT_TOLERANCE_M)
    return `${describe(a)} has radius ${a.r} m, ${b.r} m in the other`;
  return undefined;
}

/**
 * Why two recordings may not be on the same course: their tracks' ids differ, or their
 * checkpoints (count, ids, kinds, places within {@link CHECKPOINT_TOLERANCE_M}) do. An empty
 * list means the same course. A comparison across courses is still drawn; the viewer warns.
 */
export function courseDifferences(a: Track | null, b: Track | null): string[] {
  if (!a && !b) return ['neither recording has a track: the course cannot be checked'];
  if (!a || !b)
    return [`${a ? 'the other' : 'this'} recording has no track: the course cannot be checked`];
  const out: string[] = [];
  if (a.id !== b.id) out.push(`track “${a.id}” here, “${b.id}” in the other`);
  if (a.checkpoints.length !== b.checkpoints.length)
    out.push(`${a.checkpoints.length} checkpoints here, ${b.checkpoints.length} in the other`);
  const n = Math.min(a.checkpoints.length, b.checkpoints.length);
  for (let i = 0; i < n; i++) {
    const why = sameCheckpoint(
      a.checkpoints[i] as TrackCheckpoint,
      b.checkpoints[i] as TrackCheckpoint,
    );
    if (why) {
      out.push(why);
      if (out.length >= 4) break;
    }
  }
  return out;
}
