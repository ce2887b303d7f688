import { DEFAULT_GATE_HEIGHT, type Track, type TrackCheckpoint } from '@gw2race/protocol';
import { type Point3, segmentGateCrossing, segmentSphereEntry } from './segment-crossing';

/**
 * Every kind of problem {@link validateTrack} reports. A track with warnings can still be raced:
 * these are the mistakes that make a race unfair or confusing, for the organizer to look at.
 */
export const TRACK_WARNING_CODES = {
  /** A sphere (or an alternative) is smaller than `minRadius`, or a gate narrower than twice it. */
  RADIUS_TOO_SMALL: 'RADIUS_TOO_SMALL',
  /** A sphere (or an alternative) is larger than `maxRadius`, or a gate wider than twice it. */
  RADIUS_TOO_LARGE: 'RADIUS_TOO_LARGE',
  /** Two spheres so close that one holds the other's centre: standing in one is being in both. */
  TOO_CLOSE: 'TOO_CLOSE',
  /** Two checkpoints touch (spheres intersect, a gate cuts a sphere, two gates cross). */
  OVERLAP: 'OVERLAP',
  /** The finish is where the start is, on a track that is not a circuit. */
  START_IS_FINISH: 'START_IS_FINISH',
  /** A circuit's last checkpoint is where the start is, though the start already ends each lap. */
  CIRCUIT_REPEATS_START: 'CIRCUIT_REPEATS_START',
  /** More than one lap on a course that is not a circuit. */
  LAPS_WITHOUT_CIRCUIT: 'LAPS_WITHOUT_CIRCUIT',
  /** No map id anywhere in the track: map checks cannot apply. */
  NO_MAP: 'NO_MAP',
  /** The reference line never touches a checkpoint. */
  REFERENCE_LINE_MISSES: 'REFERENCE_LINE_MISSES',
  /** The reference line's times go backwards. */
  REFERENCE_LINE_TIME: 'REFERENCE_LINE_TIME',
} as const;

/** One of {@link TRACK_WARNING_CODES}. */
export type TrackWarningCode = keyof typeof TRACK_WARNING_CODES;

/** A problem found in a track, as data. */
export interface TrackWarning {
  /** What kind of problem. */
  readonly code: TrackWarningCode;
  /** A sentence for the organizer, naming the checkpoints and the figures involved. */
  readonly message: string;
  /** Ids of the checkpoints involved, in course order (empty for track-wide problems). */
  readonly checkpointIds: readonly number[];
}

/** Options of {@link validateTrack}. */
export interface ValidateTrackOptions {
  /**
   * Radius below which a checkpoint is hard to hit, metres (default 3). A roller beetle at 30 m/s
   * moves 3 m between two 10 Hz samples, so tools that test one sample at a time miss smaller
   * spheres, and a person steering a mount rarely hits a target that size on the first try.
   */
  minRadius?: number;
  /**
   * Radius above which a checkpoint covers a whole area, metres (default 100). The community's
   * files use 5 to 50 m; a sphere larger than a football pitch lets racers cut the course.
   */
  maxRadius?: number;
  /**
   * The track is still being made (a recorder, an editor): its last checkpoint is not the finish
   * yet. It is then named as a checkpoint, and a start equal to it is not reported.
   */
  draft?: boolean;
}

/** The thresholds {@link validateTrack} uses unless told otherwise. */
const DEFAULTS = { minRadius: 3, maxRadius: 100 } as const;

type Ball = Point3 & { readonly r: number };

interface Shape {
  readonly cp: TrackCheckpoint;
  readonly index: number;
  readonly label: string;
  readonly mapId: number | undefined;
  /** The sphere and its alternatives; empty for a gate. */
  readonly balls: readonly Ball[];
  /** For a gate: the plane, from the lower pole base to `high`. */
  readonly gate:
    | { x1: number; z1: number; x2: number; z2: number; low: number; high: number }
    | undefined;
}

/**
 * Checks a track for the mistakes that make a race unfair or confusing, and returns them as
 * data: overlapping checkpoints, checkpoints closer than their radii, a start equal to the finish
 * on a track that is not a circuit (and a circuit that repeats its start as a last checkpoint),
 * absurd radii, no map id, laps on an open course, and a reference line that misses a checkpoint
 * or runs backwards in time. Pure, never throws; the track should already satisfy the protocol
 * schema ({@link parseTrack}). Checkpoints on different maps are never compared with each other.
 *
 * @example
 * for (const warning of validateTrack(track)) console.warn(`${warning.code}: ${warning.message}`);
 * // OVERLAP: checkpoints 3 and 4 overlap (12.0 m apart, radii 15 m and 15 m): racers touch both at once
 */
