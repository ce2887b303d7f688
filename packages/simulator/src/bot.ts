import type { Track, TrackCheckpoint, Vec3 } from '@gw2race/protocol';
import { createRandom } from './random';

/** Ways a simulated racer can cheat or misbehave, to exercise the host's validation. */
export type BotMisbehaviour = 'teleport' | 'speed' | 'skip';

/** Options of {@link createBot}. */
export interface BotOptions {
  /** Seed of the bot's randomness. */
  seed: number;
  /** Cruise speed in m/s. Default 30 (a roller beetle at full tilt is 30-35). */
  speed?: number;
  /** ± fraction the speed wanders around the cruise speed. Default 0.08. */
  speedJitter?: number;
  /** Reaction time after the start signal, seconds. Default random 0.2-0.6. */
  reaction?: number;
  /** Laps to drive. Default the track's laps (1). */
  laps?: number;
  /** Misbehave once, about halfway through the course. */
  misbehave?: BotMisbehaviour;
}

/** Where the bot is at an instant. */
export interface BotState {
  position: Vec3;
  /** Unit vector the bot faces (its direction of travel). */
  front: Vec3;
  /** m/s. */
  speed: number;
  /** True once the bot has passed the finish of the last lap. */
  finished: boolean;
}

/** A simulated racer driving a track. */
export interface Bot {
  /** Where the bot is `seconds` after its start signal (negative: waiting on the start). */
  at(seconds: number): BotState;
  /** Seconds from the start signal to the end of its path. */
  readonly duration: number;
  /** Length of its path in metres. */
  readonly length: number;
}

function centre(cp: TrackCheckpoint): Vec3 {
  if (cp.kind === 'gate')
    return { x: (cp.a.x + cp.b.x) / 2, y: (cp.a.y + cp.b.y) / 2, z: (cp.a.z + cp.b.z) / 2 };
  return { x: cp.x, y: cp.y, z: cp.z };
}

function radius(cp: TrackCheckpoint): number {
  if (cp.kind === 'gate') return Math.hypot(cp.a.x - cp.b.x, cp.a.z - cp.b.z) / 2;
  return cp.r;
}

const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const len = (a: Vec3) => Math.hypot(a.x, a.y, a.z);

/**
 * Creates a bot that drives a track: it waits on the start, reacts to the signal, accelerates,
 * and cruises with a wandering speed. When the track has a reference line (`referenceLine`, the
 * ideal line an organizer rode), the bot follows it, once per lap; otherwise it aims at a random
 * point inside each checkpoint (never exactly the centre, as a person would). Deterministic for
 * a seed. A misbehaving bot teleports, drives impossibly fast, or skips a checkpoint, once,
 * mid-course.
 */
