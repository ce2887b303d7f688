import type { EstimatorSettings } from './estimator-settings';
import type { WindowSample } from './estimator-types';
import { fitDrift, fitEnvelope } from './fit-drift';

/**
 * Given its round trip `d`, a sample's offset error is half the difference of the two one-way
 * jitters; with jitter the same in both directions that difference is spread evenly over
 * `±(d − base)`, a standard deviation of `(d − base) / (2√3)`. The base (the least possible round
 * trip) is unknown: the least delay seen, less a share of the gap to the lower quartile.
 */
export const SQRT12 = 2 * Math.sqrt(3);
const UNSEEN_JITTER_SHARE = 0.25;
const NOISE_FLOOR_MS = 0.02;

/** What the estimator knows of the local clock's frequency error. */
export interface Drift {
  /** d(offset)/d(local time). */
  readonly slope: number;
  /** Bound on |slope error| used for the error bound. */
  readonly uncertainty: number;
  /** One standard deviation of the slope. */
  readonly sigma: number;
  readonly known: boolean;
}

/** The drift while it is not measured: 0, within ±`maxSlope`. */
export function unknownDrift(maxSlope: number): Drift {
  return { slope: 0, uncertainty: maxSlope, sigma: maxSlope / 2, known: false };
}

/**
 * The drift of a window (oldest first), or {@link unknownDrift} while it holds too few samples
 * over too short a time.
 */
export function estimateDrift(window: readonly WindowSample[], settings: EstimatorSettings): Drift {
  const { maxSlope } = settings;
  const n = window.length;
  const first = window[0];
  const last = window[n - 1];
  if (
    !first ||
    !last ||
    n < settings.minDriftSamples ||
    last.timeMs - first.timeMs < settings.minDriftSpanMs
  ) {
    return unknownDrift(maxSlope);
  }
  const delays = window.map((s) => s.delayMs).sort((a, b) => a - b);
  const leastDelay = delays[0] ?? 0;
  const quartile = delays[Math.floor((delays.length - 1) * 0.25)] ?? leastDelay;
  const unseen =
    UNSEEN_JITTER_SHARE * (quartile - leastDelay) + NOISE_FLOOR_MS + 2 * settings.localResolutionMs;
  const fit = fitDrift(
    window.map((s) => ({
      timeMs: s.timeMs - first.timeMs,
      offsetMs: s.offsetMs,
      sigmaMs: (s.delayMs - leastDelay + unseen) / SQRT12,
    })),
  );
  if (!fit) return unknownDrift(maxSlope);
  // The slope itself comes from the lower envelope: the line that meets the intervals the
  // samples' excess delays leave (see fitEnvelope). Queueing is one-sided, so the few fast
  // samples carry the information and the congested ones only loosely constrain the line; in
  // the benchmark that cuts the drift error by a quarter to a half against the least-squares
  // slope. Its spread is not known in closed form; the regression's standard error stands for
  // it (in the benchmark 3 of them exceeded the envelope's actual error in over 99 % of trials,
  // and the half-round-trip term of the bound covered the rest).
  const envelope = fitEnvelope(
    window.map((s) => ({
      timeMs: s.timeMs - first.timeMs,
      offsetMs: s.offsetMs,
      halfWidthMs: (s.delayMs - leastDelay) / 2,
    })),
    2 * maxSlope,
  );
  const measuredSlope = envelope?.slope ?? fit.slope;
  // Shrink the measured slope towards 0 by the prior (|drift| <= maxDriftPpm, taken as two
  // standard deviations): a short, noisy window still says something, and says it honestly.
  const priorVariance = (maxSlope / 2) ** 2;
  const measuredVariance = fit.slopeStandardError ** 2;
  const variance = 1 / (1 / priorVariance + 1 / measuredVariance);
  const slope = (variance * measuredSlope) / measuredVariance;
  const uncertainty = Math.min(
    maxSlope + Math.abs(slope),
    Math.hypot(settings.confidence * Math.sqrt(variance), settings.wander),
  );
  return { slope, uncertainty, sigma: Math.sqrt(variance), known: true };
}
