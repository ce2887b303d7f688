import type { Clock } from './clock';
import { assertFinite, ClockSyncError } from './errors';

/** Options of {@link createSimulatedClock}. */
export interface SimulatedClockOptions {
  /** True (reference) time at the start, epoch ms. Default 1 700 000 000 000 (November 2023). */
  trueMs?: number;
  /** Wall clock at the start, epoch ms. Default: equal to `trueMs`. */
  wallMs?: number;
  /** Monotonic clock at the start, ms. Default 0. */
  monotonicMs?: number;
  /**
   * How fast this computer's oscillator runs, in parts per million against true time: at +50,
   * both of its clocks gain 50 µs every true second. Default 0.
   */
  driftPpm?: number;
  /** Reported {@link Clock.resolutionMs}. Default 0 (exact). */
  resolutionMs?: number;
}

/**
 * A computer's clocks under the control of a test or a simulation. It knows the true time,
 * runs at a chosen rate error, can have its wall clock stepped or be suspended, and refuses to
 * go backwards.
 */
export interface SimulatedClock extends Clock {
  /** The true (reference) time, epoch ms: what a perfect clock would read now. */
  trueMs(): number;
  /** Lets `ms` of true time pass; both clocks advance by `ms × (1 + driftPpm / 1e6)`. */
  advance(ms: number): void;
  /** Steps the wall clock by `deltaMs` (either sign), as an OS or NTP daemon setting the date does. */
  stepWall(deltaMs: number): void;
  /**
   * The machine sleeps for `ms` of true time: the wall clock is set from the real-time clock on
   * resume (it advances by `ms`), the monotonic clock stood still (as Linux `CLOCK_MONOTONIC`
   * and macOS `mach_absolute_time` do).
   */
  suspend(ms: number): void;
  /** Changes the oscillator's rate error from now on. */
  setDriftPpm(ppm: number): void;
}

/**
 * A clock for tests and simulations. Monotonic time never decreases: asking it to is an error.
 *
 * @example
 * const clock = createSimulatedClock({ driftPpm: 50 });
 * clock.advance(1_000); // one true second
 * clock.monotonicMs();  // 1000.05
 */
export function createSimulatedClock(options: SimulatedClockOptions = {}): SimulatedClock {
  let trueNow = options.trueMs ?? 1_700_000_000_000;
  let wall = options.wallMs ?? trueNow;
  let mono = options.monotonicMs ?? 0;
  let rate = 1 + (options.driftPpm ?? 0) / 1e6;
  assertFinite('trueMs', trueNow);
  assertFinite('wallMs', wall);
  assertFinite('monotonicMs', mono);
  assertFinite('driftPpm', rate);

  const forwardOnly = (what: string, ms: number) => {
    assertFinite(what, ms);
    if (ms < 0) {
      throw new ClockSyncError(
        'CLOCK_WENT_BACKWARDS',
        `${what}(${ms}): a simulated clock only moves forwards`,
      );
    }
  };

  return {
    monotonicMs: () => mono,
    wallMs: () => wall,
    resolutionMs: options.resolutionMs ?? 0,
    trueMs: () => trueNow,
    advance(ms) {
      forwardOnly('advance', ms);
      trueNow += ms;
      mono += ms * rate;
      wall += ms * rate;
    },
    stepWall(deltaMs) {
      assertFinite('stepWall', deltaMs);
      wall += deltaMs;
    },
    suspend(ms) {
      forwardOnly('suspend', ms);
      trueNow += ms;
      wall += ms;
    },
    setDriftPpm(ppm) {
      assertFinite('driftPpm', ppm);
      rate = 1 + ppm / 1e6;
    },
  };
}