export function validateTrack(track: Track, options: ValidateTrackOptions = {}): TrackWarning[] {
  const minRadius = options.minRadius ?? DEFAULTS.minRadius;
  const maxRadius = options.maxRadius ?? DEFAULTS.maxRadius;
  const warnings: TrackWarning[] = [];
  const circuit = track.circuit === true;
  const count = track.checkpoints.length;
  const draft = options.draft === true;
  const shapes = track.checkpoints.map((cp, index) =>
    shapeOf(cp, index, labelOf(cp, index, count, circuit || draft), track.mapId),
  );

  for (const shape of shapes) warnings.push(...radiusWarnings(shape, minRadius, maxRadius));

  const start = shapes[0];
  const end = shapes[count - 1];
  let endsReported = false;
  if (start !== undefined && end !== undefined && count > 1 && !(draft && !circuit)) {
    const d = distanceOf(start, end);
    const reach = Math.max(radiusOf(start), radiusOf(end));
    if (sameMap(start, end) && d < reach) {
      endsReported = true;
      warnings.push(
        circuit
          ? {
              code: 'CIRCUIT_REPEATS_START',
              message: `${end.label} is at the start (${metres(d)} apart) on a circuit, where the start already ends every lap: remove it, or the lap closes twice at the same place`,
              checkpointIds: [start.cp.id, end.cp.id],
            }
          : {
              code: 'START_IS_FINISH',
              message: `the finish is at the start (${metres(d)} apart) but the track is not a circuit: mark it a circuit (the start then ends every lap), or move the finish`,
              checkpointIds: [start.cp.id, end.cp.id],
            },
      );
    }
  }

  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      if (endsReported && i === 0 && j === count - 1) continue;
      const a = shapes[i] as Shape;
      const b = shapes[j] as Shape;
      if (!sameMap(a, b)) continue;
      const warning = pairWarning(a, b, j === i + 1 || (circuit && i === 0 && j === count - 1));
      if (warning) warnings.push(warning);
    }
  }

  if (!circuit && (track.laps ?? 1) > 1) {
    warnings.push({
      code: 'LAPS_WITHOUT_CIRCUIT',
      message: `${track.laps} laps on a course that is not a circuit: after the finish, each lap starts again at the first checkpoint after the start (mark the track a circuit if the start ends each lap)`,
      checkpointIds: [],
    });
  }

  if (track.mapId === undefined && track.checkpoints.every((cp) => cp.mapId === undefined)) {
    warnings.push({
      code: 'NO_MAP',
      message:
        'the track has no map id: racers on another map are not flagged (give the map id, e.g. from /api/v2/maps or MumbleLink)',
      checkpointIds: [],
    });
  }

  if (track.referenceLine !== undefined && track.referenceLine.length > 0) {
    warnings.push(...referenceLineWarnings(track.referenceLine, shapes, track.mapId));
  }
  return warnings;
}

function labelOf(cp: TrackCheckpoint, index: number, count: number, circuit: boolean): string {
  if (index === 0) return `the start (${cp.id})`;
  if (index === count - 1 && !circuit) return `the finish (${cp.id})`;
  return `checkpoint ${cp.id}`;
}

function shapeOf(
  cp: TrackCheckpoint,
  index: number,
  label: string,
  trackMapId: number | undefined,
): Shape {
  const mapId = cp.mapId ?? trackMapId;
  if (cp.kind === 'gate') {
    return {
      cp,
      index,
      label,
      mapId,
      balls: [],
      gate: {
        x1: cp.a.x,
        z1: cp.a.z,
        x2: cp.b.x,
        z2: cp.b.z,
        low: Math.min(cp.a.y, cp.b.y),
        high: Math.max(cp.a.y, cp.b.y) + (cp.height ?? DEFAULT_GATE_HEIGHT),
      },
    };
  }
  const balls: Ball[] = [{ x: cp.x, y: cp.y, z: cp.z, r: cp.r }, ...(cp.alternatives ?? [])];
  return { cp, index, label, mapId, balls, gate: undefined };
}