export function createBot(track: Track, options: BotOptions): Bot {
  const random = createRandom(options.seed);
  const cruise = options.speed ?? 30;
  const jitter = options.speedJitter ?? 0.08;
  const reaction = options.reaction ?? 0.2 + random() * 0.4;
  const laps = options.laps ?? track.laps ?? 1;
  const accel = 9; // m/s², a beetle gets to speed in ~3 s

  // Course: start, then each lap's checkpoints; a circuit ends each lap on the start again.
  const cps = track.checkpoints;
  const order: TrackCheckpoint[] = [];
  for (let lap = 0; lap < laps; lap++) {
    const lapCps = track.circuit ? [...cps.slice(1), cps[0] as TrackCheckpoint] : cps.slice(1);
    order.push(...lapCps);
  }
  const line = referencePath(track, laps);
  // The middle checkpoint of the course: where a misbehaving bot misbehaves (1-based in `order`).
  const misbehaveLeg = Math.max(1, Math.floor((order.length + 1) / 2));
  let waypoints: Vec3[];
  if (line) {
    waypoints = line;
  } else {
    waypoints = [centre(cps[0] as TrackCheckpoint)];
    for (const cp of order) {
      const c = centre(cp);
      const spread = radius(cp) * 0.45;
      const angle = random() * Math.PI * 2;
      const distance = Math.sqrt(random()) * spread;
      waypoints.push({
        x: c.x + Math.cos(angle) * distance,
        y: c.y + (random() - 0.5) * spread * 0.3,
        z: c.z + Math.sin(angle) * distance,
      });
    }
  }
  const startCentre = { ...(waypoints[0] as Vec3) };
  // A little beyond the finish, so the bot drives through it.
  const lastLeg = sub(
    waypoints[waypoints.length - 1] as Vec3,
    waypoints[waypoints.length - 2] as Vec3,
  );
  const lastLen = len(lastLeg) || 1;
  const end = waypoints[waypoints.length - 1] as Vec3;
  waypoints.push({
    x: end.x + (lastLeg.x / lastLen) * 10,
    y: end.y,
    z: end.z + (lastLeg.z / lastLen) * 10,
  });

  if (options.misbehave === 'skip' && order.length > 2) {
    const cp = order[misbehaveLeg - 1] as TrackCheckpoint;
    if (line) {
      const marks = courseMarks(waypoints, order);
      waypoints = detour(
        waypoints,
        cp,
        marks[misbehaveLeg - 2] ?? 0,
        marks[misbehaveLeg] ?? Number.POSITIVE_INFINITY,
      );
    } else {
      // Cut the corner: pass this checkpoint two and a half radii to the side, never inside it.
      const c = centre(cp);
      const before = waypoints[misbehaveLeg - 1] as Vec3;
      const after = waypoints[misbehaveLeg + 1] as Vec3;
      const dx = after.x - before.x;
      const dz = after.z - before.z;
      const n = Math.hypot(dx, dz) || 1;
      const offset = radius(cp) * 2.5;
      waypoints[misbehaveLeg] = { x: c.x - (dz / n) * offset, y: c.y, z: c.z + (dx / n) * offset };
    }
  }

  const cumulative = cumulativeLengths(waypoints);
  const length = cumulative[cumulative.length - 1] as number;
  // Distance along the path at each checkpoint of the course (`marks[k]` for `order[k]`).
  const marks = line ? courseMarks(waypoints, order) : cumulative.slice(1, order.length + 1);
  const teleportAt = (marks[misbehaveLeg - 1] as number) - 5;
  const teleportJump = Math.min(300, (marks[misbehaveLeg] ?? length) - teleportAt - 5);
  const speedFrom = marks[misbehaveLeg - 2] ?? 0;
  const speedTo = marks[misbehaveLeg - 1] as number;

  // Integrate distance over time once, at 20 ms steps; `at` interpolates in this table.
  const phases = Array.from({ length: 4 }, () => random() * Math.PI * 2);
  const speedFactor = (t: number) =>
    1 +
    jitter *
      (0.6 * Math.sin(t / 7 + (phases[0] as number)) +
        0.4 * Math.sin(t / 2.3 + (phases[1] as number)));
  const step = 0.02;
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
      (options.misbehave === 'speed' && d >= speedFrom && d < speedTo ? 3 : 1);
    v = v < target ? Math.min(target, v + accel * step) : Math.max(target, v - accel * 2 * step);
    d += v * step;
    if (options.misbehave === 'teleport' && !teleported && d >= teleportAt) {
      d += teleportJump;
      teleported = true;
    }
    t += step;
    times.push(t);
    distances.push(Math.min(d, length));
    speeds.push(v);
  }
  const duration = t;

  function pointAt(distance: number): { position: Vec3; front: Vec3 } {
    let i = 1;
    let lo = 1;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < distance) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
    const a = waypoints[i - 1] as Vec3;
    const b = waypoints[i] as Vec3;
    const legStart = cumulative[i - 1] as number;
    const legLen = (cumulative[i] as number) - legStart || 1;
    const f = Math.min(1, Math.max(0, (distance - legStart) / legLen));
    const dir = sub(b, a);
    const n = len(dir) || 1;
    return {
      position: { x: a.x + dir.x * f, y: a.y + dir.y * f, z: a.z + dir.z * f },
      front: { x: dir.x / n, y: dir.y / n, z: dir.z / n },
    };
  }

  return {
    duration: duration + reaction,
    length,
    at(seconds) {
      const s = seconds - reaction;
      if (s <= 0) {
        const { front } = pointAt(0.01);
        return { position: { ...startCentre }, front, speed: 0, finished: false };
      }
      if (s >= duration) {
        const { position, front } = pointAt(length);
        return { position, front, speed: 0, finished: true };
      }
      const index = Math.min(times.length - 2, Math.floor(s / step));
      const f = (s - (times[index] as number)) / step;
      const distance =
        (distances[index] as number) +
        ((distances[index + 1] as number) - (distances[index] as number)) * f;
      const { position, front } = pointAt(distance);
      return { position, front, speed: speeds[index] as number, finished: false };
    },
  };
}

function cumulativeLengths(points: readonly Vec3[]): number[] {
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    cumulative.push(
      (cumulative[i - 1] as number) + len(sub(points[i] as Vec3, points[i - 1] as Vec3)),
    );
  }
  return cumulative;
}

/**
 * The track's reference line as the path to drive, repeated for every lap, without repeated
 * points; `undefined` when the track has no line of at least two distinct points.
 */
function referencePath(track: Track, laps: number): Vec3[] | undefined {
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
 * Where along the path each checkpoint of the course is passed, in order: the first entry into
 * its reach after the previous checkpoint's mark, else the nearest point after it (a line that
 * misses a checkpoint still gets a mark).
 */
function courseMarks(path: readonly Vec3[], order: readonly TrackCheckpoint[]): number[] {
  const cumulative = cumulativeLengths(path);
  const marks: number[] = [];
  let from = 0; // distance along the path already passed
  for (const cp of order) {
    const c = centre(cp);
    const reach = radius(cp);
    let entered: number | undefined;
    let nearest = { distance: Number.POSITIVE_INFINITY, at: from };
    for (let i = 1; i < path.length && entered === undefined; i++) {
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
      if (distance <= reach) entered = legStart + u * legLen;
    }
    from = entered ?? nearest.at;
    marks.push(from);
  }
  return marks;
}

/**
 * The path bent around a checkpoint, two and a half reaches from its centre, between the
 * distances `from` and `to` along it (other laps' passes are left alone). The stretch is first
 * cut into steps of at most 2 m, so no chord between two bent points dips back into it.
 */
function detour(path: readonly Vec3[], cp: TrackCheckpoint, from: number, to: number): Vec3[] {
  const c = centre(cp);
  const away = radius(cp) * 2.5;
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
