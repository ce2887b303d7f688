import type { Clock } from './clock';
import type { SyncSample } from './sync-sample';

/** Tuning of {@link createOffsetEstimator}. The defaults suit a racer pinging every 1–10 s. */
export interface OffsetEstimatorOptions {
  /** Where time comes from. Default {@link systemClock}. */
  clock?: Clock;
  /** Most samples kept; the oldest leave first. Default 256. */
  windowSize?: number;
  /** Samples older than this (local ms before the newest) leave the window. Default 15 min. */
  maxSampleAgeMs?: number;
  /** Samples whose round trip took longer are refused outright. Default 10 s. */
  maxDelayMs?: number;
  /** Samples needed before the drift is estimated. Default 8. */
  minDriftSamples?: number;
  /** Time the window must span before the drift is estimated, ms. Default 20 s. */
  minDriftSpanMs?: number;
  /**
   * Largest frequency error assumed for the local clock while the drift is unknown, ppm. PC
   * crystals are within ±100 ppm; the bound grows by this much per second of sample age until the
   * regression knows better. Default 100.
   */
  maxDriftPpm?: number;
  /** Least drift uncertainty once measured (the oscillator wanders with temperature), ppm. Default 1. */
  driftWanderPpm?: number;
  /** Standard errors of the drift regression counted into the bound. Default 3. */
  driftConfidence?: number;
  /**
   * A change of `wall − monotonic` larger than this between two looks at the clocks (plus
   * `wallSlewPpm` of the interval) is a discontinuity: the date was set, or the machine slept.
   * Default 100 ms.
   */
  stepThresholdMs?: number;
  /** How fast an NTP daemon may slew the wall clock away from the monotonic one, ppm. Default 500. */
  wallSlewPpm?: number;
  /**
   * Consecutive samples that disagree with the estimate, but agree with each other, before the
   * estimator believes the reference itself stepped and restarts from them. Default 3.
   */
  outliersBeforeRestart?: number;
  /** Told of every rejection, discontinuity and restart (logging, UI). */
  onEvent?: (event: EstimatorEvent) => void;
}

/** Why {@link OffsetEstimator.addSample} refused a sample. */
export type RejectReason =
  /** Not finite, answer before request (`t4 < t1`, `t3 < t2`) or stamped in the future. */
  | 'invalid'
  /** The reference spent longer on the request than the whole round trip took: its clock is off. */
  | 'negative-delay'
  /** The round trip took longer than `maxDelayMs`. */
  | 'delay-too-long'
  /** The request left before the last clock discontinuity: it straddles a jump. */
  | 'spans-discontinuity'
  /** Its interval does not meet the current estimate's; one swallow does not make a summer. */
  | 'outlier';

/** Why the estimator dropped its window and started again. */
export type RestartReason =
  /** The wall and monotonic clocks diverged and the next sample disagreed with the old estimate: the monotonic clock lost time (suspend). */
  | 'clock-discontinuity'
  /** Several samples in a row agree with each other and not with the estimate: the reference stepped. */
  | 'reference-step'
  /** {@link OffsetEstimator.reset} was called. */
  | 'manual';

/** Something the estimator noticed. */
export type EstimatorEvent =
  | { readonly type: 'rejected'; readonly reason: RejectReason; readonly sample: SyncSample }
  | {
      readonly type: 'discontinuity';
      /** Change of `wall − monotonic`, ms: the size of the step or the length of the suspend. */
      readonly jumpMs: number;
      /** Local time it was noticed. */
      readonly atLocalMs: number;
    }
  | {
      readonly type: 'wall-step';
      /**
       * A discontinuity was the wall clock being set, so the estimate stands: the jump was
       * backwards (only a change of the date does that; a suspend makes `wall − monotonic` grow),
       * reported right after the `discontinuity`, or it was forwards and the next sample agreed
       * with the estimate.
       */
      readonly jumpMs: number;
    }
  | { readonly type: 'restart'; readonly reason: RestartReason; readonly samples: number };

/** What {@link OffsetEstimator.addSample} did with a sample. */
export type SampleVerdict =
  | {
      readonly accepted: true;
      /** Set when this sample started a fresh window. */
      readonly restarted: RestartReason | undefined;
      /** The sample's own offset (reference − local), ms. */
      readonly offsetMs: number;
      /** The sample's round trip, ms. */
      readonly delayMs: number;
    }
  | {
      readonly accepted: false;
      readonly reason: RejectReason;
      readonly offsetMs: number;
      readonly delayMs: number;
    };

