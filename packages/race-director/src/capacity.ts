import type { MessageKind, PresenceMessage, ReceivedMessage } from '@gw2race/protocol';
import { findRacer } from '@gw2race/race-engine';
import { type ClientInfo, getClient, listClients, putClient } from './client-table';
import { DIRECTOR_DEFAULTS } from './director-config';
import { maxPlayersOf } from './director-state';
import { ingest, log, stateChanged, type Work } from './work';

/** The kinds that make a player known to the race (the client table, the engine). */
const PLAYER_KINDS: ReadonlySet<MessageKind> = new Set(['presence', 'pos', 'checkpoint', 'ping']);

/** The status of a join that expired to make room (see {@link DIRECTOR_DEFAULTS.joinExpiry}). */
export const EXPIRED = 'expired';

/** The player a message speaks for: its topic's, else its body's. */
function playerOf(received: ReceivedMessage): string | undefined {
  if (received.playerId !== undefined) return received.playerId;
  const { playerId } = received.message as { playerId?: unknown };
  return typeof playerId === 'string' ? playerId : undefined;
}

/** Whether `playerId` holds a place: a racer in the client table, or in the engine's ranking. */
function seated(w: Work, playerId: string): boolean {
  const info = getClient(w.s.clients, playerId);
  if (info !== undefined) return info.mode === 'racer';
  const racer = findRacer(w.s.engine, playerId);
  return racer !== undefined && !racer.spectator;
}

/** Whether a message of `playerId` asks for a place it does not have. */
function wantsSeat(w: Work, received: ReceivedMessage, playerId: string): boolean {
  const info = getClient(w.s.clients, playerId);
  const known = info !== undefined || w.s.engine.index.has(playerId);
  if (!known) return true;
  if (seated(w, playerId)) return false;
  // A known spectator (an expired join among them) takes a place only by joining as a racer.
  return received.kind === 'presence' && (received.message as PresenceMessage).mode === 'racer';
}

/** Places taken: the racers of the client table, or the ranking's entries, whichever is more. */
function seats(w: Work): number {
  const racers = listClients(w.s.clients).filter((c) => c.mode === 'racer').length;
  return Math.max(racers, w.s.engine.order.length);
}

/** The engine has seen nothing from `playerId` that a result could rest on. */
function untouched(w: Work, playerId: string): boolean {
  const racer = findRacer(w.s.engine, playerId);
  return racer === undefined || (racer.samples === 0 && racer.reported.length === 0);
}

/** The oldest racer whose join has expired: never ready, nothing raced, joined long enough ago. */
function expiredJoin(w: Work): ClientInfo | undefined {
  let oldest: ClientInfo | undefined;
  for (const info of listClients(w.s.clients)) {
    if (info.mode !== 'racer' || info.everReady) continue;
    if (w.at - info.joinedAt < DIRECTOR_DEFAULTS.joinExpiry) continue;
    if (!untouched(w, info.playerId)) continue;
    if (oldest === undefined || info.joinedAt < oldest.joinedAt) oldest = info;
  }
  return oldest;
}

/**
 * Gives an expired join's place up: it becomes a spectator (in the client table and, through a
 * recorded presence, in the engine, so a re-judgement sees the same race), and the log says so.
 */
function expire(w: Work, info: ClientInfo, newcomer: string): void {
  w.s.clients = putClient(w.s.clients, { ...info, mode: 'spectator', status: EXPIRED });
  ingest(w, {
    kind: 'presence',
    at: w.at,
    playerId: info.playerId,
    message: { playerId: info.playerId, mode: 'spectator', event: 'leave' },
  });
  w.s.expiredJoins += 1;
  if (w.s.expiredJoins === 1 || w.s.expiredJoins % 100 === 0)
    log(
      w,
      `the race is full: ${info.name ?? info.playerId} joined ${Math.round(w.at - info.joinedAt)} s ago and never got ready, so ${newcomer} takes the place (${w.s.expiredJoins} expired so far)`,
    );
  stateChanged(w);
}

/**
 * @internal Whether `received` asks for a place in a race that has its `maxPlayers` already and
 * none to give: then it is refused, neither recorded nor judged (a re-judgement sees the same
 * race), counted, and said on the log at the first and every hundredth refusal. A full race
 * first expires the oldest join that never got ready ({@link DIRECTOR_DEFAULTS.joinExpiry}).
 * Players with a place are never refused; past `knownIdsFactor` × `maxPlayers` ids in all, new
 * ids are.
 */
export function overCapacity(w: Work, received: ReceivedMessage): boolean {
  if (!PLAYER_KINDS.has(received.kind)) return false;
  const playerId = playerOf(received);
  if (playerId === undefined || !wantsSeat(w, received, playerId)) return false;
  const max = maxPlayersOf(w.s.config);
  const isNew = getClient(w.s.clients, playerId) === undefined && !w.s.engine.index.has(playerId);
  const known = Math.max(w.s.engine.index.size, w.s.clients.index.size);
  const tooMany = isNew && known >= max * DIRECTOR_DEFAULTS.knownIdsFactor;
  if (!tooMany && seats(w) < max) return false;
  const expired = tooMany ? undefined : expiredJoin(w);
  if (expired !== undefined) {
    expire(w, expired, playerId);
    return false;
  }
  w.s.fullRefusals += 1;
  if (w.s.fullRefusals === 1 || w.s.fullRefusals % 100 === 0)
    log(
      w,
      `the race is full (${max} players): refused ${playerId}'s ${received.kind} (${w.s.fullRefusals} refused so far)`,
    );
  return true;
}
