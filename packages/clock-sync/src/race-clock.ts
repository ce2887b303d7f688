import { assertFinite, ClockSyncError } from './errors';
import type { OffsetEstimator } from './estimator-types';

/** Options of {@link createRaceClock}. */
export interface RaceClockOptions {
  /** Start instant on the organizer's clock, epoch seconds (the `t0` of `START`). */
  t0: number;
  /** The estimator synchronised with the organizer's clock. */
  estimator: OffsetEstimator;
}

/** Time left before the start. */
export interface Countdown {
  /** Organizer-clock ms until `t0`; negative once the race has started. */
  readonly remainingMs: number;
  /** How far `remainingMs` may be off, ms (`Infinity` while not synchronised). */
  readonly boundMs: number;
  /** True once `t0` has passed on the (estimated) organizer clock. */
  readonly started: boolean;
  /** False until the estimator accepted a sample. */
  readonly synchronized: boolean;
}

/** A moment of the race. */
export interface RaceTime {
  /** Organizer-clock ms since `t0` (negative before the start). */
  readonly raceMs: number;
  /** The same instant on the organizer's clock, epoch seconds: the wire format of `ts`. */
  readonly epochSeconds: number;
  /** How far both may be off, ms (`Infinity` while not synchronised). */
  readonly boundMs: number;
  /** False until the estimator accepted a sample. */
  readonly synchronized: boolean;
}

/**
 * The race as seen from one racer's machine: a countdown to `t0` and the race time of any
 * monotonic instant, both on the organizer's clock, each with its current uncertainty. Race time
 * is `monotonic + anchor + offset − t0`: a change of the date on this machine does not move it.
 */
export interface RaceClock {
  /** Start instant, epoch seconds (organizer clock). */
  readonly t0: number;
  /** Time left until the start, as of a monotonic instant (default now). */
  countdown(atMonotonicMs?: number): Countdown;
  /** Race time of a monotonic instant (default now): a checkpoint crossing, a position sample. */
  raceTime(atMonotonicMs?: number): RaceTime;
  /**
   * The monotonic instant the race starts at, by the current estimate: schedule the "GO" for it,
   * and schedule again when a sample improves the estimate.
   */
  startMonotonicMs(): number;
}

/**
 * Creates the race clock for a `START` message's `t0`. On `PAUSE`/`RESUME` with a new `t0`,
 * create another.
 *
 * @example
 * const race = createRaceClock({ t0: start.t0, estimator });
 * race.countdown();                 // { remainingMs: 9_874.2, boundMs: 1.3, started: false, ... }
 * race.raceTime(crossedAtMonotonic) // { raceMs: 61_204.7, epochSeconds: ..., boundMs: 1.4, ... }
 */
export function createRaceClock(options: RaceClockOptions): RaceClock {
  const { t0, estimator } = options;
  assertFinite('t0', t0);
  if (t0 < 0) throw new ClockSyncError('INVALID_ARGUMENT', `t0 must be epoch seconds, got ${t0}`);
  const t0Ms = t0 * 1000;

  function raceTime(atMonotonicMs?: number): RaceTime {
    const reference = estimator.referenceTime(atMonotonicMs);
    return {
      raceMs: reference.timeMs - t0Ms,
      epochSeconds: reference.timeMs / 1000,
      boundMs: reference.boundMs,
      synchronized: reference.synchronized,
    };
  }

  return {
    t0,
    raceTime,
    countdown(atMonotonicMs) {
      const now = raceTime(atMonotonicMs);
      return {
        remainingMs: -now.raceMs,
        boundMs: now.boundMs,
        started: now.raceMs >= 0,
        synchronized: now.synchronized,
      };
    },
    startMonotonicMs: () => estimator.monotonicAt(t0Ms),
  };
}