/** A sample in the window, with what the estimator derived from it. */
export interface WindowSample extends SyncSample {
  /** Local time the sample stands for: the middle of the round trip, ms. */
  readonly timeMs: number;
  /** Reference − local, ms. */
  readonly offsetMs: number;
  /** Round trip, ms (never below 0). */
  readonly delayMs: number;
  /** Half-width of the interval that surely holds the true offset at `timeMs`, ms. */
  readonly radiusMs: number;
}

/** The estimator's view of the reference clock at one local instant. */
export interface OffsetEstimate {
  /** Reference minus local time, ms: add it to a local time to get reference time. */
  readonly offsetMs: number;
  /**
   * The true offset lies within `offsetMs ± boundMs`: half the chosen sample's round trip, the
   * timestamps' resolution, the reference's own error, and what the drift uncertainty adds since
   * that sample (plus any unverified clock jump).
   */
  readonly boundMs: number;
  /** Frequency error of the local clock against the reference, ppm (positive: local runs fast). 0 while unknown. */
  readonly driftPpm: number;
  /** True once the drift is measured (enough samples over enough time); until then it is assumed within ±`maxDriftPpm`. */
  readonly driftKnown: boolean;
  /** Uncertainty of `driftPpm` used in the bound, ppm. */
  readonly driftUncertaintyPpm: number;
  /** Round trip of the sample the estimate rests on, ms. */
  readonly delayMs: number;
  /** Local ms between that sample and the instant asked about (negative for an earlier instant). */
  readonly sampleAgeMs: number;
  /** Samples in the window. */
  readonly samples: number;
  /** `unverified` after a clock discontinuity until a sample confirms or replaces the estimate. */
  readonly status: 'synchronized' | 'unverified';
  /** The local instant this estimate is for, ms. */
  readonly atLocalMs: number;
  /** `source` of the sample the estimate rests on. */
  readonly source: string | undefined;
}

/** A reference-clock reading with its uncertainty. */
export interface ReferenceTime {
  /** Reference epoch ms (the local time scale itself while not synchronised). */
  readonly timeMs: number;
  /** How far `timeMs` may be from the reference, ms; `Infinity` while not synchronised. */
  readonly boundMs: number;
  /** False until a sample was accepted. */
  readonly synchronized: boolean;
}

/** A jump between the wall and the monotonic clock (see {@link OffsetEstimator.checkClocks}). */
export interface ClockDiscontinuity {
  /** Change of `wall − monotonic`, ms. */
  readonly jumpMs: number;
  /** Local time it was noticed, ms. */
  readonly atLocalMs: number;
}

/**
 * Estimates the offset between this machine's monotonic clock and a reference clock (an SNTP
 * server, the organizer's host) from request/response samples. No I/O: samples come in, time
 * comes from the injected {@link Clock}.
 */
export interface OffsetEstimator {
  /** The clock it reads. */
  readonly clock: Clock;
  /**
   * Local time now, ms: the monotonic clock shifted once, at creation, to read like epoch ms.
   * Stamp `t1`/`t4` of samples with it. It never jumps: a change of the date does not touch it.
   */
  localNow(): number;
  /** The local time of a monotonic reading, ms. */
  localAt(monotonicMs: number): number;
  /** Feeds one exchange; returns whether it was used and why not. */
  addSample(sample: SyncSample): SampleVerdict;
  /** The estimate at a local instant (default now); `undefined` before the first sample. */
  estimate(atLocalMs?: number): OffsetEstimate | undefined;
  /** Reference epoch ms now: monotonic time plus the estimated offset, never a wall reading. */
  now(): number;
  /** Reference time of a monotonic instant (default now), with its bound. */
  referenceTime(atMonotonicMs?: number): ReferenceTime;
  /** The monotonic instant at which the reference clock reads `referenceMs` (to schedule a start). */
  monotonicAt(referenceMs: number): number;
  /**
   * Looks at both clocks and reports a discontinuity if `wall − monotonic` jumped. Called by
   * every other method; call it yourself before stamping a request when you can. A backwards
   * jump is the date being set back and changes nothing; a forwards one may be a suspend, so
   * the estimate is `unverified` (its bound widened by the jump) until the next sample.
   */
  checkClocks(): ClockDiscontinuity | undefined;
  /** Drops every sample and starts again (local time scale unchanged). */
  reset(): void;
  /** The samples in the window, oldest first. */
  samples(): readonly WindowSample[];
}
