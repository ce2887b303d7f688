/**
 * The browser's clocks, kept apart. Intervals and the race clock are measured on a monotonic
 * clock (`performance.timeOrigin + performance.now()`: epoch-scaled at page load, then never
 * stepped by NTP or a user changing the date); the wall clock (`Date.now()`) is only ever shown
 * to people (the time of a log line).
 */
export interface LocalClock {
  /** Monotonic ms on the epoch scale of the page's start: for intervals and the race clock. */
  monotonicMs(): number;
  /** Wall-clock epoch ms: for display only, never subtracted. */
  wallMs(): number;
}

/** Where {@link browserClock} reads its time (injectable for tests). */
export interface ClockSources {
  readonly performance: { readonly timeOrigin: number; now(): number };
  readonly date: { now(): number };
}

/** The page's clocks: `performance` for {@link LocalClock.monotonicMs}, `Date` for the wall. */
export function browserClock(
  sources: ClockSources = { performance: globalThis.performance, date: Date },
): LocalClock {
  const { performance, date } = sources;
  const origin = performance.timeOrigin;
  return {
    monotonicMs: () => origin + performance.now(),
    wallMs: () => date.now(),
  };
}
