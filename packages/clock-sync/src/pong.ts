import type { PingMessage, PongMessage } from '@gw2race/protocol';
import { assertFinite, ClockSyncError } from './errors';

/** When the host saw a ping and when its answer leaves, on the host's clock (epoch ms). */
export interface PongTimes {
  /** Host clock when the ping arrived (`t2`), epoch ms. */
  readonly receivedMs: number;
  /** Host clock when the pong leaves (`t3`), epoch ms. */
  readonly sentMs: number;
  /**
   * Resolution of the clock that stamped them, ms: each stamp may be up to this far from the
   * instant it names (a host clock read to whole milliseconds: 1). Sent as the pong's
   * `precisionMs`, so the racer counts it into its bound. Omit for sub-microsecond clocks.
   */
  readonly precisionMs?: number;
}

function checkPrecision(precisionMs: number | undefined): void {
  if (precisionMs === undefined) return;
  if (!Number.isFinite(precisionMs) || precisionMs < 0) {
    throw new ClockSyncError(
      'INVALID_ARGUMENT',
      `precisionMs must be a finite number >= 0, got ${precisionMs}`,
    );
  }
}

/**
 * Builds the host's answer to a `ping`: the ping's id and `t1` echoed, with the host's receive
 * and send times as epoch seconds. Pure; the host app publishes it on `race/{raceId}/pong/{playerId}`.
 *
 * @example
 * createPong(ping, { receivedMs: 1_724_312_300_000.4, sentMs: 1_724_312_300_000.9 });
 * createPong(ping, { receivedMs: 1_724_312_300_000, sentMs: 1_724_312_300_001, precisionMs: 1 });
 */
export function createPong(ping: PingMessage, times: PongTimes): PongMessage {
  assertFinite('receivedMs', times.receivedMs);
  assertFinite('sentMs', times.sentMs);
  checkPrecision(times.precisionMs);
  return {
    playerId: ping.playerId,
    id: ping.id,
    t1: ping.t1,
    t2: times.receivedMs / 1000,
    t3: Math.max(times.sentMs, times.receivedMs) / 1000,
    ...(times.precisionMs === undefined ? {} : { precisionMs: times.precisionMs }),
  };
}

/** Options of {@link createPongResponder}. */
export interface PongResponderOptions {
  /**
   * The host's clock, epoch ms: the race's reference. Pass an estimator's `now` (monotonic based,
   * so a change of the host's date mid-race does not shift everyone's race time).
   */
  now: () => number;
  /**
   * Resolution of `now`, ms, put in every pong as `precisionMs` (see {@link PongTimes}). Pass
   * `1` when the host's clock only shows whole milliseconds (`Date.now()`, a coarsened
   * `performance.now()`), or the host estimator's `clock.resolutionMs`. Default: omitted.
   */
  precisionMs?: number;
}

/**
 * The host side of ping/pong: returns a function that answers a ping. Give it the host-clock
 * time the ping arrived (stamp it as soon as the transport hands the message over); `t3` is
 * read when the pong is built, just before it is sent.
 *
 * @example
 * const host = createOffsetEstimator();          // or one disciplined by SNTP
 * const answer = createPongResponder({ now: host.now });
 * mqtt.on('message', (topic, payload) => {
 *   const receivedMs = host.now();
 *   // ... decode the ping ...
 *   mqtt.publish(pongTopic, encode(answer(ping, receivedMs)));
 * });
 */
export function createPongResponder(
  options: PongResponderOptions,
): (ping: PingMessage, receivedMs?: number) => PongMessage {
  const { now, precisionMs } = options;
  checkPrecision(precisionMs);
  return (ping, receivedMs) => {
    const received = receivedMs ?? now();
    return createPong(ping, {
      receivedMs: received,
      sentMs: now(),
      ...(precisionMs === undefined ? {} : { precisionMs }),
    });
  };
}
