import type { OffsetEstimatorOptions } from '../../estimator-types';
import { createOffsetEstimator } from '../../offset-estimator';
import { createSimulatedClock, type SimulatedClock } from '../../simulated-clock';
import type { SyncSample } from '../../sync-sample';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same network. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How a path between a racer and the reference behaves. */
export interface NetworkProfile {
  readonly name: string;
  /** Range of the fixed one-way delay out (racer → reference), ms. */
  readonly baseOutMs: readonly [number, number];
  /** Range of (fixed delay back − fixed delay out), ms: routes differ in each direction. */
  readonly asymmetryMs: readonly [number, number];
  /** Mean of the exponential queueing jitter added in each direction, ms. */
  readonly jitterMeanMs: number;
  /** Chance that a packet hits a congestion spike, and the spike's largest extra delay, ms. */
  readonly spikeProbability: number;
  readonly spikeMaxMs: number;
  /** Chance that a probe or its answer is lost. */
  readonly lossProbability: number;
  /** Range of the reference's time between receiving and answering, ms. */
  readonly processingMs: readonly [number, number];
}

/** One probe as it happened: the timestamps and the delays only the simulator knows. */
export interface SimulatedExchange {
  readonly sample: SyncSample;
  readonly outMs: number;
  readonly backMs: number;
}

/** A racer's machine talking to the reference over a simulated network. */
export interface SimulatedSession {
  readonly clock: SimulatedClock;
  readonly estimator: ReturnType<typeof createOffsetEstimator>;
  readonly exchanges: SimulatedExchange[];
  /** True reference − local offset now. */
  trueOffsetMs(): number;
  /** Sends one probe, waits for its answer (or its loss), feeds the estimator. */
  probe(): SimulatedExchange | undefined;
}

/** Options of {@link createSimulatedSession}. */
export interface SimulatedSessionOptions {
  readonly profile: NetworkProfile;
  readonly random: () => number;
  /** Reference − wall clock of the racer at the start, ms. */
  readonly initialOffsetMs: number;
  /** Frequency error of the racer's oscillator, ppm. */
  readonly driftPpm: number;
  readonly estimator?: Omit<OffsetEstimatorOptions, 'clock'>;
}

function uniform(random: () => number, [low, high]: readonly [number, number]): number {
  return low + (high - low) * random();
}

/**
 * A racer whose clocks are `initialOffsetMs` off and drift `driftPpm`, probing a perfect
 * reference (the reference's clock is true time) over a path with fixed, asymmetric delays,
 * exponential jitter, congestion spikes and loss.
 */
export function createSimulatedSession(options: SimulatedSessionOptions): SimulatedSession {
  const { profile, random } = options;
  const trueStart = 1_700_000_000_000;
  const clock = createSimulatedClock({
    trueMs: trueStart,
    wallMs: trueStart - options.initialOffsetMs,
    monotonicMs: 1_000 + random() * 1e6,
    driftPpm: options.driftPpm,
  });
  const estimator = createOffsetEstimator({ ...options.estimator, clock });
  const baseOut = uniform(random, profile.baseOutMs);
  const baseBack = Math.max(0.05, baseOut + uniform(random, profile.asymmetryMs));
  const oneWay = (base: number) => {
    let delay = base - profile.jitterMeanMs * Math.log(1 - random());
    if (random() < profile.spikeProbability) delay += random() * profile.spikeMaxMs;
    return delay;
  };
  const exchanges: SimulatedExchange[] = [];

  return {
    clock,
    estimator,
    exchanges,
    trueOffsetMs: () => clock.trueMs() - estimator.localNow(),
    probe() {
      const t1 = estimator.localNow();
      const outMs = oneWay(baseOut);
      const backMs = oneWay(baseBack);
      if (random() < profile.lossProbability) {
        clock.advance(outMs);
        return undefined;
      }
      clock.advance(outMs);
      const t2 = clock.trueMs();
      clock.advance(uniform(random, profile.processingMs));
      const t3 = clock.trueMs();
      clock.advance(backMs);
      const t4 = estimator.localNow();
      const exchange = { sample: { t1, t2, t3, t4 }, outMs, backMs };
      exchanges.push(exchange);
      estimator.addSample(exchange.sample);
      return exchange;
    },
  };
}
