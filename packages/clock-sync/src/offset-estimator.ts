import { type Clock, systemClock } from './clock';
import { assertFinite, ClockSyncError } from './errors';
import { fitDrift, fitEnvelope } from './fit-drift';
import { computeOffsetDelay, type SyncSample } from './sync-sample';

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

/**
 * Given its round trip `d`, a sample's offset error is half the difference of the two one-way
 * jitters; with jitter the same in both directions that difference is spread evenly over
 * `±(d − base)`, a standard deviation of `(d − base) / (2√3)`. The base (the least possible round
 * trip) is unknown: the least delay seen, less a share of the gap to the lower quartile.
 */
const SQRT12 = 2 * Math.sqrt(3);
const UNSEEN_JITTER_SHARE = 0.25;
const NOISE_FLOOR_MS = 0.02;

interface Drift {
  /** d(offset)/d(local time). */
  readonly slope: number;
  /** Bound on |slope error| used for the error bound. */
  readonly uncertainty: number;
  /** One standard deviation of the slope. */
  readonly sigma: number;
  readonly known: boolean;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v > 0) || Number.isNaN(v)) {
    throw new ClockSyncError('INVALID_ARGUMENT', `${name} must be a positive number, got ${v}`);
  }
  return v;
}

/**
 * Creates an offset estimator: NTP's on-wire formulas, a window of recent samples, the NTP
 * clock filter (the sample with the least round trip, aged by the drift uncertainty, wins),
 * outlier rejection, drift from the lower envelope of the delays (uncertainty from a weighted
 * regression), an honest error bound, and detection of clock steps and suspends.
 *
 * @example
 * const estimator = createOffsetEstimator();
 * const t1 = estimator.localNow();
 * // ... send t1, the reference answers with its receive and send times t2, t3 ...
 * estimator.addSample({ t1, t2, t3, t4: estimator.localNow() });
 * estimator.estimate(); // { offsetMs, boundMs, driftPpm, ... }
 * estimator.now();      // reference epoch ms
 */
