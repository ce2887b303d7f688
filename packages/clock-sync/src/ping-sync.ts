import type { PingMessage, PongMessage } from '@gw2race/protocol';
import { assertFinite, ClockSyncError } from './errors';
import type { OffsetEstimator, RejectReason, SampleVerdict } from './estimator-types';

/** Options of {@link createPingSync}. */
export interface PingSyncOptions {
  /** This racer's player id, put in every ping. */
  playerId: string;
  /** The estimator the samples feed; its local time stamps `t1` and `t4`. */
  estimator: OffsetEstimator;
  /** A ping unanswered for this long (local ms) is forgotten; a later pong is ignored. Default 10 s. */
  timeoutMs?: number;
  /** Most pings awaiting an answer; the oldest is forgotten first. Default 32. */
  maxPending?: number;
  /** First probe number. Default 0. */
  firstId?: number;
}

/** Why {@link PingSync.receivePong} ignored a pong before it reached the estimator. */
export type PongIgnoredReason =
  /** No ping with this id is waiting (never sent, already answered, or timed out). */
  | 'unknown-id'
  /** The pong is for another player. */
  | 'wrong-player'
  /** The echoed `t1` is not the one we sent: not an answer to our ping. */
  | 't1-mismatch'
  /** `t2`/`t3` are not finite numbers, or `precisionMs` is not a finite number >= 0. */
  | 'invalid';

/** What happened to a pong. */
export type PongOutcome =
  | { readonly used: true; readonly verdict: SampleVerdict & { readonly accepted: true } }
  | {
      readonly used: false;
      readonly reason: PongIgnoredReason | RejectReason;
      /** The estimator's verdict when the pong reached it. */
      readonly verdict: SampleVerdict | undefined;
    };

/**
 * A racer's side of the ping/pong clock sync with the organizer, without any transport: it
 * builds `ping` messages and turns `pong`s into samples for its estimator. The app publishes the
 * pings and hands over the pongs.
 */
export interface PingSync {
  /** Builds the next ping (stamping `t1` now) and remembers it. Publish it right away. */
  createPing(): PingMessage;
  /**
   * Takes a pong. Pass the monotonic instant it arrived when the transport gives one (default:
   * now); the closer to the wire, the smaller the round trip and the bound.
   */
  receivePong(pong: PongMessage, receivedAtMonotonicMs?: number): PongOutcome;
  /** Pings sent and not yet answered nor timed out. */
  pending(): number;
}

interface Pending {
  readonly t1Ms: number;
  readonly t1Seconds: number;
}

/**
 * Creates the racer side of the organizer clock sync. Every ping reports what the racer
 * measured so far (`rttMs`, `offsetMs`, `boundMs`), so the host can show each racer's sync
 * quality.
 *
 * @example
 * const estimator = createOffsetEstimator();
 * const sync = createPingSync({ playerId: 'p1', estimator });
 * publish(`race/${raceId}/ping`, sync.createPing());
 * onPong((pong) => sync.receivePong(pong));
 * estimator.now(); // organizer epoch ms
 */
export function createPingSync(options: PingSyncOptions): PingSync {
  const { playerId, estimator } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxPending = Math.floor(options.maxPending ?? 32);
  let nextId = Math.floor(options.firstId ?? 0);
  if (!(timeoutMs > 0) || !(maxPending >= 1) || !(nextId >= 0)) {
    throw new ClockSyncError(
      'INVALID_ARGUMENT',
      'timeoutMs must be > 0, maxPending >= 1 and firstId >= 0',
    );
  }
  const pending = new Map<number, Pending>();
  let lastDelayMs: number | undefined;

  function expire(nowLocalMs: number): void {
    for (const [id, p] of pending) {
      if (nowLocalMs - p.t1Ms > timeoutMs) pending.delete(id);
    }
  }

  function createPing(): PingMessage {
    estimator.checkClocks();
    const t1Ms = estimator.localNow();
    expire(t1Ms);
    while (pending.size >= maxPending) {
      const oldest = pending.keys().next().value;
      if (oldest === undefined) break;
      pending.delete(oldest);
    }
    const id = nextId;
    nextId = nextId >= Number.MAX_SAFE_INTEGER ? 0 : nextId + 1;
    const t1Seconds = t1Ms / 1000;
    pending.set(id, { t1Ms, t1Seconds });
    const estimate = estimator.estimate(t1Ms);
    return {
      playerId,
      id,
      t1: t1Seconds,
      ...(lastDelayMs === undefined ? {} : { rttMs: lastDelayMs }),
      ...(estimate === undefined ? {} : { offsetMs: estimate.offsetMs, boundMs: estimate.boundMs }),
    };
  }

  function receivePong(pong: PongMessage, receivedAtMonotonicMs?: number): PongOutcome {
    const t4Ms =
      receivedAtMonotonicMs === undefined
        ? estimator.localNow()
        : estimator.localAt(receivedAtMonotonicMs);
    assertFinite('receivedAtMonotonicMs', t4Ms);
    expire(t4Ms);
    if (pong.playerId !== playerId)
      return { used: false, reason: 'wrong-player', verdict: undefined };
    const sent = pending.get(pong.id);
    if (!sent) return { used: false, reason: 'unknown-id', verdict: undefined };
    if (pong.t1 !== sent.t1Seconds)
      return { used: false, reason: 't1-mismatch', verdict: undefined };
    const precisionMs = pong.precisionMs ?? 0;
    if (
      !Number.isFinite(pong.t2) ||
      !Number.isFinite(pong.t3) ||
      !Number.isFinite(precisionMs) ||
      precisionMs < 0
    ) {
      return { used: false, reason: 'invalid', verdict: undefined };
    }
    pending.delete(pong.id);
    const verdict = estimator.addSample({
      t1: sent.t1Ms,
      t2: pong.t2 * 1000,
      t3: pong.t3 * 1000,
      t4: t4Ms,
      // Each host stamp may be up to `precisionMs` from its instant. The offset then moves by up
      // to precisionMs, the delay by up to 2 × precisionMs (t2 and t3 off in opposite ways); the
      // estimator takes one figure for both, as for the local resolution, so 2 × precisionMs.
      referenceErrorMs: 2 * precisionMs,
      source: 'organizer',
    });
    if (!verdict.accepted) return { used: false, reason: verdict.reason, verdict };
    lastDelayMs = verdict.delayMs;
    return { used: true, verdict };
  }

  return { createPing, receivePong, pending: () => pending.size };
}
