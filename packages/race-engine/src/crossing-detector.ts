import type { CheckpointMessage, RankingEntry, Track } from '@gw2race/protocol';
import {
  type AdvanceOptions,
  advanceCourse,
  type CourseState,
  type Crossing,
  createCourseState,
  type Sample,
} from './advance-course';
import {
  type CourseDefinition,
  type CourseOptions,
  checkpointAt,
  compileCourse,
  lapOf,
} from './course';

/** Options of {@link createCrossingDetector}. */
export interface CrossingDetectorOptions extends CourseOptions {
  /** The race start (organizer-clock epoch s), if already known; see {@link CrossingDetector.setT0}. */
  t0?: number | null;
}

/**
 * A stateful convenience around {@link advanceCourse} for a racer's client: feed it samples in
 * time order and it reports the crossings, in course order, exactly as the host will judge the
 * same samples. It can also catch up with the host's ranking ({@link CrossingDetector.catchUp}):
 * a client that restarts mid-race (or missed positions the host saw) continues from what the host
 * has credited.
 */
export interface CrossingDetector {
  /** The compiled course. */
  readonly course: CourseDefinition;
  /** The current (immutable) course state. */
  readonly state: CourseState;
  /** The race start in use, or null. */
  readonly t0: number | null;
  /** Sets the race start (from `START`); a new start forgets all progress. */
  setT0(t0: number | null): void;
  /** Takes one sample; returns the crossings it completes (usually none). */
  push(sample: Sample, options?: AdvanceOptions): readonly Crossing[];
  /** Forgets all progress, keeping t0. */
  reset(): void;
  /**
   * Moves forward to the host's count of credited crossings (`entry.checkpoints`) when it is
   * ahead, never back. Mass starts only: a time-trial racer's own start instant is not in the
   * ranking. Returns true when the progress moved.
   */
  catchUp(entry: RankingEntry): boolean;
}

/**
 * Creates a {@link CrossingDetector} for a track.
 *
 * @example
 * const detector = createCrossingDetector(track, { t0: start.t0 });
 * for (const crossing of detector.push({ t, x, y, z, mapId })) {
 *   publish(toCheckpointMessage('p1', crossing, { clockBound: 0.004 }));
 * }
 */
export function createCrossingDetector(
  track: Track,
  options: CrossingDetectorOptions = {},
): CrossingDetector {
  const course = compileCourse(track, options);
  let state = createCourseState();
  let t0 = options.t0 ?? null;
  return {
    course,
    get state() {
      return state;
    },
    get t0() {
      return t0;
    },
    setT0(next) {
      if (next === t0) return;
      t0 = next;
      state = createCourseState();
    },
    push(sample, advance) {
      const result = advanceCourse(course, state, sample, t0, advance);
      state = result.course;
      return result.crossings;
    },
    reset() {
      state = createCourseState();
    },
    catchUp(entry) {
      if (t0 === null || course.startRule !== 'mass') return false;
      const count = Math.min(entry.checkpoints, course.length);
      if (count <= state.next) return false;
      state = caughtUp(course, state, entry, t0, count);
      return true;
    },
  };
}

/**
 * The course state once the host's `count` credited crossings are taken as done. Stand-ins
 * for those crossings come from the host's splits: only their times matter from now on (the
 * lower bound of a crossing inferred across a later gap).
 */
function caughtUp(
  course: CourseDefinition,
  state: CourseState,
  entry: RankingEntry,
  t0: number,
  count: number,
): CourseState {
  const known: Crossing[] = [];
  for (let index = state.next; index < count; index++) {
    const cp = checkpointAt(course, index);
    const split = entry.splits?.[index] ?? entry.lastAt ?? 0;
    known.push({
      index,
      cp: cp.id,
      lap: lapOf(course, index),
      t: t0 + split,
      uncertainty: entry.uncertainty ?? 0,
      source: 'stream',
      x: cp.center.x,
      y: cp.center.y,
      z: cp.center.z,
      speed: 0,
    });
  }
  const finished = count === course.length;
  return {
    ...state,
    next: count,
    startAt: state.startAt ?? t0,
    finishAt: finished ? t0 + (entry.time ?? (known.at(-1) as Crossing).t - t0) : null,
    landed: false,
    crossings: [...state.crossings, ...known],
    gaps: [],
  };
}

/** Options of {@link toCheckpointMessage}. */
export interface CheckpointMessageOptions {
  /** The race, to fill `raceId`. */
  raceId?: string;
  /** ± seconds of the client's clock offset, added to the crossing's own uncertainty. */
  clockBound?: number;
  /** Sequence number, when the client numbers its messages. */
  seq?: number;
}

/**
 * The `checkpoint` message a client publishes for a crossing its detector found: the crossing
 * time, lap, place and speed, with the uncertainty of interpolation plus the clock bound.
 */
export function toCheckpointMessage(
  playerId: string,
  crossing: Crossing,
  options: CheckpointMessageOptions = {},
): CheckpointMessage {
  return {
    ...(options.raceId === undefined ? {} : { raceId: options.raceId }),
    playerId,
    cp: crossing.cp,
    ts: crossing.t,
    lap: crossing.lap,
    pos: { x: crossing.x, y: crossing.y, z: crossing.z },
    speed: crossing.speed,
    uncertainty: crossing.uncertainty + (options.clockBound ?? 0),
    ...(options.seq === undefined ? {} : { seq: options.seq }),
  };
}
