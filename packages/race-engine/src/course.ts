import {
  DEFAULT_GATE_HEIGHT,
  err,
  ok,
  type Result,
  type StartRule,
  type Track,
  type TrackCheckpoint,
  trackSchema,
} from '@gw2race/protocol';
import { nonNegative, positive } from './check-option';
import { RaceEngineError } from './errors';
import type { Point3, Sphere } from './segment-crossing';

/** How a track is raced: laps, start rule, and how the stream between samples is judged. */
export interface CourseOptions {
  /** Laps to race. Default: the track's `laps`, else 1. */
  laps?: number;
  /** `mass` (default): everyone's clock starts at t0. `timeTrial`: on leaving the start. */
  startRule?: StartRule;
  /** Override the track's `circuit` (start is also the finish of every lap). */
  circuit?: boolean;
  /**
   * A segment between two samples longer than this many seconds is a gap in the stream
   * (default 1 s; samples normally come every 0.1 s). Crossings found on a gap are credited with
   * an uncertainty of half the gap.
   */
  gapSeconds?: number;
  /**
   * After a gap, how many checkpoints beyond the next one are also watched, so a racer whose
   * stream dropped out while passing a checkpoint is not stuck behind it (default 3; 0 disables).
   */
  gapLookahead?: number;
  /**
   * Fastest a racer could move during a gap, m/s (default 60). A checkpoint missed during a gap
   * is inferred only if the racer could have touched it at this speed in the time the gap lasted.
   */
  gapMaxSpeed?: number;
  /**
   * ± seconds credited to a crossing interpolated between two samples less than `gapSeconds`
   * apart (default 0.002). The benchmark measures the real error an order of magnitude below it
   * at 10 Hz on straight lines and turns.
   */
  interpolationUncertainty?: number;
  /**
   * How the path between two samples is drawn: `curved` (default) follows the parabola through
   * the sample before as well, so a turn is not cut short; `linear` uses the straight chord. Both
   * are exact on straight lines; on turns `curved` keeps timing within a few tenths of a ms.
   */
  interpolation?: 'curved' | 'linear';
  /**
   * Above this implied acceleration (m/s²) three samples are not a turn but a bounce or a jump,
   * and the straight chord is used instead of the curve (default 100, about 10 g).
   */
  maxCurveAcceleration?: number;
}

/** A checkpoint ready for fast intersection tests. */
export interface CompiledCheckpoint {
  /** The track checkpoint's id (the `cp` of checkpoint messages). */
  readonly id: number;
  /** Position in `track.checkpoints`. */
  readonly index: number;
  /** `sphere` or `gate`. */
  readonly kind: 'sphere' | 'gate';
  /** Map the checkpoint is on, when known (its own, else the track's). */
  readonly mapId: number | undefined;
  /** For spheres: the sphere and its alternatives, any of which counts. */
  readonly spheres: readonly Sphere[];
  /** For gates: the plane's ends in X/Z and its vertical extent. */
  readonly gate:
    | {
        readonly x1: number;
        readonly z1: number;
        readonly x2: number;
        readonly z2: number;
        readonly low: number;
        readonly high: number;
      }
    | undefined;
  /** Centre of the (first) sphere or the middle of the gate. */
  readonly center: Point3;
  /** Radius of the (first) sphere or half the gate's width, metres. */
  readonly reach: number;
}

/** A track compiled for judging: the order of crossings a racer must make. */
export interface CourseDefinition {
  /** The track as given. */
  readonly track: Track;
  /** Every checkpoint of the track, compiled, in track order. */
  readonly checkpoints: readonly CompiledCheckpoint[];
  /** The start (the track's first checkpoint). */
  readonly start: CompiledCheckpoint;
  /**
   * The crossings of one lap in order: checkpoints 2..n (the last is the finish); on a circuit,
   * checkpoints 2..n and then the start again.
   */
  readonly lap: readonly CompiledCheckpoint[];
  /** Laps to race. */
  readonly laps: number;
  /** Crossings in the whole race: `laps × lap.length`. */
  readonly length: number;
  /** True when the start is also the finish of every lap. */
  readonly circuit: boolean;
  /** When each racer's clock starts. */
  readonly startRule: StartRule;
  /** The track's map id, when known. */
  readonly mapId: number | undefined;
  /** Reset points as spheres (radius 15 m when the track gives none). */
  readonly resets: readonly Sphere[];
  /** See {@link CourseOptions.gapSeconds}. */
  readonly gapSeconds: number;
  /** See {@link CourseOptions.gapLookahead}. */
  readonly gapLookahead: number;
  /** See {@link CourseOptions.gapMaxSpeed}. */
  readonly gapMaxSpeed: number;
  /** See {@link CourseOptions.interpolationUncertainty}. */
  readonly interpolationUncertainty: number;
  /** See {@link CourseOptions.interpolation}. */
  readonly interpolation: 'curved' | 'linear';
  /** See {@link CourseOptions.maxCurveAcceleration}. */
  readonly maxCurveAcceleration: number;
}