function sameMap(a: Shape, b: Shape): boolean {
  return a.mapId === undefined || b.mapId === undefined || a.mapId === b.mapId;
}

/** Radius of the main sphere, or half a gate's width. */
function radiusOf(shape: Shape): number {
  const ball = shape.balls[0];
  if (ball) return ball.r;
  const g = shape.gate;
  return g ? Math.hypot(g.x2 - g.x1, g.z2 - g.z1) / 2 : 0;
}

function centreOf(shape: Shape): Ball {
  const ball = shape.balls[0];
  if (ball) return ball;
  const g = shape.gate as NonNullable<Shape['gate']>;
  return { x: (g.x1 + g.x2) / 2, y: g.low, z: (g.z1 + g.z2) / 2, r: radiusOf(shape) };
}

function distanceOf(a: Shape, b: Shape): number {
  const p = centreOf(a);
  const q = centreOf(b);
  return Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
}

function radiusWarnings(shape: Shape, minRadius: number, maxRadius: number): TrackWarning[] {
  const warnings: TrackWarning[] = [];
  const ids = [shape.cp.id];
  if (shape.gate) {
    const width = radiusOf(shape) * 2;
    if (width < minRadius * 2) {
      warnings.push({
        code: 'RADIUS_TOO_SMALL',
        message: `${shape.label} is a gate only ${metres(width)} wide (under ${metres(minRadius * 2)}): hard to hit on a mount`,
        checkpointIds: ids,
      });
    } else if (width > maxRadius * 2) {
      warnings.push({
        code: 'RADIUS_TOO_LARGE',
        message: `${shape.label} is a gate ${metres(width)} wide (over ${metres(maxRadius * 2)}): check its poles`,
        checkpointIds: ids,
      });
    }
    return warnings;
  }
  shape.balls.forEach((ball, n) => {
    const what = n === 0 ? shape.label : `${shape.label}'s alternative ${n}`;
    if (ball.r < minRadius) {
      warnings.push({
        code: 'RADIUS_TOO_SMALL',
        message: `${what} has a radius of ${metres(ball.r)} (under ${metres(minRadius)}): hard to hit on a mount, and tools that check one sample every 0.1 s can miss it`,
        checkpointIds: ids,
      });
    } else if (ball.r > maxRadius) {
      warnings.push({
        code: 'RADIUS_TOO_LARGE',
        message: `${what} has a radius of ${metres(ball.r)} (over ${metres(maxRadius)}): it covers a whole area and lets racers cut the course`,
        checkpointIds: ids,
      });
    }
  });
  return warnings;
}

function pairWarning(a: Shape, b: Shape, consecutive: boolean): TrackWarning | undefined {
  const ids = [a.cp.id, b.cp.id];
  const names =
    a.label.startsWith('checkpoint ') && b.label.startsWith('checkpoint ')
      ? `checkpoints ${a.cp.id} and ${b.cp.id}`
      : `${a.label} and ${b.label}`;
  const consequence = consecutive
    ? 'racers touch both at once'
    : 'racers on one part of the course pass through the other';
  for (const p of a.balls) {
    for (const q of b.balls) {
      const d = Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
      if (d < Math.max(p.r, q.r)) {
        return {
          code: 'TOO_CLOSE',
          message: `${names} are closer (${metres(d)}) than their radii (${metres(p.r)} and ${metres(q.r)}): one holds the other's centre, ${consequence}`,
          checkpointIds: ids,
        };
      }
    }
  }
  for (const p of a.balls) {
    for (const q of b.balls) {
      const d = Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
      if (d < p.r + q.r) {
        return {
          code: 'OVERLAP',
          message: `${names} overlap (${metres(d)} apart, radii ${metres(p.r)} and ${metres(q.r)}): ${consequence}`,
          checkpointIds: ids,
        };
      }
    }
  }
  const gateAndBall = (gate: NonNullable<Shape['gate']>, balls: readonly Ball[]) =>
    balls.some((ball) => distanceToGate(ball, gate) < ball.r);
  if (
    (a.gate && gateAndBall(a.gate, b.balls)) ||
    (b.gate && gateAndBall(b.gate, a.balls)) ||
    (a.gate && b.gate && gatesCross(a.gate, b.gate))
  ) {
    return {
      code: 'OVERLAP',
      message: `${names} overlap: ${consequence}`,
      checkpointIds: ids,
    };
  }
  return undefined;
}

