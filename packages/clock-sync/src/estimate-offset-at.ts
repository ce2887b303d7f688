import type { Drift } from './estimate-drift';
import { SQRT12 } from './estimate-drift';
import type { OffsetEstimate, WindowSample } from './estimator-types';

/**
 * The estimate at a local instant. The clock filter picks the sample whose offset, carried to
 * `atLocalMs` along the drift, has the least expected error: a round trip's worth of jitter
 * against one standard deviation of the drift times its age. With the drift well known that is
 * the sample with the least delay, as in NTP; while it is not, fresher samples win.
 *
 * The bound is the narrowest interval around the estimate that contains one sample's sure
 * interval (`delay / 2` + timestamp errors + drift uncertainty × age), so it is never wider than
 * "half the chosen sample's delay plus what drift adds since". `unverifiedMs`, the jumps no
 * sample has explained yet, widens it and marks the estimate `unverified`.
 */
export function estimateOffsetAt(
  window: readonly WindowSample[],
  drift: Drift,
  atLocalMs: number,
  unverifiedMs: number | undefined,
): OffsetEstimate | undefined {
  let chosen: WindowSample | undefined;
  let leastExpectedError = Number.POSITIVE_INFINITY;
  for (const s of window) {
    const expected = Math.hypot(s.delayMs / SQRT12, drift.sigma * Math.abs(atLocalMs - s.timeMs));
    if (expected < leastExpectedError) {
      chosen = s;
      leastExpectedError = expected;
    }
  }
  if (!chosen) return undefined;
  const offsetMs = chosen.offsetMs + drift.slope * (atLocalMs - chosen.timeMs);
  let boundMs = Number.POSITIVE_INFINITY;
  for (const s of window) {
    const apart = atLocalMs - s.timeMs;
    const carried = s.offsetMs + drift.slope * apart;
    boundMs = Math.min(
      boundMs,
      Math.abs(offsetMs - carried) + s.radiusMs + drift.uncertainty * Math.abs(apart),
    );
  }
  const unverified = unverifiedMs !== undefined;
  return {
    offsetMs,
    boundMs: boundMs + (unverified ? unverifiedMs : 0),
    driftPpm: drift.known ? (-drift.slope / (1 + drift.slope)) * 1e6 : 0,
    driftKnown: drift.known,
    driftUncertaintyPpm: drift.uncertainty * 1e6,
    delayMs: chosen.delayMs,
    sampleAgeMs: atLocalMs - chosen.timeMs,
    samples: window.length,
    status: unverified ? 'unverified' : 'synchronized',
    atLocalMs,
    source: chosen.source,
  };
}

/** Whether `sample`'s interval meets the window's estimate at its time. */
export function agreesWithWindow(
  window: readonly WindowSample[],
  drift: Drift,
  sample: WindowSample,
): boolean {
  const estimate = estimateOffsetAt(window, drift, sample.timeMs, undefined);
  if (!estimate) return true;
  return Math.abs(sample.offsetMs - estimate.offsetMs) <= sample.radiusMs + estimate.boundMs;
}

/** Whether two samples' intervals meet, `b` carried to `a`'s time along the drift. */
export function agreeWithEachOther(drift: Drift, a: WindowSample, b: WindowSample): boolean {
  const apart = Math.abs(a.timeMs - b.timeMs);
  const expected = b.offsetMs + drift.slope * (a.timeMs - b.timeMs);
  return Math.abs(a.offsetMs - expected) <= a.radiusMs + b.radiusMs + drift.uncertainty * apart;
}
