/**
 * A monotonic clock in milliseconds: it never jumps with NTP or the wall clock, so intervals
 * (speed, staleness) are measured with it. The reader takes one so tests can drive time.
 */
export interface MonotonicClock {
  /** Milliseconds from an arbitrary origin; never decreases. */
  monotonicMs(): number;
}

/** Timers, injected so tests drive polling with a manual clock instead of sleeping. */
export interface Scheduler {
  /** Calls `callback` once after `delayMs`; returns a handle for {@link Scheduler.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a pending callback (no effect when it already ran). */
  clearTimeout(handle: unknown): void;
}

/** `performance.now()`: the process's monotonic clock. */
export const systemClock: MonotonicClock = {
  monotonicMs: () => performance.now(),
};

/** The runtime's `setTimeout`/`clearTimeout`. */
export const systemScheduler: Scheduler = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A clock and scheduler that move only when told to: for tests and replays. */
export interface ManualClock extends MonotonicClock, Scheduler {
  /** Current time. */
  readonly now: number;
  /** Moves time forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void;
  /** Number of timers waiting. */
  readonly pending: number;
}

/**
 * A {@link MonotonicClock} and {@link Scheduler} in one, driven by {@link ManualClock.advance}.
 * It refuses to go backwards.
 *
 * @example
 * const time = createManualClock();
 * const reader = createMumbleLinkReader({ source, clock: time, scheduler: time });
 * await reader.start();
 * time.advance(1000); // sixty polls, instantly
 */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { due: number; callback: () => void }>();
  return {
    get now() {
      return now;
    },
    get pending() {
      return timers.size;
    },
    monotonicMs: () => now,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`a manual clock only moves forward (asked ${ms} ms)`);
      const end = now + ms;
      for (;;) {
        let nextIdDue: number | undefined;
        let nextDue = Number.POSITIVE_INFINITY;
        for (const [id, timer] of timers) {
          if (timer.due < nextDue || (timer.due === nextDue && id < (nextIdDue ?? 0))) {
            nextDue = timer.due;
            nextIdDue = id;
          }
        }
        if (nextIdDue === undefined || nextDue > end) break;
        const timer = timers.get(nextIdDue)!;
        timers.delete(nextIdDue);
        now = Math.max(now, timer.due);
        timer.callback();
      }
      now = end;
    },
  };
}
