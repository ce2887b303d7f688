/** A presence heartbeat every second. */
export const PRESENCE_EVERY_MS = 1000;

/** Pings sent 250 ms apart after the first: a good offset within 2 s of joining. */
export const PING_BURST = 8;
/** Spacing of the first pings, ms. */
export const PING_BURST_MS = 250;
/** Spacing of pings after the burst until the start, ms. */
export const PING_PRE_RACE_MS = 2000;
/** Spacing of pings once the race runs, ms (the estimate needs only to follow the drift). */
export const PING_RACE_MS = 10_000;

/** How often reports the host has not credited are looked at again, ms. */
export const OUTBOX_TICK_MS = 500;

/**
 * How long to wait before the next ping, having sent `sent` pings after the first: every 250 ms
 * at first (a good offset in 2 s), then every 2 s until the start, then every 10 s.
 */
export function pingDelayMs(sent: number, raceRunning: boolean): number {
  if (sent < PING_BURST) return PING_BURST_MS;
  return raceRunning ? PING_RACE_MS : PING_PRE_RACE_MS;
}

/**
 * A position unchanged for this long is sent again, so the host knows the racer is still there:
 * half the race engine's gap threshold (the course's `gapSeconds`, 1 s by default), so a racer
 * standing still is never judged a gap in the stream.
 */
export function positionKeepAliveMs(gapSeconds = 1): number {
  return (gapSeconds * 1000) / 2;
}

/**
 * A client that has been online this long without the race state asks the host for it (the
 * retained one comes right after subscribing where the hub keeps it), ms.
 */
export const STATE_ASK_AFTER_MS = 1000;
/** The longest wait between two requests for the state, ms. */
export const STATE_ASK_MAX_MS = 5000;

/**
 * How long to wait before the next request for the state, having sent `sent` of them since the
 * connection came up: 1 s, then 2 s, 4 s, then every 5 s until a state comes.
 */
export function stateAskDelayMs(sent: number): number {
  return Math.min(STATE_ASK_AFTER_MS * 2 ** sent, STATE_ASK_MAX_MS);
}
