import type { RankingEntry, Track } from '@gw2race/protocol';
import {
  advanceCourse,
  type CourseDefinition,
  type CourseOptions,
  type CourseState,
  type Crossing,
  checkpointAt,
  compileCourse,
  createCourseState,
  lapOf,
  type Sample,
} from '@gw2race/race-engine';

/**
 * The racer's own view of their progress: the race engine's course judging, fed with the
 * racer's samples, so crossings are reported as the host will judge them. Unlike the engine's
 * `CrossingDetector` it can catch up with the host's ranking: a client that restarts mid-race
 * (or missed positions the host saw) continues from what the host has credited.
 */
export interface LocalCourse {
  readonly course: CourseDefinition;
  readonly state: CourseState;
  readonly t0: number | null;
  /** Sets the race start; a new start forgets all progress. */
  setT0(t0: number | null): void;
  /** Takes one sample; returns the crossings it completes. */
  push(sample: Sample): readonly Crossing[];
  /**
   * Moves forward to the host's count of credited crossings when it is ahead (never back).
   * Mass starts only: a time-trial racer's own start instant is not in the ranking. Returns
   * true when the local progress moved.
   */
  catchUp(entry: RankingEntry): boolean;
}

/** Creates a {@link LocalCourse}. */
export function createLocalCourse(
  track: Track,
  options: CourseOptions & { t0?: number | null } = {},
): LocalCourse {
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
    push(sample) {
      const result = advanceCourse(course, state, sample, t0);
      state = result.course;
      return result.crossings;
    },
    catchUp(entry) {
      if (t0 === null || course.startRule !== 'mass') return false;
      const count = Math.min(entry.checkpoints, course.length);
      if (count <= state.next) return false;
      // Stand-ins for the crossings the host credited: only their times matter from now on
      // (the lower bound of a crossing inferred across a later gap), from the host's splits.
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
      state = {
        ...state,
        next: count,
        startAt: state.startAt ?? t0,
        finishAt: finished ? t0 + (entry.time ?? (known.at(-1) as Crossing).t - t0) : null,
        landed: false,
        crossings: [...state.crossings, ...known],
        gaps: [],
      };
      return true;
    },
  };
}