export function createOffsetEstimator(options: OffsetEstimatorOptions = {}): OffsetEstimator {
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
  const emit = options.onEvent ?? (() => {});
  const localResolutionMs = Math.max(clock.resolutionMs ?? 0, 0);

  // The one pairing of the two clocks: it turns monotonic readings into epoch-like local time.
  const startMono = clock.monotonicMs();
  const anchor = clock.wallMs() - startMono;
  let lastLook = { mono: startMono, wallMinusMono: anchor };

  // A clock f slow moves the offset by f / (1 − f) per unit of its own time: a hair over f.
  const maxSlope = maxDrift / (1 - Math.min(maxDrift, 0.5));
  const unknownDrift: Drift = {
    slope: 0,
    uncertainty: maxSlope,
    sigma: maxSlope / 2,
    known: false,
  };
  let window: WindowSample[] = [];
  let suspects: WindowSample[] = [];
  let drift: Drift = unknownDrift;
  /** Sum of |jumps| not yet explained by a sample, while the window predates them. */
  let unverifiedMs: number | undefined;
  /** Requests that left before this local time may straddle a jump. */
  let barrierLocalMs = Number.NEGATIVE_INFINITY;

  const localAt = (monotonicMs: number) => monotonicMs + anchor;
  const localNow = () => localAt(clock.monotonicMs());

  function refit(): void {
    const n = window.length;
    const first = window[0];
    const last = window[n - 1];
    if (!first || !last || n < minDriftSamples || last.timeMs - first.timeMs < minDriftSpanMs) {
      drift = unknownDrift;
      return;
    }
    const delays = window.map((s) => s.delayMs).sort((a, b) => a - b);
    const leastDelay = delays[0] ?? 0;
    const quartile = delays[Math.floor((delays.length - 1) * 0.25)] ?? leastDelay;
    const unseen =
      UNSEEN_JITTER_SHARE * (quartile - leastDelay) + NOISE_FLOOR_MS + 2 * localResolutionMs;
    const fit = fitDrift(
      window.map((s) => ({
        timeMs: s.timeMs - first.timeMs,
        offsetMs: s.offsetMs,
        sigmaMs: (s.delayMs - leastDelay + unseen) / SQRT12,
      })),
    );
    if (!fit) {
      drift = unknownDrift;
      return;
    }
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
      Math.hypot(confidence * Math.sqrt(variance), wander),
    );
    drift = {
      slope,
      uncertainty,
      sigma: Math.sqrt(variance),
      known: true,
    };
  }

  /**
   * The estimate at a local instant. The clock filter picks the sample whose offset, carried to
   * `atLocalMs` along the drift, has the least expected error: a round trip's worth of jitter
   * against one standard deviation of the drift times its age. With the drift well known that is
   * the sample with the least delay, as in NTP; while it is not, fresher samples win.
   *
   * The bound is the narrowest interval around the estimate that contains one sample's sure
   * interval (`delay / 2` + timestamp errors + drift uncertainty × age), so it is never wider than
   * "half the chosen sample's delay plus what drift adds since".
   */
  function estimateAt(atLocalMs: number, withUnverified: boolean): OffsetEstimate | undefined {
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
    const unverified = withUnverified && unverifiedMs !== undefined;
    return {
      offsetMs,
      boundMs: boundMs + (unverified ? (unverifiedMs ?? 0) : 0),
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
  function agreesWithWindow(sample: WindowSample): boolean {
    const estimate = estimateAt(sample.timeMs, false);
    if (!estimate) return true;
    return Math.abs(sample.offsetMs - estimate.offsetMs) <= sample.radiusMs + estimate.boundMs;
  }

  function agreeWithEachOther(a: WindowSample, b: WindowSample): boolean {
    const apart = Math.abs(a.timeMs - b.timeMs);
    const expected = b.offsetMs + drift.slope * (a.timeMs - b.timeMs);
    return Math.abs(a.offsetMs - expected) <= a.radiusMs + b.radiusMs + drift.uncertainty * apart;
  }

  function restart(reason: RestartReason, seed: WindowSample[]): void {
    window = [...seed].sort((a, b) => a.timeMs - b.timeMs);
    suspects = [];
    unverifiedMs = undefined;
    refit();
    emit({ type: 'restart', reason, samples: window.length });
  }

  function insert(sample: WindowSample): void {
    window.push(sample);
    window.sort((a, b) => a.timeMs - b.timeMs);
    const newest = window[window.length - 1]?.timeMs ?? sample.timeMs;
    window = window.filter((s) => newest - s.timeMs <= maxSampleAgeMs);
    if (window.length > windowSize) window = window.slice(window.length - windowSize);
    refit();
  }

  function checkClocks(): ClockDiscontinuity | undefined {
    const mono = clock.monotonicMs();
    const wallMinusMono = clock.wallMs() - mono;
    const jumpMs = wallMinusMono - lastLook.wallMinusMono;
    const tolerance = stepThresholdMs + wallSlew * Math.max(0, mono - lastLook.mono);
    lastLook = { mono, wallMinusMono };
    if (Math.abs(jumpMs) <= tolerance) return undefined;
    const atLocalMs = localAt(mono);
    emit({ type: 'discontinuity', jumpMs, atLocalMs });
    if (jumpMs < 0) {
      // The monotonic clock gained on the wall clock. A suspend can only make it lose (it stops
      // while the wall clock goes on), so this is the date being set back: the time base is
      // intact, the estimate and the samples in flight stand, and the bound stays as it was.
      emit({ type: 'wall-step', jumpMs });
      return { jumpMs, atLocalMs };
    }
    barrierLocalMs = atLocalMs;
    if (window.length > 0) unverifiedMs = (unverifiedMs ?? 0) + jumpMs;
    return { jumpMs, atLocalMs };
  }

  function reject(reason: RejectReason, sample: SyncSample, offsetMs: number, delayMs: number) {
    emit({ type: 'rejected', reason, sample });
    return { accepted: false, reason, offsetMs, delayMs } as const;
  }

  function addSample(sample: SyncSample): SampleVerdict {
    checkClocks();
    const { offsetMs, delayMs: rawDelayMs } = computeOffsetDelay(sample);
    const referenceErrorMs = sample.referenceErrorMs ?? 0;
    const now = localNow();
    if (
      ![sample.t1, sample.t2, sample.t3, sample.t4, referenceErrorMs].every(Number.isFinite) ||
      referenceErrorMs < 0 ||
      sample.t4 < sample.t1 ||
      sample.t3 < sample.t2 ||
      sample.t4 > now + 1 + localResolutionMs
    ) {
      return reject('invalid', sample, offsetMs, rawDelayMs);
    }
    // Epoch-ms doubles carry ~0.24 µs steps; the four timestamps' rounding belongs in the bound.
    const roundingMs = 2 * Number.EPSILON * Math.max(Math.abs(sample.t1), Math.abs(sample.t2));
    // Over the round trip the two clocks run at rates up to maxDrift apart, which the formulas
    // do not see: it can shave that much off the measured delay.
    const rateMs = maxSlope * (sample.t4 - sample.t1);
    const extraMs = 2 * localResolutionMs + referenceErrorMs + roundingMs + rateMs;
    if (rawDelayMs < -extraMs) return reject('negative-delay', sample, offsetMs, rawDelayMs);
    if (rawDelayMs > maxDelayMs) return reject('delay-too-long', sample, offsetMs, rawDelayMs);
    if (sample.t1 < barrierLocalMs) {
      return reject('spans-discontinuity', sample, offsetMs, rawDelayMs);
    }
    const delayMs = Math.max(rawDelayMs, 0);
    const entry: WindowSample = {
      ...sample,
      timeMs: (sample.t1 + sample.t4) / 2,
      offsetMs,
      delayMs,
      radiusMs: delayMs / 2 + extraMs,
    };

    if (unverifiedMs !== undefined) {
      // The first sample after a jump tells which clock jumped: if it still agrees with the old
      // window, only the date was set and the monotonic time base is intact.
      if (agreesWithWindow(entry)) {
        emit({ type: 'wall-step', jumpMs: unverifiedMs });
        unverifiedMs = undefined;
        suspects = [];
        insert(entry);
        return { accepted: true, restarted: undefined, offsetMs, delayMs };
      }
      restart('clock-discontinuity', [entry]);
      return { accepted: true, restarted: 'clock-discontinuity', offsetMs, delayMs };
    }

    if (window.length > 0 && !agreesWithWindow(entry)) {
      suspects = suspects.filter((s) => agreeWithEachOther(s, entry));
      suspects.push(entry);
      if (suspects.length >= outliersBeforeRestart) {
        restart('reference-step', suspects);
        return { accepted: true, restarted: 'reference-step', offsetMs, delayMs };
      }
      return reject('outlier', sample, offsetMs, delayMs);
    }
    suspects = [];
    insert(entry);
    return { accepted: true, restarted: undefined, offsetMs, delayMs };
  }

  function estimate(atLocalMs?: number): OffsetEstimate | undefined {
    checkClocks();
    const at = atLocalMs ?? localNow();
    assertFinite('atLocalMs', at);
    return estimateAt(at, true);
  }

  function referenceTime(atMonotonicMs?: number): ReferenceTime {
    checkClocks();
    const local = localAt(atMonotonicMs ?? clock.monotonicMs());
    assertFinite('atMonotonicMs', local);
    const e = estimateAt(local, true);
    return e
      ? { timeMs: local + e.offsetMs, boundMs: e.boundMs, synchronized: true }
      : { timeMs: local, boundMs: Number.POSITIVE_INFINITY, synchronized: false };
  }

  function monotonicAt(referenceMs: number): number {
    assertFinite('referenceMs', referenceMs);
    checkClocks();
    // offset(local) changes by ppm per ms, so a few fixed-point steps converge to < 1 ns.
    let local = referenceMs - (estimateAt(localNow(), true)?.offsetMs ?? 0);
    for (let i = 0; i < 4; i++) local = referenceMs - (estimateAt(local, true)?.offsetMs ?? 0);
    return local - anchor;
  }

  return {
    clock,
    localNow,
    localAt,
    addSample,
    estimate,
    now: () => referenceTime().timeMs,
    referenceTime,
    monotonicAt,
    checkClocks,
    reset: () => restart('manual', []),
    samples: () => window.map((s) => ({ ...s })),
  };
}
