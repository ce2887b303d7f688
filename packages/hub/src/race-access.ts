import { createHash, timingSafeEqual } from 'node:crypto';
import { buildTopic, decodeTopicMessage } from '@gw2race/protocol';
import { type AccessRule, decideAccess } from './access-table';
import type { ConnectRequest, ConnectVerdict, HubAccess } from './hub-access';

import { describePrincipal, type Principal, playerOf } from './principal';

/** MQTT user name the host logs in with on its embedded hub (with the host token as password). */
export const HOST_USERNAME = 'gw2race-host';

/**
 * Checks a player's credential at CONNECT (a closed race): the user name is the player id, the
 * password a credential derived from that player's key. Return true to let the player in (as a
 * racer or a spectator, as its last will says), `'spectator'` to let it in only to watch (a
 * spectator invitation: it cannot publish what racers publish, whatever its will says), false to
 * refuse it.
 */
export type CredentialCheck = (playerId: string, credential: string) => boolean | 'spectator';

/** Options of {@link createRaceAccess}. */
export interface RaceAccessOptions {
  readonly raceId: string;
  /** The password of {@link HOST_USERNAME}. */
  readonly hostToken: string;
  /**
   * Makes the race closed: every client that names a player must prove it. Without it the race is
   * open: a client is bound to the player its last will names.
   */
  readonly checkCredential?: CredentialCheck;
  /** The access table. Default `RACE_ACCESS_RULES`. */
  readonly rules?: readonly AccessRule[];
}

/** The presence the will announces, when it is one of this race's. */
function willOf(request: ConnectRequest, raceId: string) {
  if (!request.will) return undefined;
  const decoded = decodeTopicMessage(request.will.topic, request.will.payload);
  if (!decoded.ok || decoded.value.kind !== 'presence') return undefined;
  if (decoded.value.topic.raceId !== raceId) return undefined;
  return decoded.value.message;
}

/**
 * Whether a password equals the secret, in time that depends on neither (both are hashed to equal
 * length first), so a client cannot learn the host token one character at a time.
 */
export function secretEquals(password: string | undefined, secret: string): boolean {
  if (password === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(password), digest(secret));
}

function identify(request: ConnectRequest, options: RaceAccessOptions): ConnectVerdict {
  if (request.username === HOST_USERNAME) {
    return secretEquals(request.password, options.hostToken)
      ? { ok: true, principal: { kind: 'host' } }
      : { ok: false, returnCode: 4, reason: 'wrong host token' };
  }
  const will = willOf(request, options.raceId);
  const kind = will?.mode === 'spectator' ? 'spectator' : 'racer';
  const check = options.checkCredential;
  if (!check) {
    if (!will) return { ok: true, principal: { kind: 'anonymous' } };
    return { ok: true, principal: { kind, playerId: will.playerId, verified: false } };
  }
  const playerId = request.username;
  if (playerId === undefined) {
    // A closed race's anonymous clients (the web viewer) may read; the table refuses their writes.
    if (!will) return { ok: true, principal: { kind: 'anonymous' } };
    return {
      ok: false,
      returnCode: 5,
      reason: `race ${options.raceId} is closed: connect with your player id and invitation`,
    };
  }
  const verdict = request.password === undefined ? false : check(playerId, request.password);
  if (verdict === false)
    return {
      ok: false,
      returnCode: request.password === undefined ? 5 : 4,
      reason: `${request.password === undefined ? 'no' : 'wrong'} credential for player "${playerId}" in race ${options.raceId}`,
    };
  if (will && will.playerId !== playerId)
    return {
      ok: false,
      returnCode: 5,
      reason: `the last will names player "${will.playerId}", the credential is for "${playerId}"`,
    };
  return {
    ok: true,
    principal: { kind: verdict === 'spectator' ? 'spectator' : kind, playerId, verified: true },
  };
}

