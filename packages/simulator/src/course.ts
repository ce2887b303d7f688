import type { Track, TrackCheckpoint, Vec3 } from '@gw2race/protocol';
import { checkpointCentre, checkpointRadius, cumulativeLengths, len, sub } from './geometry';

/** The checkpoints a bot passes after leaving the start, every lap; a circuit ends each lap on the start. */
export function courseOrder(track: Track, laps: number): TrackCheckpoint[] {
  const cps = track.checkpoints;
  const order: TrackCheckpoint[] = [];
  for (let lap = 0; lap < laps; lap++) {
    const lapCps = track.circuit ? [...cps.slice(1), cps[0] as TrackCheckpoint] : cps.slice(1);
    order.push(...lapCps);
  }
  return order;
}

/**
 * The track's reference line as the path to drive, repeated for every lap, without repeated
 * points; `undefined` when the track has no line of at least two distinct points.
 */
export function referencePath(track: Track, laps: number): Vec3[] | undefined {
  const rows = track.referenceLine;
  if (rows === undefined || rows.length < 2) return undefined;
  const path: Vec3[] = [];
  for (let lap = 0; lap < laps; lap++) {
    for (const [, x, y, z] of rows) {
      const last = path[path.length - 1];
      if (last && last.x === x && last.y === y && last.z === z) continue;
      path.push({ x, y, z });
    }
  }
  return path.length >= 2 ? path : undefined;
}

/**
 * A path through the course without a reference line: the start's centre, then a random point
 * inside each checkpoint (never exactly the centre, as a person would), three draws each.
 */
export function scatteredWaypoints(
  start: TrackCheckpoint,
  order: readonly TrackCheckpoint[],
  random: () => number,
): Vec3[] {
  const waypoints = [checkpointCentre(start)];
  for (const cp of order) {
    const c = checkpointCentre(cp);
    const spread = checkpointRadius(cp) * 0.45;
    const angle = random() * Math.PI * 2;
    const distance = Math.sqrt(random()) * spread;
    waypoints.push({
      x: c.x + Math.cos(angle) * distance,
      y: c.y + (random() - 0.5) * spread * 0.3,
      z: c.z + Math.sin(angle) * distance,
    });
  }
  return waypoints;
}

/** A point 10 m beyond the end of the path, along its last leg, so a bot drives through the finish. */
export function runOut(path: readonly Vec3[]): Vec3 {
  const end = path[path.length - 1] as Vec3;
  const lastLeg = sub(end, path[path.length - 2] as Vec3);
  const lastLen = len(lastLeg) || 1;
  return { x: end.x + (lastLeg.x / lastLen) * 10, y: end.y, z: end.z + (lastLeg.z / lastLen) * 10 };
}

/**
 * Where along the path each checkpoint of the course is passed, in order: the first entry into
 * its reach after the previous checkpoint's mark, else the nearest point after it (a line that
 * misses a checkpoint still gets a mark).
 */
export function courseMarks(path: readonly Vec3[], order: readonly TrackCheckpoint[]): number[] {
  const cumulative = cumulativeLengths(path);
  const marks: number[] = [];
  let from = 0; // distance along the path already passed
  for (const cp of order) {
    from = passMark(path, cumulative, cp, from);
    marks.push(from);
  }
  return marks;
}

