/**
 * The two kinds of time a computer keeps, kept apart on purpose.
 *
 * - **Monotonic** time (`performance.now()`, `process.hrtime`) only ever moves forwards at the
 *   oscillator's rate. It is the only clock fit to measure an interval: a round trip, a lap.
 *   Its origin is arbitrary, so a single reading means nothing on its own.
 * - **Wall** time (`Date.now()`) is what the OS believes the date is. The OS, an NTP daemon or
 *   the user may step it at any moment, and after a suspend it jumps forward while some
 *   monotonic clocks stood still. It is read only to name an instant, never to time one:
 *   nothing in this package subtracts two wall readings to measure a duration.
 *
 * Everything in the core takes a `Clock`, so tests and simulations drive time themselves
 * (see {@link createSimulatedClock}).
 */
export interface Clock {
  /** Milliseconds from an arbitrary origin; never decreases, unaffected by changes of the date. */
  monotonicMs(): number;
  /** Milliseconds since the Unix epoch as the OS believes it now; may jump either way. */
  wallMs(): number;
  /**
   * Smallest step the monotonic clock shows, in ms, when known (browsers coarsen
   * `performance.now()` to 0.1–1 ms). Error bounds add it; 0 or absent means exact.
   */
  readonly resolutionMs?: number;
}

let probedResolutionMs: number | undefined;

/**
 * The granularity of `performance.now()`: the smallest positive step seen over a short burst of
 * readings, never below 1 µs. Browsers coarsen the clock against timing attacks; the bound we
 * report has to include that.
 */
function probeResolutionMs(): number {
  if (probedResolutionMs !== undefined) return probedResolutionMs;
  let smallest = Number.POSITIVE_INFINITY;
  let previous = performance.now();
  let changes = 0;
  for (let i = 0; i < 10_000 && changes < 5; i++) {
    const reading = performance.now();
    if (reading > previous) {
      smallest = Math.min(smallest, reading - previous);
      changes++;
      previous = reading;
    }
  }
  probedResolutionMs = Number.isFinite(smallest) ? Math.max(smallest, 0.001) : 1;
  return probedResolutionMs;
}

/**
 * The computer's own clocks: `performance.now()` for monotonic time and `Date.now()` for the
 * wall clock. This is the one place in the core that reads the system time; everything else
 * receives a {@link Clock}. Works in Node.js (>= 16) and in browsers.
 */
export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
  get resolutionMs() {
    return probeResolutionMs();
  },
};
