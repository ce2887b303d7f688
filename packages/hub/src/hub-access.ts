import type { AccessDecision } from './access-table';
import type { Principal } from './principal';

/** What a client says at CONNECT. */
export interface ConnectRequest {
  readonly clientId: string;
  readonly username: string | undefined;
  /** The password, as UTF-8 text. */
  readonly password: string | undefined;
  /** Its last will, if any (gw2race clients name their player there). */
  readonly will: { readonly topic: string; readonly payload: Uint8Array } | undefined;
}

/**
 * The answer to a CONNECT: who the client is, or a refusal with the MQTT 3.1.1 CONNACK code
 * (2 identifier rejected, 4 bad user name or password, 5 not authorized) and a reason for logs.
 */
export type ConnectVerdict =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly returnCode: 2 | 4 | 5; readonly reason: string };

/** An admitted connection, as the access rules see it. */
export interface HubConnection {
  /** Unique per connection (a reconnect with the same client id is another connection). */
  readonly key: number;
  readonly clientId: string;
  readonly principal: Principal;
}

/**
 * The hub's access rules, shaped like aedes' hooks but synchronous and typed: `authenticate` at
 * CONNECT, `admit` once the hub has checked a client-id takeover, `authorizePublish` and
 * `authorizeSubscribe` for each request, `disconnected` when a connection is gone.
 */
export interface HubAccess {
  /** Who the client is, or why it is refused. */
  authenticate(request: ConnectRequest): ConnectVerdict;
  /**
   * Called for an authenticated connection before it is registered; return a reason to refuse it
   * with CONNACK 2 (e.g. its player is already connected elsewhere). `replacing` is the connection
   * with the same client id it takes over (the same principal), if any.
   */
  admit?(connection: HubConnection, replacing: HubConnection | undefined): string | undefined;
  /** May this connection publish on `topic` (with the retain flag and this payload)? */
  authorizePublish(
    connection: HubConnection,
    topic: string,
    retain: boolean,
    payload?: Uint8Array,
  ): AccessDecision;
  /** May this connection subscribe to `filter`? */
  authorizeSubscribe(connection: HubConnection, filter: string): AccessDecision;
  /** The connection is gone (forget what was bound to it). */
  disconnected?(connection: HubConnection): void;
}

/**
 * Access for a hub that is not a race's (a test, a generic relay): everyone is anonymous and may
 * publish and subscribe anywhere except `$SYS`.
 */
export function createOpenAccess(): HubAccess {
  const allow: AccessDecision = {
    allow: true,
    rule: { who: ['anonymous'], access: 'readwrite', topic: '#', retain: true },
  };
  const sys = (topic: string): AccessDecision =>
    topic.startsWith('$')
      ? { allow: false, reason: `${topic.split('/')[0]} topics are only for the host` }
      : allow;
  return {
    authenticate: () => ({ ok: true, principal: { kind: 'anonymous' } }),
    authorizePublish: (_connection, topic) => sys(topic),
    authorizeSubscribe: (_connection, filter) => sys(filter),
  };
}
