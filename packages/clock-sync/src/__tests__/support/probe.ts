import type { OffsetEstimator, SampleVerdict } from '../../estimator-types';
import type { SimulatedClock } from '../../simulated-clock';

/** How one simulated exchange goes. */
export interface ProbeShape {
  /** One-way delay out, true ms. */
  readonly outMs: number;
  /** One-way delay back, true ms. */
  readonly backMs: number;
  /** Time the reference holds the request, true ms. Default 0.5. */
  readonly processingMs?: number;
  /** How far the reference's clock is from true time, ms. Default 0. */
  readonly referenceShiftMs?: number;
}

/**
 * One request/response exchange between a simulated racer and a reference that keeps true time
 * (plus `referenceShiftMs`); the clock advances by the whole round trip.
 */
export function probe(
  clock: SimulatedClock,
  estimator: OffsetEstimator,
  shape: ProbeShape,
): SampleVerdict {
  const shift = shape.referenceShiftMs ?? 0;
  const t1 = estimator.localNow();
  clock.advance(shape.outMs);
  const t2 = clock.trueMs() + shift;
  clock.advance(shape.processingMs ?? 0.5);
  const t3 = clock.trueMs() + shift;
  clock.advance(shape.backMs);
  return estimator.addSample({ t1, t2, t3, t4: estimator.localNow() });
}

/** The true reference − local offset of `estimator` on `clock` right now. */
export function trueOffset(clock: SimulatedClock, estimator: OffsetEstimator): number {
  return clock.trueMs() - estimator.localNow();
}
