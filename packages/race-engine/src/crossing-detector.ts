import type { CheckpointMessage, Track } from '@gw2race/protocol';
import {
  type AdvanceOptions,
  advanceCourse,
  type CourseState,
  type Crossing,
  createCourseState,
  type Sample,
} from './advance-course';
import { type CourseDefinition, type CourseOptions, compileCourse } from './course';

/** Options of {@link createCrossingDetector}. */
export interface CrossingDetectorOptions extends CourseOptions {
  /** The race start (organizer-clock epoch s), if already known; see {@link CrossingDetector.setT0}. */
  t0?: number | null;
}

/**
 * A stateful convenience around {@link advanceCourse} for a racer's client: feed it samples in
 * time order and it reports the crossings, in course order, exactly as the host will judge the
 * same samples.
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
