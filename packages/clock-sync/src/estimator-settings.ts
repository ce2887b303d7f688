import { type Clock, systemClock } from './clock';
import { ClockSyncError } from './errors';
import type { EstimatorEvent, OffsetEstimatorOptions } from './estimator-types';

/** {@link OffsetEstimatorOptions} checked, defaulted, and turned into the units the maths uses. */
export interface EstimatorSettings {
  readonly clock: Clock;
  readonly windowSize: number;
  readonly maxSampleAgeMs: number;
  readonly maxDelayMs: number;
  readonly minDriftSamples: number;
  readonly minDriftSpanMs: number;
  /** Largest offset slope while the drift is unknown: a clock f slow moves the offset by f / (1 − f). */
  readonly maxSlope: number;
  /** Least drift uncertainty, as a fraction. */
  readonly wander: number;
  readonly confidence: number;
  readonly stepThresholdMs: number;
  /** Wall-clock slew allowed, as a fraction. */
  readonly wallSlew: number;
  readonly outliersBeforeRestart: number;
  readonly emit: (event: EstimatorEvent) => void;
  /** The local clock's resolution, ms (never below 0). */
  readonly localResolutionMs: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v > 0) || Number.isNaN(v)) {
    throw new ClockSyncError('INVALID_ARGUMENT', `${name} must be a positive number, got ${v}`);
  }
  return v;
}

/** Checks the options (`INVALID_ARGUMENT` for one that is not a positive number) and fills in defaults. */
export function resolveEstimatorSettings(options: OffsetEstimatorOptions): EstimatorSettings {
  const clock = options.clock ?? systemClock;
  const windowSize = Math.floor(positive('windowSize', options.windowSize, 256));
  const maxSampleAgeMs = positive('maxSampleAgeMs', options.maxSampleAgeMs, 15 * 60_000);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs, 10_000);
  const minDriftSamples = Math.max(
    3,
    Math.floor(positive('minDriftSamples', options.minDriftSamples, 8)),
  );
  const minDriftSpanMs = positive('minDriftSpanMs', options.minDriftSpanMs, 20_000);
  const maxDrift = positive('maxDriftPpm', options.maxDriftPpm, 100) / 1e6;
  const wander = positive('driftWanderPpm', options.driftWanderPpm, 1) / 1e6;
  const confidence = positive('driftConfidence', options.driftConfidence, 3);
  const stepThresholdMs = positive('stepThresholdMs', options.stepThresholdMs, 100);
  const wallSlew = positive('wallSlewPpm', options.wallSlewPpm, 500) / 1e6;
  const outliersBeforeRestart = Math.max(
    1,
    Math.floor(positive('outliersBeforeRestart', options.outliersBeforeRestart, 3)),
  );
  return {
    clock,
    windowSize,
    maxSampleAgeMs,
    maxDelayMs,
    minDriftSamples,
    minDriftSpanMs,
    maxSlope: maxDrift / (1 - Math.min(maxDrift, 0.5)),
    wander,
    confidence,
    stepThresholdMs,
    wallSlew,
    outliersBeforeRestart,
    emit: options.onEvent ?? (() => {}),
    localResolutionMs: Math.max(clock.resolutionMs ?? 0, 0),
  };
}