/**
 * The race's access rules on its embedded hub: the table of {@link decideAccess} (only the host,
 * logged in with its token, publishes `state`, `control`, `ranking`, `pong` and `flags` and
 * retains; topics of other races or outside gw2race are refused), plus what binds a connection
 * to a player:
 * - a client bound to a player (its last will names it, or its credential proves it) is the only
 *   connection of that player: a second one is refused at CONNECT while the first is connected,
 *   so it neither fights the first for the positions nor announces the first one's disconnection
 *   with its will; only that client sends the player's positions;
 * - an anonymous client of an open race that sends positions for a player is bound to that
 *   player for as long as it is connected (the connection, not its client id).
 */
export function createRaceAccess(options: RaceAccessOptions): HubAccess {
  const chatTopic = buildTopic(options.raceId, 'chat');
  const context = {
    raceId: options.raceId,
    open: options.checkCredential === undefined,
    ...(options.rules ? { rules: options.rules } : {}),
  };
  /** The connection holding each player (bound at CONNECT or by its first position). */
  const holderOf = new Map<string, number>();
  /** What each anonymous connection sends positions for. */
  const boundPlayer = new Map<number, string>();
  const release = (playerId: string | undefined, key: number) => {
    if (playerId !== undefined && holderOf.get(playerId) === key) holderOf.delete(playerId);
  };
  return {
    authenticate: (request) => identify(request, options),
    admit(connection, replacing) {
      const playerId = playerOf(connection.principal);
      if (playerId === undefined) return undefined;
      const holder = holderOf.get(playerId);
      if (holder !== undefined && holder !== replacing?.key)
        return `player id "${playerId}" is already connected to race ${options.raceId}`;
      holderOf.set(playerId, connection.key);
      return undefined;
    },
    authorizePublish(connection, topic, retain, payload) {
      const { principal, clientId, key } = connection;
      const decision = decideAccess(
        { principal, action: 'write', topic, retain, clientId },
        context,
      );
      if (decision.allow && topic === chatTopic && principal.kind !== 'host')
        return chatSender(principal, topic, payload) ?? decision;
      if (!decision.allow || !topic.includes('/pos/') || principal.kind !== 'anonymous')
        return decision;
      return bindPositions(key, topic.slice(topic.lastIndexOf('/') + 1)) ?? decision;
    },
    authorizeSubscribe(connection, filter) {
      const { principal, clientId } = connection;
      return decideAccess({ principal, action: 'read', topic: filter, clientId }, context);
    },
    disconnected(connection) {
      release(playerOf(connection.principal), connection.key);
      release(boundPlayer.get(connection.key), connection.key);
      boundPlayer.delete(connection.key);
    },
  };

  function bindPositions(key: number, playerId: string) {
    const bound = boundPlayer.get(key);
    if (bound !== undefined && bound !== playerId)
      return refuse(`this connection sends positions for ${bound}, not ${playerId}`);
    const holder = holderOf.get(playerId);
    if (holder !== undefined && holder !== key)
      return refuse(`another connection already sends positions for ${playerId}`);
    boundPlayer.set(key, playerId);
    holderOf.set(playerId, key);
    return undefined;
  }
}

/**
 * A chat must name its sender, and only as the player its connection is bound to: nobody else can
 * speak as another racer, or as nobody (which screens once showed as the organizer).
 */
function chatSender(principal: Principal, topic: string, payload: Uint8Array | undefined) {
  const player = playerOf(principal);
  if (player === undefined) return refuse(`${describePrincipal(principal)} may not chat`);
  if (payload === undefined) return undefined;
  const decoded = decodeTopicMessage(topic, payload);
  if (!decoded.ok || decoded.value.kind !== 'chat') return undefined;
  const from = decoded.value.message.from;
  return from === player
    ? undefined
    : refuse(
        `a chat from player "${player}" must say "from": "${player}", not ${from === undefined ? 'nothing' : `"${from}"`}`,
      );
}

function refuse(reason: string) {
  return { allow: false, reason } as const;
}
