import { type CompiledCheckpoint, type CourseDefinition, checkpointAt, lapOf } from './course';
import {
  type CurvedSegment,
  curveAt,
  curveGateCrossing,
  curveSphereEntry,
  curveSphereExit,
  curveThrough,
  gateCrossing,
  type Point3,
  sphereEntry,
  sphereExit,
} from './segment-crossing';

/** One position sample: organizer-clock epoch seconds and MumbleLink metres. */
export interface Sample extends Point3 {
  /** Organizer-clock epoch seconds of the sample. */
  readonly t: number;
  /** GW2 map id, when known. */
  readonly mapId?: number | undefined;
  /** MumbleLink mount index, when known. */
  readonly mount?: number | undefined;
  /** ± seconds the sender declares on `t` (its stamping window and clock bound), as sent. */
  readonly u?: number | undefined;
}

/**
 * How a crossing was established:
 * - `stream`: interpolated between two samples at most `gapSeconds` apart;
 * - `gap`: interpolated across a gap in the stream (less certain);
 * - `inferred`: never seen, but the racer crossed a later checkpoint after a gap during which this
 *   one was reachable; its time is an estimate with an uncertainty of half the gap.
 */
export type CrossingSource = 'stream' | 'gap' | 'inferred';

/** A checkpoint crossing credited to a racer. */
export interface Crossing {
  /** Position in the race's sequence of crossings (0-based, all laps together). */
  readonly index: number;
  /** Checkpoint id. */
  readonly cp: number;
  /** Lap the crossing belongs to, from 1. */
  readonly lap: number;
  /** Organizer-clock epoch seconds of the crossing. */
  readonly t: number;
  /** ± seconds on `t`, from interpolation alone (clock offset not included). */
  readonly uncertainty: number;
  /** How the crossing was established. */
  readonly source: CrossingSource;
  /** Where the crossing happened (interpolated), metres. */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** Mean speed over the segment that crossed, m/s. */
  readonly speed: number;
}

/** A stretch of the stream without samples, kept until the next crossing for gap inference. */
export interface GapSegment {
  readonly a: Sample;
  readonly b: Sample;
}

/** Where one racer stands on the course. Immutable: {@link advanceCourse} returns a new one. */
export interface CourseState {
  /** Crossings credited so far; also the index of the next one required. */
  readonly next: number;
  /** Organizer-clock epoch seconds the racer's clock started, or null before the start. */
  readonly startAt: number | null;
  /** Organizer-clock epoch seconds of the finish, or null. */
  readonly finishAt: number | null;
  /** The last sample taken into account. */
  readonly last: Sample | null;
  /**
   * The sample before `last` when the racer travelled continuously from it (same map, no jump, no
   * gap): with it the next segment is drawn as a curve.
   */
  readonly prior: Sample | null;
  /**
   * True when the racer reached `last` by a jump (teleport, map change): a sphere they landed in
   * counts only once they have left it and come back.
   */
  readonly landed: boolean;
  /** Every crossing credited, in order (`crossings[i].index === i`). */
  readonly crossings: readonly Crossing[];
  /** Gaps in the stream since the last crossing. */
  readonly gaps: readonly GapSegment[];
}

/** The result of {@link advanceCourse}. */
export interface CourseStep {
  /** The racer's new course state. */
  readonly course: CourseState;
  /** Crossings credited by this sample, in order (often empty). */
  readonly crossings: readonly Crossing[];
  /** Set when the racer's clock started (or restarted, time trials) on this sample. */
  readonly started: number | undefined;
  /** True when a time-trial racer went back into the start before the first checkpoint. */
  readonly rearmed: boolean;
}

/** Options of {@link advanceCourse}. */
export interface AdvanceOptions {
  /**
   * False when the racer did not travel along the straight line from the previous sample (a
   * teleport, a map change): the segment is not searched for crossings.
   */
  readonly traversable?: boolean;
}

const NO_CROSSINGS: readonly Crossing[] = Object.freeze([]);
const MAX_GAPS = 4;

/** The course state of a racer who has sent nothing yet. */
export function createCourseState(): CourseState {
  return {
    next: 0,
    startAt: null,
    finishAt: null,
    last: null,
    prior: null,
    landed: false,
    crossings: NO_CROSSINGS,
    gaps: [],
  };
}

