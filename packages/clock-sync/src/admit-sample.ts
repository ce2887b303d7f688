import type { EstimatorSettings } from './estimator-settings';
import type { RejectReason, WindowSample } from './estimator-types';
import { computeOffsetDelay, type SyncSample } from './sync-sample';

/** A sample that passed the checks of {@link admitSample}, or why it did not. */
export type Admission =
  | { readonly ok: true; readonly entry: WindowSample }
  | {
      readonly ok: false;
      readonly reason: RejectReason;
      readonly offsetMs: number;
      readonly delayMs: number;
    };

/**
 * The checks a sample must pass before it is compared with the estimate: finite, causal, not
 * stamped in the future (`nowLocalMs`), a round trip neither negative nor too long, sent after the
 * last clock discontinuity (`barrierLocalMs`). A passing sample becomes a window entry whose
 * radius counts every timestamp error.
 */
export function admitSample(
  sample: SyncSample,
  nowLocalMs: number,
  barrierLocalMs: number,
  settings: EstimatorSettings,
): Admission {
  const { offsetMs, delayMs: rawDelayMs } = computeOffsetDelay(sample);
  const refuse = (reason: RejectReason, delayMs = rawDelayMs) =>
    ({ ok: false, reason, offsetMs, delayMs }) as const;
  const referenceErrorMs = sample.referenceErrorMs ?? 0;
  const { localResolutionMs } = settings;
  if (
    ![sample.t1, sample.t2, sample.t3, sample.t4, referenceErrorMs].every(Number.isFinite) ||
    referenceErrorMs < 0 ||
    sample.t4 < sample.t1 ||
    sample.t3 < sample.t2 ||
    sample.t4 > nowLocalMs + 1 + localResolutionMs
  ) {
    return refuse('invalid');
  }
  // Epoch-ms doubles carry ~0.24 µs steps; the four timestamps' rounding belongs in the bound.
  const roundingMs = 2 * Number.EPSILON * Math.max(Math.abs(sample.t1), Math.abs(sample.t2));
  // Over the round trip the two clocks run at rates up to maxDrift apart, which the formulas
  // do not see: it can shave that much off the measured delay.
  const rateMs = settings.maxSlope * (sample.t4 - sample.t1);
  const extraMs = 2 * localResolutionMs + referenceErrorMs + roundingMs + rateMs;
  if (rawDelayMs < -extraMs) return refuse('negative-delay');
  if (rawDelayMs > settings.maxDelayMs) return refuse('delay-too-long');
  if (sample.t1 < barrierLocalMs) return refuse('spans-discontinuity');
  const delayMs = Math.max(rawDelayMs, 0);
  const entry: WindowSample = {
    ...sample,
    timeMs: (sample.t1 + sample.t4) / 2,
    offsetMs,
    delayMs,
    radiusMs: delayMs / 2 + extraMs,
  };
  return { ok: true, entry };
}