/** Distance along the path where it first enters `cp`'s reach after `from`, else comes nearest. */
function passMark(
  path: readonly Vec3[],
  cumulative: readonly number[],
  cp: TrackCheckpoint,
  from: number,
): number {
  const c = checkpointCentre(cp);
  const reach = checkpointRadius(cp);
  let nearest = { distance: Number.POSITIVE_INFINITY, at: from };
  for (let i = 1; i < path.length; i++) {
    const legEnd = cumulative[i] as number;
    if (legEnd < from) continue;
    const a = path[i - 1] as Vec3;
    const b = path[i] as Vec3;
    const legStart = cumulative[i - 1] as number;
    const legLen = legEnd - legStart;
    const d = sub(b, a);
    const f = legLen === 0 ? 0 : (c.x - a.x) * d.x + (c.y - a.y) * d.y + (c.z - a.z) * d.z;
    const lo = legLen === 0 ? 0 : Math.max(0, (from - legStart) / legLen);
    const u = legLen === 0 ? 0 : Math.min(1, Math.max(lo, f / (legLen * legLen)));
    const p = { x: a.x + d.x * u, y: a.y + d.y * u, z: a.z + d.z * u };
    const distance = len(sub(p, c));
    if (distance < nearest.distance) nearest = { distance, at: legStart + u * legLen };
    if (distance <= reach) return legStart + u * legLen;
  }
  return nearest.at;
}

/**
 * The path bent around a checkpoint, two and a half reaches from its centre, between the
 * distances `from` and `to` along it (other laps' passes are left alone). The stretch is first
 * cut into steps of at most 2 m, so no chord between two bent points dips back into it.
 */
export function detour(
  path: readonly Vec3[],
  cp: TrackCheckpoint,
  from: number,
  to: number,
): Vec3[] {
  const c = checkpointCentre(cp);
  const away = checkpointRadius(cp) * 2.5;
  const cumulative = cumulativeLengths(path);
  const out: Vec3[] = [path[0] as Vec3];
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1] as Vec3;
    const b = path[i] as Vec3;
    const legStart = cumulative[i - 1] as number;
    const legEnd = cumulative[i] as number;
    const inside = legEnd >= from && legStart <= to;
    const steps = inside ? Math.max(1, Math.ceil((legEnd - legStart) / 2)) : 1;
    const d = sub(b, a);
    const n = Math.hypot(d.x, d.z) || 1;
    for (let k = 1; k <= steps; k++) {
      const p = {
        x: a.x + (d.x * k) / steps,
        y: a.y + (d.y * k) / steps,
        z: a.z + (d.z * k) / steps,
      };
      const at = legStart + ((legEnd - legStart) * k) / steps;
      const dx = p.x - c.x;
      const dz = p.z - c.z;
      const h = Math.hypot(dx, dz);
      if (!inside || at < from || at > to || h >= away) {
        out.push(p);
        continue;
      }
      // Straight through the centre: step aside to the left of the direction of travel.
      const [ux, uz] = h > 1e-6 ? [dx / h, dz / h] : [-d.z / n, d.x / n];
      const bent = { x: c.x + ux * away, y: p.y, z: c.z + uz * away };
      const last = out[out.length - 1] as Vec3;
      if (len(sub(bent, last)) > 1e-9) out.push(bent);
    }
  }
  return out;
}

/**
 * The path of a bot that skips the checkpoint at `leg` of the course (1-based): a reference line
 * is bent around it; a scattered path cuts the corner, passing two and a half radii to its side.
 */
export function skipCheckpoint(
  waypoints: Vec3[],
  order: readonly TrackCheckpoint[],
  leg: number,
  onLine: boolean,
): Vec3[] {
  const cp = order[leg - 1] as TrackCheckpoint;
  if (onLine) {
    const marks = courseMarks(waypoints, order);
    return detour(waypoints, cp, marks[leg - 2] ?? 0, marks[leg] ?? Number.POSITIVE_INFINITY);
  }
  const c = checkpointCentre(cp);
  const before = waypoints[leg - 1] as Vec3;
  const after = waypoints[leg + 1] as Vec3;
  const dx = after.x - before.x;
  const dz = after.z - before.z;
  const n = Math.hypot(dx, dz) || 1;
  const offset = checkpointRadius(cp) * 2.5;
  const bent = [...waypoints];
  bent[leg] = { x: c.x - (dz / n) * offset, y: c.y, z: c.z + (dx / n) * offset };
  return bent;
}
