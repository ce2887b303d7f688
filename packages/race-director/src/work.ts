import {
  buildTopic,
  CHANNEL_OF_KIND,
  type ControlMessage,
  decodeMessage,
  encodeMessage,
  type MessageKind,
  type MessageOf,
  type ReceivedMessage,
  TOPIC_SETTINGS,
} from '@gw2race/protocol';
import { type EngineEvent, engineInputOf, step, toRankingMessage } from '@gw2race/race-engine';
import { getClient, listClients } from './client-table';
import { DIRECTOR_DEFAULTS } from './director-config';
import type { DirectorEffect } from './director-effect';
import type { DirectorState } from './director-state';
import { placeEntry } from './recorded-order';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * @internal The working copy of one {@link direct} call: the next state's fields, the effects
 * gathered so far, and the host clock of the input.
 */
export interface Work {
  readonly s: Mutable<DirectorState>;
  readonly at: number;
  readonly effects: DirectorEffect[];
  /**
   * Rebuilding from the recording: what the director authors is already in it (and comes back
   * as its own entry), so nothing is published or recorded.
   */
  readonly replaying?: boolean;
}

/** @internal */
export function log(w: Work, line: string): void {
  w.effects.push({ type: 'log', line });
}

/** @internal The name a player goes by (their id until they say one). */
export function nameIn(w: Work, playerId: string): string {
  return getClient(w.s.clients, playerId)?.name ?? playerId;
}

/** @internal The single path of every entry: recorded, then (as the recording will give it back) judged. */
export function ingest(w: Work, received: ReceivedMessage): void {
  // After the end nothing a client says is judged; the organizer's rulings (and the final
  // ranking they change) still are, so that re-judging the recording gives the ranking shown.
  if (w.s.closed && !isAfterEndEntry(received)) return;
  const placed = placeEntry(w.s.order, w.s.config.recording, received);
  w.s.order = placed.order;
  if (!w.replaying) w.effects.push({ type: 'record', entry: placed.entry });
  w.s.unflushed = true;
  w.s.lastRecordAt = w.at;
  const input = engineInputOf(placed.recorded);
  if (!input) return;
  const [engine, events] = step(w.s.engine, input);
  w.s.engine = engine;
  onEngineEvents(w, events);
}

/** @internal What the recording still takes after the end: rulings, and the rankings they change. */
export function isAfterEndEntry(received: ReceivedMessage): boolean {
  return (
    received.kind === 'ranking' ||
    (received.kind === 'control' && received.message.cmd === 'RULING')
  );
}

/** @internal Publishes a message the director authors, records it and judges it when it is an input. */
export function publish<K extends Exclude<MessageKind, 'pos' | 'pong'>>(
  w: Work,
  kind: K,
  message: MessageOf<K>,
): void {
  if (w.replaying) return;
  if (!sendOut(w, kind, message)) return;
  ingest(w, { kind, at: w.at, message } as ReceivedMessage);
}

/**
 * The publish effect alone: on the wire, not recorded. What the host sends is checked as its
 * clients will check it (the schema and the kind's size limit): a message they must refuse is
 * not sent (nor recorded), and the log says why. False when it was not sent.
 */
function sendOut<K extends Exclude<MessageKind, 'pos' | 'pong'>>(
  w: Work,
  kind: K,
  message: MessageOf<K>,
): boolean {
  if (w.replaying) return false;
  const channel = CHANNEL_OF_KIND[kind] as Exclude<(typeof CHANNEL_OF_KIND)[K], 'pos' | 'pong'>;
  const settings = TOPIC_SETTINGS[channel];
  const payload = encodeMessage(kind, message);
  const checked = decodeMessage(kind, payload);
  if (!checked.ok) {
    w.s.unsent += 1;
    log(
      w,
      `not sent: the ${kind} message would be refused by every client (${checked.error.message})`,
    );
    return false;
  }
  w.effects.push({
    type: 'publish',
    topic: buildTopic(w.s.config.raceId, channel),
    payload,
    qos: settings.qos,
    retain: settings.retain,
    kind,
    message,
  } as DirectorEffect);
  return true;
}

/** @internal */
export function publishControl(w: Work, control: ControlMessage): void {
  publish(w, 'control', control);
}

