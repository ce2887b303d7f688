import { buildTopic, encodeMessage } from '@gw2race/protocol';
import { stateAskDelayMs } from '@gw2race/racer-core';

/** The timers the asking runs on (the browser's, or fake ones in tests). */
export interface AskTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What {@link askForState} needs of the page: how to publish, and whether a state has come. */
export interface StateAsk {
  readonly raceId: string;
  /** The id the viewer asks under (a spectator's, never a racer's). */
  readonly playerId: string;
  readonly hasState: () => boolean;
  readonly publish: (topic: string, payload: Uint8Array) => void;
  readonly timers?: AskTimers;
}

/**
 * Asks the host for the race state on `race/{raceId}/request` while none has come, on
 * racer-core's schedule (1 s after subscribing, then 2 s, 4 s, then every 5 s): on a hub that
 * keeps no retained messages (a cluster node, a bridge) the page still finds the race. Stops
 * once a state has come, or when the returned function is called (a reconnect starts again).
 */
export function askForState(ask: StateAsk): () => void {
  const timers: AskTimers = ask.timers ?? {
    setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
  };
  const topic = buildTopic(ask.raceId, 'request');
  const payload = encodeMessage('request', { playerId: ask.playerId, want: 'state' });
  let sent = 0;
  let handle: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped || ask.hasState()) return;
    ask.publish(topic, payload);
    sent++;
    handle = timers.setTimeout(tick, stateAskDelayMs(sent));
  };
  handle = timers.setTimeout(tick, stateAskDelayMs(0));
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}
