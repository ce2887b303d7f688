/**
 * The organizer's clock, seen from the browser. The host stamps some messages with its clock
 * when it sends them (`ranking.t`, `state.serverClock`, `SYNC_T0`); each one arrives after a
 * delay of zero or more, so `sent − received` is a lower bound of `organizer − local`, and the
 * largest recent bound is the best estimate (late by the smallest delay seen: milliseconds on a
 * LAN). Good enough for a race clock on a screen; timing itself is done by the host.
 */
export interface OffsetEstimator {
  /**
   * A host timestamp (epoch s, organizer clock) received at local time `localMs`, read on a
   * monotonic clock (`performance.timeOrigin + performance.now()`), never the wall clock: a
   * step of the wall clock would otherwise move the race clock.
   */
  observe(sentEpochS: number, localMs: number): void;
  /** Organizer − local, in ms; 0 before any observation. */
  offsetMs(): number;
  /** Organizer clock (epoch s) at local monotonic time `localMs`. */
  organizerNow(localMs: number): number;
  /** Observations so far. */
  readonly samples: number;
}

/** Creates an {@link OffsetEstimator} that keeps the last `window` observations (clock drift). */
export function createOffsetEstimator(window = 60): OffsetEstimator {
  const bounds: number[] = [];
  let samples = 0;
  let best = 0;
  return {
    observe(sentEpochS, localMs) {
      if (!Number.isFinite(sentEpochS) || !Number.isFinite(localMs)) return;
      bounds.push(sentEpochS * 1000 - localMs);
      if (bounds.length > window) bounds.shift();
      samples++;
      best = Math.max(...bounds);
    },
    offsetMs: () => best,
    organizerNow: (localMs) => (localMs + best) / 1000,
    get samples() {
      return samples;
    },
  };
}
