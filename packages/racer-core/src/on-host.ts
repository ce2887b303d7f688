import { createRaceClock } from '@gw2race/clock-sync';
import {
  type ControlMessage,
  chatSenderLabel,
  decodeTopicMessage,
  type RankingMessage,
  type StateMessage,
} from '@gw2race/protocol';
import { createCrossingDetector, trackFromState } from '@gw2race/race-engine';
import { controlNote } from './control-note';
import type { GameSample } from './game-sample';
import { ordinal } from './ordinal';
import type { HubStatus } from './racer-effect';
import { stateAskDelayMs } from './schedule';
import { emit, note, type Session, sendPresence } from './session';

type AnySession = Session<GameSample>;

/** After the final ranking a client leaves at once; after another end it waits for it. */
const LEAVE_AFTER_FINAL_MS = 300;
const LEAVE_AFTER_END_MS = 3000;

/** A message from the hub: decoded, then applied; a bad one is shown and ignored. */
export function onMessage(
  session: AnySession,
  topic: string,
  payload: Uint8Array | string,
  at: number | undefined,
): void {
  const decoded = decodeTopicMessage(topic, payload);
  if (!decoded.ok) {
    note(session, `ignored a bad message on ${topic}: ${decoded.error.message}`, 'warning');
    return;
  }
  const received = decoded.value;
  switch (received.kind) {
    case 'state':
      onState(session, received.message);
      return;
    case 'control':
      onControl(session, received.message);
      return;
    case 'ranking':
      onRanking(session, received.message);
      return;
    case 'pong': {
      const arrived = at ?? session.clock.monotonicMs();
      const outcome = session.pingSync.receivePong(received.message, arrived);
      if (outcome.used) session.view.lastRttMs = outcome.verdict.delayMs;
      return;
    }
    case 'chat': {
      note(session, `${chatSenderLabel(received.message)}: ${received.message.text}`);
      return;
    }
    default:
      return;
  }
}

/** The hub connection changed: on a reconnect, announce the client again and re-send reports. */
export function onHub(session: AnySession, status: HubStatus): void {
  const { schedule } = session;
  const reconnected = status === 'online' && schedule.connectedOnce;
  const cameUp = status === 'online' && session.view.hub !== 'online';
  session.view.hub = status;
  if (status === 'online') schedule.connectedOnce = true;
  // Perhaps through another broker node, which keeps no retained state: wait for one, then ask.
  if (cameUp) awaitState(session);
  if (reconnected) {
    sendPresence(session, 'join');
    session.outbox.reconnected();
    note(session, 'reconnected to the hub');
  } else if (status === 'offline' && session.view.ended)
    // After the end the host closing its hub is the end of the race, not a problem.
    note(session, 'the race is over and the host has closed it: nothing more will come');
  else if (status === 'offline') note(session, 'lost the hub; reconnecting…', 'warning');
}

/** From now on, ask for the state if none comes within a moment. */
function awaitState(session: AnySession): void {
  const { schedule } = session;
  schedule.stateSinceOnline = false;
  schedule.asks = 0;
  schedule.askAt = session.clock.monotonicMs() + stateAskDelayMs(0);
}

function onState(session: AnySession, state: StateMessage): void {
  const { race, view, schedule } = session;
  view.state = state;
  schedule.stateSinceOnline = true;
  schedule.askAt = Number.POSITIVE_INFINITY;
  const key = JSON.stringify([state.checkpoints, state.laps, state.circuit, state.startRule]);
  if (key !== race.trackKey && state.checkpoints.length >= 2) {
    race.trackKey = key;
    const track = trackFromState(state);
    race.detector = createCrossingDetector(track, {
      ...(state.laps !== undefined ? { laps: state.laps } : {}),
      ...(state.startRule !== undefined ? { startRule: state.startRule } : {}),
      t0: race.t0,
    });
    view.courseLength = race.detector.course.length;
    view.course = race.detector.course;
    view.crossings = 0;
    catchUp(session);
    emit(session, { type: 'course', track });
  }
  if (state.t0 !== undefined) applyT0(session, state.t0);
  if (state.stage === 'post') endRace(session, 'the race is over');
}