/**
 * Takes one more sample into account: searches the straight segment from the previous sample for
 * the crossings the course requires next, in order, and returns the new state with what was
 * credited. Pure: the same inputs always give the same outputs, and `state` is not modified.
 *
 * Rules (see the README's "Rules"):
 * - nothing counts before `t0` (null `t0`: the race has not started, nothing counts);
 * - `mass` start: every racer's clock starts at `t0`; `timeTrial`: at the last moment the racer
 *   leaves the start zone (or crosses a start gate) before reaching the first checkpoint;
 * - only the next checkpoint of the course counts; a sphere is reached at the first instant the
 *   interpolated path is inside it, a gate when the path crosses its plane between the poles;
 * - after a gap in the stream, up to `gapLookahead` further checkpoints are watched too; crossing
 *   one credits the skipped ones as `inferred` if each was reachable during the gap.
 *
 * Samples whose time is not after the previous sample's are ignored.
 */
export function advanceCourse(
  course: CourseDefinition,
  state: CourseState,
  sample: Sample,
  t0: number | null,
  options: AdvanceOptions = {},
): CourseStep {
  const prev = state.last;
  if (prev !== null && !(sample.t > prev.t)) {
    return { course: state, crossings: NO_CROSSINGS, started: undefined, rearmed: false };
  }
  let startAt = state.startAt;
  let started: number | undefined;
  if (t0 !== null && startAt === null && course.startRule === 'mass' && sample.t >= t0) {
    startAt = t0;
    started = t0;
  }
  const sameMap =
    prev === null ||
    prev.mapId === undefined ||
    sample.mapId === undefined ||
    prev.mapId === sample.mapId;
  const continuous =
    prev !== null &&
    sameMap &&
    options.traversable !== false &&
    sample.t - prev.t <= course.gapSeconds;
  const prior = continuous ? prev : null;
  const jumped = prev !== null && (!sameMap || options.traversable === false);
  if (prev === null || t0 === null || state.finishAt !== null || sample.t <= t0 || jumped) {
    // A jump leaves the racer "landed"; plain samples keep whatever the last segment decided.
    const landed = jumped || (state.landed && prev !== null);
    return moved(withLast(state, sample, prior, startAt, landed), started, false);
  }

  const curve =
    continuous && state.prior !== null && course.interpolation === 'curved'
      ? curveThrough(state.prior, prev, sample, course.maxCurveAcceleration)
      : undefined;
  let u = prev.t >= t0 ? 0 : (t0 - prev.t) / (sample.t - prev.t);
  let rearmed = false;
  if (course.startRule === 'timeTrial' && state.next === 0) {
    const exit = startExit(course.start, prev, sample, curve, u);
    if (exit === INSIDE) {
      rearmed = startAt !== null;
      startAt = null;
    } else if (exit >= 0) {
      startAt = prev.t + exit * (sample.t - prev.t);
      started = startAt;
      u = exit;
    }
    if (startAt === null)
      return moved(withLast(state, sample, prior, null, false), undefined, rearmed);
  }
  if (startAt === null)
    return moved(withLast(state, sample, prior, startAt, false), started, rearmed);
  const landed = stillLanded(course, state, prev, sample, curve, u);
  if (landed !== undefined) {
    // Until the segment that leaves it, nothing else can be crossed either (order).
    return moved(withLast(state, sample, prior, startAt, landed), started, rearmed);
  }

  const found = creditAlong(course, state, prev, sample, curve, u, startAt);
  const credited = found.credited;
  const next = state.next + (credited === undefined ? 0 : credited.length);
  const crossings = credited === undefined ? state.crossings : [...state.crossings, ...credited];
  const finishAt = next >= course.length ? (crossings[crossings.length - 1]?.t ?? null) : null;
  return {
    course: {
      next,
      startAt,
      finishAt,
      last: sample,
      prior,
      landed: false,
      crossings,
      gaps: found.gaps,
    },
    crossings: credited ?? NO_CROSSINGS,
    started,
    rearmed,
  };
}

/** A step that credits nothing. */
function moved(course: CourseState, started: number | undefined, rearmed: boolean): CourseStep {
  return { course, crossings: NO_CROSSINGS, started, rearmed };
}

/**
 * A racer who landed inside the next checkpoint by a jump: whether they are still inside it at
 * the end of this segment (it counts only once they have left it and come back), or undefined
 * when they did not start the segment inside it.
 */
function stillLanded(
  course: CourseDefinition,
  state: CourseState,
  prev: Sample,
  sample: Sample,
  curve: CurvedSegment | undefined,
  u: number,
): boolean | undefined {
  if (!state.landed || state.next >= course.length) return undefined;
  const cp = checkpointAt(course, state.next);
  if (cp.gate !== undefined || !insideAny(cp, prev)) return undefined;
  return startExit(cp, prev, sample, curve, u) < 0;
}