/** @internal A changed state may go out now: the last one is {@link DIRECTOR_DEFAULTS.stateEvery} back, or none went out yet. */
export function stateChangeDue(w: Work): boolean {
  return w.s.stateAt === null || w.at - w.s.stateAt >= DIRECTOR_DEFAULTS.stateEvery;
}

/**
 * @internal The state changed in a way that can wait a moment (a racer joined before the start):
 * published now when the last one is {@link DIRECTOR_DEFAULTS.stateEvery} back, else by the tick
 * when it is due, with every change since.
 */
export function stateChanged(w: Work): void {
  if (stateChangeDue(w)) publishState(w);
  else w.s.stateDirty = true;
}

/** @internal The state racers see: stage, t0 and the racers, on the host clock now. */
export function publishState(w: Work): void {
  w.s.stateDirty = false;
  const { host } = w.s.config;
  w.s.stateMessage = {
    ...w.s.stateMessage,
    ...(host ? { host: { id: host.id, since: host.since } } : {}),
    t0: w.s.engine.t0,
    stage: w.s.stage,
    serverClock: w.at,
    participants: listClients(w.s.clients)
      .filter((c) => c.mode === 'racer')
      .map((c) => ({ playerId: c.playerId, ...(c.name !== undefined ? { name: c.name } : {}) })),
  };
  w.s.stateAt = w.at;
  publish(w, 'state', w.s.stateMessage);
}

/**
 * @internal The unchanged state again, on the host clock now, for whoever missed the retained
 * one (a broker node or tier that keeps none). Not recorded: nothing in it is new but the clock.
 */
export function republishState(w: Work): void {
  w.s.stateMessage = { ...w.s.stateMessage, serverClock: w.at };
  w.s.stateAt = w.at;
  sendOut(w, 'state', w.s.stateMessage);
}

/**
 * @internal Someone lacks the state (a `request`, a join, a comeback): answered now, or, within
 * {@link DIRECTOR_DEFAULTS.answerEvery} of the last answer, by the tick when one is due. After the
 * end nothing is answered.
 */
export function wantState(w: Work): void {
  if (w.s.stage === 'post') return;
  if (answerDue(w)) answerState(w);
  else w.s.stateWanted = true;
}

/** @internal The last answer is far enough back for another. */
export function answerDue(w: Work): boolean {
  return w.s.answeredAt === null || w.at - w.s.answeredAt >= DIRECTOR_DEFAULTS.answerEvery;
}

/**
 * @internal The answer to a request for the state: the state and the current ranking, neither
 * recorded (nothing in them is new), for every client that waits.
 */
export function answerState(w: Work): void {
  w.s.stateWanted = false;
  w.s.answeredAt = w.at;
  republishState(w);
  sendOut(w, 'ranking', rankingNow(w));
}

/** The ranking with the names racers gave, on the host clock now. */
function rankingNow(w: Work, final = false) {
  const ranking = toRankingMessage(w.s.engine, {
    t: w.at,
    splits: true,
    ...(final ? { final: true } : {}),
  });
  for (const entry of ranking.entries) {
    const name = getClient(w.s.clients, entry.playerId)?.name;
    if (name !== undefined && entry.name === undefined) entry.name = name;
  }
  return ranking;
}

/** @internal The ranking with the names racers gave, published (and recorded). */
export function publishRanking(w: Work, final = false): void {
  w.s.rankingDirty = false;
  w.s.rankingAt = w.at;
  publish(w, 'ranking', rankingNow(w, final));
}

function onEngineEvents(w: Work, events: readonly EngineEvent[]): void {
  for (const event of events) {
    switch (event.type) {
      case 'flag':
        w.s.flags = [...w.s.flags, event.flag];
        publish(w, 'flag', event.flag);
        log(
          w,
          `FLAG ${event.flag.severity} ${event.flag.kind} ${event.flag.playerId}: ${event.flag.message}`,
        );
        break;
      case 'finished':
        w.s.firstFinishAt ??= w.at;
        log(w, `${nameIn(w, event.playerId)} finished in ${event.time.toFixed(3)} s`);
        w.s.rankingDirty = true;
        break;
      case 'checkpoint':
      case 'lap':
      case 'status':
      case 'started':
      case 'racer-added':
        w.s.rankingDirty = true;
        break;
      default:
        break;
    }
  }
}
