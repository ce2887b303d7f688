import type { OffsetEstimator } from '@gw2race/clock-sync';
import type { GameSample } from './game-sample';

/**
 * Largest clock bound counted into a reported uncertainty, ms: before the first pong the
 * estimator's bound is unbounded, and a message must still carry a finite number.
 */
export const MAX_CLOCK_BOUND_MS = 60_000;

/** A sample's instant on the organizer clock. */
export interface SampleStamp {
  /** Organizer epoch seconds. */
  t: number;
  /** ± seconds: half the stamping window plus the clock bound. */
  u: number;
  /** Half the window in which the game wrote the block, ms. */
  halfWindowMs: number;
}

/**
 * Stamps a sample on the organizer clock. The game wrote the block after the reader's previous
 * poll and before it was read: the stamp is the middle of that window, ± half of it (a late
 * timer widens it honestly), plus the clock offset's bound. Pass `into` to reuse an object on
 * the per-sample path. A first sample (`previousPollAt` null) has no window: stamp it with
 * {@link stampNow} instead, never time it.
 *
 * @example
 * const { t, u } = stampSample(estimator, sample);
 * publish({ playerId, t, u, x, y, z });
 */
export function stampSample(
  estimator: OffsetEstimator,
  sample: GameSample,
  into: SampleStamp = { t: 0, u: 0, halfWindowMs: 0 },
): SampleStamp {
  const halfWindowMs = (sample.receivedAt - (sample.previousPollAt ?? sample.receivedAt)) / 2;
  const reference = estimator.referenceTime(sample.receivedAt - halfWindowMs);
  into.t = reference.timeMs / 1000;
  into.u = (halfWindowMs + Math.min(reference.boundMs, MAX_CLOCK_BOUND_MS)) / 1000;
  into.halfWindowMs = halfWindowMs;
  return into;
}

/**
 * The organizer-clock instant now, ± the clock bound: the stamp of a position re-sent as a
 * keep-alive (an unchanged position is where the racer is now).
 */
export function stampNow(
  estimator: OffsetEstimator,
  into: SampleStamp = { t: 0, u: 0, halfWindowMs: 0 },
): SampleStamp {
  into.t = estimator.now() / 1000;
  into.u = clockBoundSeconds(estimator);
  into.halfWindowMs = 0;
  return into;
}

/** The clock offset's bound now, seconds, capped at {@link MAX_CLOCK_BOUND_MS}. */
export function clockBoundSeconds(estimator: OffsetEstimator): number {
  return Math.min(estimator.referenceTime().boundMs, MAX_CLOCK_BOUND_MS) / 1000;
}