/** Distance from a point to a gate's rectangle (the vertical plane between its poles). */
function distanceToGate(p: Ball, g: NonNullable<Shape['gate']>): number {
  const dx = g.x2 - g.x1;
  const dz = g.z2 - g.z1;
  const length2 = dx * dx + dz * dz;
  const t =
    length2 === 0 ? 0 : Math.min(1, Math.max(0, ((p.x - g.x1) * dx + (p.z - g.z1) * dz) / length2));
  const horizontal = Math.hypot(p.x - (g.x1 + t * dx), p.z - (g.z1 + t * dz));
  const vertical = p.y < g.low ? g.low - p.y : p.y > g.high ? p.y - g.high : 0;
  return Math.hypot(horizontal, vertical);
}

function gatesCross(g: NonNullable<Shape['gate']>, h: NonNullable<Shape['gate']>): boolean {
  if (g.high < h.low || h.high < g.low) return false;
  const side = (ax: number, az: number, bx: number, bz: number, px: number, pz: number) =>
    Math.sign((bx - ax) * (pz - az) - (bz - az) * (px - ax));
  const s1 = side(g.x1, g.z1, g.x2, g.z2, h.x1, h.z1);
  const s2 = side(g.x1, g.z1, g.x2, g.z2, h.x2, h.z2);
  const s3 = side(h.x1, h.z1, h.x2, h.z2, g.x1, g.z1);
  const s4 = side(h.x1, h.z1, h.x2, h.z2, g.x2, g.z2);
  if (s1 === 0 && s2 === 0) {
    // On one line: they cross when their extents along it overlap.
    const dx = g.x2 - g.x1;
    const dz = g.z2 - g.z1;
    const along = (x: number, z: number) => (x - g.x1) * dx + (z - g.z1) * dz;
    const u1 = along(h.x1, h.z1);
    const u2 = along(h.x2, h.z2);
    return Math.max(u1, u2) >= 0 && Math.min(u1, u2) <= dx * dx + dz * dz;
  }
  return s1 * s2 <= 0 && s3 * s4 <= 0;
}

function referenceLineWarnings(
  line: readonly (readonly [number, number, number, number])[],
  shapes: readonly Shape[],
  trackMapId: number | undefined,
): TrackWarning[] {
  const warnings: TrackWarning[] = [];
  for (let i = 1; i < line.length; i++) {
    const before = (line[i - 1] as readonly number[])[0] as number;
    const now = (line[i] as readonly number[])[0] as number;
    if (now < before) {
      warnings.push({
        code: 'REFERENCE_LINE_TIME',
        message: `the reference line goes back in time at point ${i + 1} (${before.toFixed(2)} s, then ${now.toFixed(2)} s)`,
        checkpointIds: [],
      });
      break;
    }
  }
  const points = line.map(([, x, y, z]) => ({ x, y, z }));
  const missed: Shape[] = [];
  for (const shape of shapes) {
    // The line has no map: it is in the track's map, so only checkpoints there are checked.
    if (shape.mapId !== undefined && trackMapId !== undefined && shape.mapId !== trackMapId)
      continue;
    if (!lineTouches(points, shape)) missed.push(shape);
  }
  if (missed.length > 0) {
    warnings.push({
      code: 'REFERENCE_LINE_MISSES',
      message: `the reference line never reaches ${missed.map((shape) => shape.label).join(', ')}: it was ridden on another course, or the checkpoints moved since (a bot following it would miss them)`,
      checkpointIds: missed.map((shape) => shape.cp.id),
    });
  }
  return warnings;
}

function lineTouches(points: readonly Point3[], shape: Shape): boolean {
  const cp = shape.cp;
  // A line of one point is a segment of length zero.
  if (points.length === 1) return lineTouches([points[0] as Point3, points[0] as Point3], shape);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point3;
    const b = points[i] as Point3;
    if (cp.kind === 'gate') {
      if (segmentGateCrossing(a, b, cp) !== undefined) return true;
    } else if (shape.balls.some((ball) => segmentSphereEntry(a, b, ball) !== undefined)) {
      return true;
    }
  }
  return false;
}

function metres(value: number): string {
  const rounded = Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${rounded.replace(/\.0$/, '')} m`;
}
