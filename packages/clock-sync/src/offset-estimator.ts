import { admitSample } from './admit-sample';
import { assertFinite } from './errors';
import { type Drift, estimateDrift, unknownDrift } from './estimate-drift';
import { agreesWithWindow, agreeWithEachOther, estimateOffsetAt } from './estimate-offset-at';
import { type EstimatorSettings, resolveEstimatorSettings } from './estimator-settings';
import type {
  ClockDiscontinuity,
  OffsetEstimate,
  OffsetEstimator,
  OffsetEstimatorOptions,
  RestartReason,
  SampleVerdict,
  WindowSample,
} from './estimator-types';
import type { SyncSample } from './sync-sample';

/** The estimator's state: the window, the drift, and what it knows of clock jumps. */
class EstimatorState {
  /** The one pairing of the two clocks: it turns monotonic readings into epoch-like local time. */
  readonly anchor: number;
  private lastLook: { mono: number; wallMinusMono: number };
  window: WindowSample[] = [];
  private suspects: WindowSample[] = [];
  drift: Drift;
  /** Sum of |jumps| not yet explained by a sample, while the window predates them. */
  private unverifiedMs: number | undefined;
  /** Requests that left before this local time may straddle a jump. */
  private barrierLocalMs = Number.NEGATIVE_INFINITY;

  constructor(readonly settings: EstimatorSettings) {
    const { clock } = settings;
    const startMono = clock.monotonicMs();
    this.anchor = clock.wallMs() - startMono;
    this.lastLook = { mono: startMono, wallMinusMono: this.anchor };
    this.drift = unknownDrift(settings.maxSlope);
  }

  localNow(): number {
    return this.settings.clock.monotonicMs() + this.anchor;
  }

  estimateAt(atLocalMs: number, withUnverified = true): OffsetEstimate | undefined {
    const unverifiedMs = withUnverified ? this.unverifiedMs : undefined;
    return estimateOffsetAt(this.window, this.drift, atLocalMs, unverifiedMs);
  }

  restart(reason: RestartReason, seed: readonly WindowSample[]): void {
    this.window = [...seed].sort((a, b) => a.timeMs - b.timeMs);
    this.suspects = [];
    this.unverifiedMs = undefined;
    this.drift = estimateDrift(this.window, this.settings);
    this.settings.emit({ type: 'restart', reason, samples: this.window.length });
  }

  private insert(sample: WindowSample): void {
    const { maxSampleAgeMs, windowSize } = this.settings;
    let window = [...this.window, sample].sort((a, b) => a.timeMs - b.timeMs);
    const newest = window[window.length - 1]?.timeMs ?? sample.timeMs;
    window = window.filter((s) => newest - s.timeMs <= maxSampleAgeMs);
    if (window.length > windowSize) window = window.slice(window.length - windowSize);
    this.window = window;
    this.drift = estimateDrift(window, this.settings);
  }

  checkClocks(): ClockDiscontinuity | undefined {
    const { clock, stepThresholdMs, wallSlew, emit } = this.settings;
    const mono = clock.monotonicMs();
    const wallMinusMono = clock.wallMs() - mono;
    const jumpMs = wallMinusMono - this.lastLook.wallMinusMono;
    const tolerance = stepThresholdMs + wallSlew * Math.max(0, mono - this.lastLook.mono);
    this.lastLook = { mono, wallMinusMono };
    if (Math.abs(jumpMs) <= tolerance) return undefined;
    const atLocalMs = mono + this.anchor;
    emit({ type: 'discontinuity', jumpMs, atLocalMs });
    if (jumpMs < 0) {
      // The monotonic clock gained on the wall clock. A suspend can only make it lose (it stops
      // while the wall clock goes on), so this is the date being set back: the time base is
      // intact, the estimate and the samples in flight stand, and the bound stays as it was.
      emit({ type: 'wall-step', jumpMs });
      return { jumpMs, atLocalMs };
    }
    this.barrierLocalMs = atLocalMs;
    if (this.window.length > 0) this.unverifiedMs = (this.unverifiedMs ?? 0) + jumpMs;
    return { jumpMs, atLocalMs };
  }

  addSample(sample: SyncSample): SampleVerdict {
    this.checkClocks();
    const admission = admitSample(sample, this.localNow(), this.barrierLocalMs, this.settings);
    const { emit } = this.settings;
    if (!admission.ok) {
      emit({ type: 'rejected', reason: admission.reason, sample });
      const { reason, offsetMs, delayMs } = admission;
      return { accepted: false, reason, offsetMs, delayMs };
    }
    const { entry } = admission;
    const { offsetMs, delayMs } = entry;
    const accepted = (restarted: RestartReason | undefined) =>
      ({ accepted: true, restarted, offsetMs, delayMs }) as const;
    if (this.unverifiedMs !== undefined) {
      // The first sample after a jump tells which clock jumped: if it still agrees with the old
      // window, only the date was set and the monotonic time base is intact.
      if (agreesWithWindow(this.window, this.drift, entry)) {
        emit({ type: 'wall-step', jumpMs: this.unverifiedMs });
        this.unverifiedMs = undefined;
        this.suspects = [];
        this.insert(entry);
        return accepted(undefined);
      }
      this.restart('clock-discontinuity', [entry]);
      return accepted('clock-discontinuity');
    }
    if (this.window.length > 0 && !agreesWithWindow(this.window, this.drift, entry)) {
      this.suspects = this.suspects.filter((s) => agreeWithEachOther(this.drift, s, entry));
      this.suspects.push(entry);
      if (this.suspects.length >= this.settings.outliersBeforeRestart) {
        this.restart('reference-step', this.suspects);
        return accepted('reference-step');
      }
      emit({ type: 'rejected', reason: 'outlier', sample });
      return { accepted: false, reason: 'outlier', offsetMs, delayMs };
    }
    this.suspects = [];
    this.insert(entry);
    return accepted(undefined);
  }

  monotonicAt(referenceMs: number): number {
    assertFinite('referenceMs', referenceMs);
    this.checkClocks();
    // offset(local) changes by ppm per ms, so a few fixed-point steps converge to < 1 ns.
    let local = referenceMs - (this.estimateAt(this.localNow())?.offsetMs ?? 0);
    for (let i = 0; i < 4; i++) local = referenceMs - (this.estimateAt(local)?.offsetMs ?? 0);
    return local - this.anchor;
  }
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
  const state = new EstimatorState(resolveEstimatorSettings(options));
  const { clock } = state.settings;
  const localAt = (monotonicMs: number) => monotonicMs + state.anchor;
  const referenceTime = (atMonotonicMs?: number) => {
    state.checkClocks();
    const local = localAt(atMonotonicMs ?? clock.monotonicMs());
    assertFinite('atMonotonicMs', local);
    const e = state.estimateAt(local);
    return e
      ? { timeMs: local + e.offsetMs, boundMs: e.boundMs, synchronized: true }
      : { timeMs: local, boundMs: Number.POSITIVE_INFINITY, synchronized: false };
  };
  return {
    clock,
    localNow: () => state.localNow(),
    localAt,
    addSample: (sample) => state.addSample(sample),
    estimate(atLocalMs) {
      state.checkClocks();
      const at = atLocalMs ?? state.localNow();
      assertFinite('atLocalMs', at);
      return state.estimateAt(at);
    },
    now: () => referenceTime().timeMs,
    referenceTime,
    monotonicAt: (referenceMs) => state.monotonicAt(referenceMs),
    checkClocks: () => state.checkClocks(),
    reset: () => state.restart('manual', []),
    samples: () => state.window.map((s) => ({ ...s })),
  };
}