/** What {@link creditAlong} credited on a segment, and the gaps kept for inference after it. */
interface Found {
  readonly credited: Crossing[] | undefined;
  readonly gaps: readonly GapSegment[];
}

/**
 * Searches the segment from `prev` to `sample` (from `u` on) for the checkpoints the course
 * requires next, in order. After a gap in the stream, up to `gapLookahead` further checkpoints
 * are watched too: crossing one credits the skipped ones as `inferred` if each was reachable
 * during the gaps (see {@link inferSkipped}).
 */
function creditAlong(
  course: CourseDefinition,
  state: CourseState,
  prev: Sample,
  sample: Sample,
  curve: CurvedSegment | undefined,
  from: number,
  startAt: number,
): Found {
  const dt = sample.t - prev.t;
  const isGap = dt > course.gapSeconds;
  const uncertainty = isGap ? dt / 2 : course.interpolationUncertainty;
  const source = isGap ? 'gap' : 'stream';
  let u = from;
  let next = state.next;
  let gaps = state.gaps;
  let credited: Crossing[] | undefined;
  let lastTime = lastCrossingTime(state, startAt);

  search: while (next < course.length) {
    const hit = contact(checkpointAt(course, next), prev, sample, curve, u);
    if (hit >= 0) {
      const crossing = makeCrossing(course, next, prev, sample, curve, hit, uncertainty, source);
      if (credited === undefined) credited = [];
      credited.push(crossing);
      lastTime = crossing.t;
      next += 1;
      u = hit;
      gaps = NO_GAPS;
      continue;
    }
    const lookahead = Math.min(course.gapLookahead, course.length - 1 - next);
    if (lookahead <= 0 || (!isGap && gaps.length === 0)) break;
    const candidates = isGap ? [...gaps, { a: pointAt(prev, sample, u), b: sample }] : gaps;
    for (let j = 1; j <= lookahead; j++) {
      const later = contact(checkpointAt(course, next + j), prev, sample, curve, u);
      if (later < 0) continue;
      const laterTime = prev.t + later * dt;
      const inferred = inferSkipped(course, next, j, candidates, lastTime, laterTime);
      if (inferred === undefined) break search;
      credited ??= [];
      for (const crossing of inferred) credited.push(crossing);
      const crossing = makeCrossing(
        course,
        next + j,
        prev,
        sample,
        curve,
        later,
        uncertainty,
        source,
      );
      credited.push(crossing);
      lastTime = crossing.t;
      next += j + 1;
      u = later;
      gaps = NO_GAPS;
      continue search;
    }
    break;
  }

  if (isGap && next < course.length) {
    const kept = [...gaps, { a: pointAt(prev, sample, u), b: sample }];
    gaps = kept.length > MAX_GAPS ? kept.slice(kept.length - MAX_GAPS) : kept;
  }
  return { credited, gaps };
}

const NO_GAPS: readonly GapSegment[] = Object.freeze([]);
const INSIDE = -2;

function withLast(
  state: CourseState,
  sample: Sample,
  prior: Sample | null,
  startAt: number | null,
  landed: boolean,
): CourseState {
  return {
    next: state.next,
    startAt,
    finishAt: state.finishAt,
    last: sample,
    prior,
    landed,
    crossings: state.crossings,
    gaps: state.gaps,
  };
}

function lastCrossingTime(state: CourseState, startAt: number): number {
  const last = state.crossings[state.crossings.length - 1];
  return last === undefined ? startAt : last.t;
}

/** First u >= uFrom where the segment reaches the checkpoint, or -1. */
function contact(
  cp: CompiledCheckpoint,
  a: Sample,
  b: Sample,
  curve: CurvedSegment | undefined,
  uFrom: number,
): number {
  if (cp.mapId !== undefined && b.mapId !== undefined && cp.mapId !== b.mapId) return -1;
  const gate = cp.gate;
  if (gate !== undefined) {
    return curve === undefined
      ? gateCrossing(a, b, gate.x1, gate.z1, gate.x2, gate.z2, gate.low, gate.high, uFrom)
      : curveGateCrossing(curve, gate.x1, gate.z1, gate.x2, gate.z2, gate.low, gate.high, uFrom);
  }
  let best = -1;
  for (const s of cp.spheres) {
    const u =
      curve === undefined
        ? sphereEntry(a, b, s.x, s.y, s.z, s.r * s.r, uFrom)
        : curveSphereEntry(curve, s.x, s.y, s.z, s.r, uFrom);
    if (u >= 0 && (best < 0 || u < best)) best = u;
  }
  return best;
}