function onControl(session: AnySession, control: ControlMessage): void {
  const { view } = session;
  if (control.cmd === 'START' || control.cmd === 'RESUME') view.paused = false;
  if (control.cmd === 'PAUSE') view.paused = true;
  if (control.cmd === 'START') applyT0(session, control.t0);
  if (control.cmd === 'RESUME' && control.t0 !== undefined) applyT0(session, control.t0);
  const shown = controlNote(control, session.options.playerId);
  if (shown) note(session, shown.text, shown.level);
  if (control.cmd === 'STANDING' && control.to === session.options.playerId)
    onStanding(session, control);
  if (control.cmd === 'NEXT_RACE') onNextRace(session, control);
  if (control.cmd === 'ABORT') endRace(session, `aborted: ${control.reason}`);
  if (control.cmd === 'END')
    endRace(session, control.reason ? `the race is over (${control.reason})` : 'the race is over');
}

/** The tournament goes on (or is over): say where, and ask the adapter to follow. */
function onNextRace(
  session: AnySession,
  control: Extract<ControlMessage, { cmd: 'NEXT_RACE' }>,
): void {
  const next = {
    raceId: control.next,
    ...(control.name !== undefined ? { name: control.name } : {}),
  };
  session.view.nextRace = next;
  note(
    session,
    next.raceId === undefined
      ? 'the tournament is over'
      : `next race: ${control.name ?? next.raceId}; following`,
    'important',
  );
  emit(session, { type: 'next-race', ...next });
}

function onStanding(
  session: AnySession,
  control: Extract<ControlMessage, { cmd: 'STANDING' }>,
): void {
  const standing = {
    position: control.position,
    of: control.of,
    points: control.points,
    racePoints: control.racePoints,
    tied: control.tied ?? false,
  };
  session.view.standing = standing;
  note(
    session,
    `Tournament: ${standing.tied ? '=' : ''}${ordinal(standing.position)} of ${standing.of}, ${standing.points} points (+${standing.racePoints} this race)`,
    'important',
  );
}

function onRanking(session: AnySession, ranking: RankingMessage): void {
  const { view, outbox } = session;
  view.ranking = ranking;
  const mine = ranking.entries.find((entry) => entry.playerId === session.options.playerId);
  if (mine) {
    outbox.credited(mine.checkpoints);
    view.unconfirmed = outbox.size;
    catchUp(session);
  }
  if (ranking.final) endRace(session, 'final results are in');
}

/** A new start (or none): progress and unconfirmed reports are forgotten. */
function applyT0(session: AnySession, next: number | null | undefined): void {
  const { race, view } = session;
  const value = next ?? null;
  if (value === race.t0) return;
  race.t0 = value;
  view.clock =
    value === null ? undefined : createRaceClock({ t0: value, estimator: session.estimator });
  race.detector?.setT0(value);
  view.crossings = 0;
  session.outbox.clear();
  view.unconfirmed = 0;
  catchUp(session);
}

/** A client that (re)joins mid-race continues from what the host has credited. */
function catchUp(session: AnySession): void {
  const { race, view } = session;
  const { detector, t0 } = race;
  const ranking = view.ranking;
  if (!detector || t0 === null || !ranking || ranking.t < t0) return;
  const mine = ranking.entries.find((entry) => entry.playerId === session.options.playerId);
  if (!mine || !detector.catchUp(mine)) return;
  if (detector.state.startAt !== null) race.startedAt ??= detector.state.startAt;
  view.crossings = detector.state.next;
}

function endRace(session: AnySession, why: string): void {
  const { view } = session;
  if (view.ended) return;
  view.ended = why;
  const leaveAfterMs = view.ranking?.final ? LEAVE_AFTER_FINAL_MS : LEAVE_AFTER_END_MS;
  const awaitNext = view.state?.tournament !== undefined;
  emit(session, { type: 'ended', reason: why, leaveAfterMs, ...(awaitNext ? { awaitNext } : {}) });
}