const DEFAULT_RESET_RADIUS = 15;

/**
 * Validates an untrusted track (e.g. a parsed `*.track.json`) against the protocol's schema.
 * Never throws.
 */
export function parseTrack(value: unknown): Result<Track, RaceEngineError> {
  const parsed = trackSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return err(
    new RaceEngineError('INVALID_TRACK', `invalid track${where}: ${issue?.message ?? 'unknown'}`, {
      cause: parsed.error,
    }),
  );
}

/**
 * Compiles a track into the sequence of crossings a race requires. Throws a
 * {@link RaceEngineError} (`INVALID_TRACK`, `INVALID_OPTIONS`) for a track or options the program
 * should have validated; use {@link parseTrack} on untrusted input first.
 *
 * @example
 * const course = compileCourse(track, { laps: 3, startRule: 'timeTrial' });
 * course.length; // crossings needed to finish
 */
export function compileCourse(track: Track, options: CourseOptions = {}): CourseDefinition {
  const checked = parseTrack(track);
  if (!checked.ok) throw checked.error;
  const laps = options.laps ?? track.laps ?? 1;
  if (!Number.isInteger(laps) || laps < 1 || laps > 1000) {
    throw new RaceEngineError('INVALID_OPTIONS', `laps must be an integer 1-1000, got ${laps}`);
  }
  const gapSeconds = positive('gapSeconds', options.gapSeconds ?? 1);
  const gapMaxSpeed = positive('gapMaxSpeed', options.gapMaxSpeed ?? 60);
  const interpolationUncertainty = nonNegative(
    'interpolationUncertainty',
    options.interpolationUncertainty ?? 0.002,
  );
  const maxCurveAcceleration = positive(
    'maxCurveAcceleration',
    options.maxCurveAcceleration ?? 100,
  );
  const interpolation = options.interpolation ?? 'curved';
  if (interpolation !== 'curved' && interpolation !== 'linear') {
    throw new RaceEngineError(
      'INVALID_OPTIONS',
      `interpolation must be "curved" or "linear", got ${String(interpolation)}`,
    );
  }
  const gapLookahead = options.gapLookahead ?? 3;
  if (!Number.isInteger(gapLookahead) || gapLookahead < 0) {
    throw new RaceEngineError(
      'INVALID_OPTIONS',
      `gapLookahead must be a non-negative integer, got ${gapLookahead}`,
    );
  }
  const circuit = options.circuit ?? track.circuit ?? false;
  const checkpoints = track.checkpoints.map((cp, index) => compileCheckpoint(cp, index, track));
  const start = checkpoints[0] as CompiledCheckpoint;
  const lap = circuit ? [...checkpoints.slice(1), start] : checkpoints.slice(1);
  return {
    track,
    checkpoints,
    start,
    lap,
    laps,
    length: laps * lap.length,
    circuit,
    startRule: options.startRule ?? 'mass',
    mapId: track.mapId,
    resets: (track.resets ?? []).map((p) => ({
      x: p.x,
      y: p.y,
      z: p.z,
      r: p.r ?? DEFAULT_RESET_RADIUS,
    })),
    gapSeconds,
    gapLookahead,
    gapMaxSpeed,
    interpolationUncertainty,
    interpolation,
    maxCurveAcceleration,
  };
}

/** The checkpoint a racer must cross for course index `index` (0-based, all laps together). */
export function checkpointAt(course: CourseDefinition, index: number): CompiledCheckpoint {
  return course.lap[index % course.lap.length] as CompiledCheckpoint;
}

/** The lap (from 1) course index `index` belongs to. */
export function lapOf(course: CourseDefinition, index: number): number {
  return Math.floor(index / course.lap.length) + 1;
}

function compileCheckpoint(cp: TrackCheckpoint, index: number, track: Track): CompiledCheckpoint {
  const mapId = cp.mapId ?? track.mapId;
  if (cp.kind === 'gate') {
    const low = Math.min(cp.a.y, cp.b.y);
    const high = Math.max(cp.a.y, cp.b.y) + (cp.height ?? DEFAULT_GATE_HEIGHT);
    const center = { x: (cp.a.x + cp.b.x) / 2, y: (low + high) / 2, z: (cp.a.z + cp.b.z) / 2 };
    const reach = Math.hypot(cp.b.x - cp.a.x, cp.b.z - cp.a.z) / 2;
    return {
      id: cp.id,
      index,
      kind: 'gate',
      mapId,
      spheres: [],
      gate: { x1: cp.a.x, z1: cp.a.z, x2: cp.b.x, z2: cp.b.z, low, high },
      center,
      reach,
    };
  }
  const spheres: Sphere[] = [{ x: cp.x, y: cp.y, z: cp.z, r: cp.r }, ...(cp.alternatives ?? [])];
  return {
    id: cp.id,
    index,
    kind: 'sphere',
    mapId,
    spheres,
    gate: undefined,
    center: { x: cp.x, y: cp.y, z: cp.z },
    reach: cp.r,
  };
}