function insideAny(cp: CompiledCheckpoint, p: Point3): boolean {
  for (const s of cp.spheres) {
    if ((p.x - s.x) ** 2 + (p.y - s.y) ** 2 + (p.z - s.z) ** 2 <= s.r * s.r) return true;
  }
  return false;
}

/** Where a racer leaves a sphere checkpoint on this segment: u, INSIDE (ends in it), or -1. */
function startExit(
  start: CompiledCheckpoint,
  a: Sample,
  b: Sample,
  curve: CurvedSegment | undefined,
  uFrom: number,
): number {
  if (start.mapId !== undefined && b.mapId !== undefined && start.mapId !== b.mapId) return -1;
  const gate = start.gate;
  if (gate !== undefined) {
    return curve === undefined
      ? gateCrossing(a, b, gate.x1, gate.z1, gate.x2, gate.z2, gate.low, gate.high, uFrom)
      : curveGateCrossing(curve, gate.x1, gate.z1, gate.x2, gate.z2, gate.low, gate.high, uFrom);
  }
  let best = -1;
  for (const s of start.spheres) {
    const r2 = s.r * s.r;
    const dx = b.x - s.x;
    const dy = b.y - s.y;
    const dz = b.z - s.z;
    if (dx * dx + dy * dy + dz * dz <= r2) return INSIDE;
    const u =
      curve === undefined
        ? sphereExit(a, b, s.x, s.y, s.z, r2, uFrom)
        : curveSphereExit(curve, s.x, s.y, s.z, s.r, uFrom);
    if (u > best) best = u;
  }
  return best;
}

function pointAt(a: Sample, b: Sample, u: number): Sample {
  if (u === 0) return a;
  return {
    t: a.t + (b.t - a.t) * u,
    x: a.x + (b.x - a.x) * u,
    y: a.y + (b.y - a.y) * u,
    z: a.z + (b.z - a.z) * u,
    mapId: b.mapId,
  };
}

function makeCrossing(
  course: CourseDefinition,
  index: number,
  a: Sample,
  b: Sample,
  curve: CurvedSegment | undefined,
  u: number,
  uncertainty: number,
  source: CrossingSource,
): Crossing {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dz = b.z - a.z;
  const at = curve === undefined ? undefined : curveAt(curve, u);
  return {
    index,
    cp: checkpointAt(course, index).id,
    lap: lapOf(course, index),
    t: a.t + (b.t - a.t) * u,
    uncertainty,
    source,
    x: at?.x ?? a.x + dx * u,
    y: at?.y ?? a.y + dy * u,
    z: at?.z ?? a.z + dz * u,
    speed: Math.sqrt(dx * dx + dy * dy + dz * dz) / (b.t - a.t),
  };
}

/**
 * Places the `count` checkpoints from `first` in the gaps, in order, each in the first gap (from
 * where the previous one was placed) through which it was reachable: going from the gap's start
 * to the checkpoint and on to its end must fit in the gap at `gapMaxSpeed`. The estimated time
 * splits the gap in proportion to those two distances. Undefined if any does not fit.
 */
function inferSkipped(
  course: CourseDefinition,
  first: number,
  count: number,
  gaps: readonly GapSegment[],
  after: number,
  before: number,
): Crossing[] | undefined {
  const out: Crossing[] = [];
  let g = 0;
  let previous = after;
  for (let k = 0; k < count; k++) {
    const cp = checkpointAt(course, first + k);
    let placed: Crossing | undefined;
    for (; g < gaps.length; g++) {
      const gap = gaps[g] as GapSegment;
      const dtGap = gap.b.t - gap.a.t;
      const dA = Math.max(0, distance(gap.a, cp.center) - cp.reach);
      const dB = Math.max(0, distance(cp.center, gap.b) - cp.reach);
      if (dA + dB > course.gapMaxSpeed * dtGap) continue;
      const share = dA + dB === 0 ? 0.5 : dA / (dA + dB);
      const t = Math.min(before, Math.max(previous, gap.a.t + share * dtGap));
      placed = {
        index: first + k,
        cp: cp.id,
        lap: lapOf(course, first + k),
        t,
        uncertainty: dtGap / 2,
        source: 'inferred',
        x: cp.center.x,
        y: cp.center.y,
        z: cp.center.z,
        speed: distance(gap.a, gap.b) / dtGap,
      };
      break;
    }
    if (placed === undefined) return undefined;
    out.push(placed);
    previous = placed.t;
  }
  return out;
}

function distance(a: Point3, b: Point3): number {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}
