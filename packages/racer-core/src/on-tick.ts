import type { GameSample } from './game-sample';
import { sendPosition } from './on-game';
import { OUTBOX_TICK_MS, PRESENCE_EVERY_MS, pingDelayMs, stateAskDelayMs } from './schedule';
import { publish, type Session, sendPresence } from './session';

type AnySession = Session<GameSample>;

/** The race exists: announce the client, send the first ping, start the periodic tasks. */
export function begin(session: AnySession): void {
  const { schedule } = session;
  if (schedule.begun) return;
  schedule.begun = true;
  const now = session.clock.monotonicMs();
  sendPresence(session, 'join');
  schedule.presenceAt = now + PRESENCE_EVERY_MS;
  sendPing(session, now);
  if (session.options.mode === 'racer') {
    schedule.positionAt = now + session.positionEveryMs;
    schedule.outboxAt = now + OUTBOX_TICK_MS;
  }
}

/** Does what is due: heartbeat, ping, position, re-sends of uncredited reports. */
export function tick(session: AnySession): void {
  const { schedule, view, outbox } = session;
  const now = session.clock.monotonicMs();
  if (now >= schedule.askAt) askForState(session, now);
  if (now >= schedule.presenceAt) {
    sendPresence(session, 'heartbeat');
    schedule.presenceAt = following(schedule.presenceAt, PRESENCE_EVERY_MS, now);
  }
  if (now >= schedule.pingAt) sendPing(session, now);
  if (now >= schedule.positionAt) {
    sendPosition(session, now);
    schedule.positionAt = following(schedule.positionAt, session.positionEveryMs, now);
  }
  if (now >= schedule.outboxAt) {
    outbox.tick();
    view.unconfirmed = outbox.size;
    schedule.outboxAt = following(schedule.outboxAt, OUTBOX_TICK_MS, now);
  }
}

/** The monotonic instant the next periodic task is due. */
export function nextWakeAt(session: AnySession): number {
  const { schedule } = session;
  return Math.min(
    schedule.askAt,
    schedule.presenceAt,
    schedule.pingAt,
    schedule.positionAt,
    schedule.outboxAt,
  );
}

/**
 * No state since the connection came up (no retained one on this broker node or tier, and no
 * republish yet): asks the host for it, then again, less and less often, until one comes.
 */
function askForState(session: AnySession, now: number): void {
  const { schedule } = session;
  if (schedule.stateSinceOnline || session.view.hub !== 'online') {
    schedule.askAt = Number.POSITIVE_INFINITY;
    return;
  }
  publish(session, 'request', 'request', { playerId: session.options.playerId, want: 'state' });
  schedule.asks++;
  schedule.askAt = now + stateAskDelayMs(schedule.asks);
}

function sendPing(session: AnySession, now: number): void {
  const { schedule, view } = session;
  const ping = session.pingSync.createPing();
  publish(
    session,
    'ping',
    'ping',
    view.lastRttMs === undefined ? ping : { ...ping, rttMs: view.lastRttMs },
  );
  const raceRunning = view.clock?.countdown().started ?? false;
  schedule.pingAt = now + pingDelayMs(schedule.pings, raceRunning);
  schedule.pings++;
}

/** The next due instant of a periodic task: one period on, or one period from now after a stall. */
function following(due: number, periodMs: number, now: number): number {
  const next = due + periodMs;
  return next > now ? next : now + periodMs;
}
