import type { Client, PublishPacket, Subscription } from 'aedes';
import type { HubAccess, HubConnection } from './hub-access';
import type { HubLimitEvent, HubStats } from './hub-stats';
import {
  channelOf,
  createRateLimiter,
  type HubLimits,
  payloadRefusal,
  type RateLimiter,
} from './limits';
import { samePrincipal } from './principal';

/** What the hub keeps per admitted connection. */
interface ConnectionState {
  readonly client: Client;
  readonly connection: HubConnection;
  readonly limiter: RateLimiter;
  throttleReported: boolean;
  slow: boolean;
}

/** What the hooks need from the hub. */
export interface HookOptions {
  readonly access: HubAccess;
  readonly limits: HubLimits;
  readonly stats: HubStats;
  /** Monotonic ms, for the rate limits. */
  readonly now: () => number;
  /** Topic a dropped publish is rerouted to: nothing is ever forwarded from it. */
  readonly dropTopic: string;
  readonly onRefused?: (clientId: string, topic: string, reason: string) => void;
  readonly onRefusedClient?: (clientId: string, reason: string) => void;
  readonly onLimit?: (event: HubLimitEvent) => void;
}

type AuthCallback = (
  error: (Error & { returnCode?: number }) | null,
  success: boolean | null,
) => void;

function refusal(returnCode: number, reason: string): Error & { returnCode: number } {
  return Object.assign(new Error(reason), { returnCode });
}

/**
 * The aedes hooks of the hub: access at CONNECT (with the client-id takeover rule), publish
 * (rate, size, access: a refused publish is dropped and the connection kept, as Mosquitto does),
 * subscribe, and forward (the per-client backlog bound).
 */
export function createHooks(options: HookOptions) {
  const { access, limits, stats } = options;
  const states = new WeakMap<Client, ConnectionState>();
  const owners = new Map<string, ConnectionState>();
  let nextKey = 1;

  function authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    callback: AuthCallback,
  ) {
    const will = (client as Client & { _will?: { topic: string; payload: Buffer } })._will;
    const verdict = access.authenticate({
      clientId: client.id,
      username,
      password: password === undefined ? undefined : Buffer.from(password).toString('utf8'),
      will: will ? { topic: will.topic, payload: new Uint8Array(will.payload) } : undefined,
    });
    const refuse = (code: number, reason: string) => {
      stats.refusedConnections++;
      options.onRefusedClient?.(client.id, reason);
      callback(refusal(code, reason), false);
    };
    if (!verdict.ok) return refuse(verdict.returnCode, verdict.reason);
    const previous = owners.get(client.id);
    const replacing = previous && !previous.client.closed ? previous : undefined;
    if (replacing && !samePrincipal(replacing.connection.principal, verdict.principal))
      return refuse(2, `client id "${client.id}" is in use by another connection`);
    const connection: HubConnection = {
      key: nextKey++,
      clientId: client.id,
      principal: verdict.principal,
    };
    const reason = access.admit?.(connection, replacing?.connection);
    if (reason !== undefined) return refuse(2, reason);
    const state: ConnectionState = {
      client,
      connection,
      limiter: createRateLimiter(limits),
      throttleReported: false,
      slow: false,
    };
    states.set(client, state);
    owners.set(client.id, state);
    callback(null, true);
  }

  /** Why this publish is dropped, or undefined to let it through. */
  function check(state: ConnectionState, packet: PublishPacket): string | undefined {
    const { connection } = state;
    const topic = packet.topic;
    if (
      connection.principal.kind !== 'host' &&
      !state.limiter.take(channelOf(topic), options.now())
    ) {
      stats.throttled++;
      if (!state.throttleReported) {
        state.throttleReported = true;
        options.onLimit?.({
          kind: 'throttled',
          clientId: connection.clientId,
          detail: `publishing faster than the hub allows (first on ${topic}); the excess is dropped`,
        });
      }
      return '';
    }
    const tooBig = payloadRefusal(topic, packet.payload.length);
    if (tooBig !== undefined) return tooBig;
    const decision = access.authorizePublish(
      connection,
      topic,
      packet.retain,
      typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
    );
    return decision.allow ? undefined : decision.reason;
  }

  function authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    callback: (error?: Error | null) => void,
  ) {
    // aedes passes no client for a will left by a connection of an earlier run: nobody's now.
    const state = client ? states.get(client) : undefined;
    const reason = state ? check(state, packet) : client ? 'not connected' : undefined;
    if (reason !== undefined) {
      if (reason !== '') {
        stats.refusedPublishes++;
        options.onRefused?.(client?.id ?? '', packet.topic, reason);
      }
      packet.topic = options.dropTopic;
      packet.retain = false;
    }
    callback(null);
  }

  function authorizeSubscribe(
    client: Client | null,
    subscription: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ) {
    const state = client ? states.get(client) : undefined;
    if (!state) return callback(null, null);
    const decision = access.authorizeSubscribe(state.connection, subscription.topic);
    if (decision.allow) return callback(null, subscription);
    stats.refusedSubscriptions++;
    options.onRefused?.(state.connection.clientId, subscription.topic, decision.reason);
    callback(null, null);
  }

  function authorizeForward(client: Client, packet: PublishPacket) {
    if (packet.topic === options.dropTopic) return null;
    const backlog = (client.conn as { writableLength?: number }).writableLength ?? 0;
    if (backlog > limits.maxBufferedBytes) {
      const state = states.get(client);
      if (state && !state.slow) {
        state.slow = true;
        stats.slowClients++;
        options.onLimit?.({
          kind: 'slow-client',
          clientId: client.id,
          detail: `${backlog} bytes waiting for it (limit ${limits.maxBufferedBytes}): disconnected`,
        });
        (client.conn as { destroy(): void }).destroy();
      }
      return null;
    }
    if (packet.qos === 0 && backlog > limits.maxQueuedBytes) {
      stats.queueDrops++;
      return null;
    }
    return packet;
  }

  function disconnected(client: Client) {
    const state = states.get(client);
    if (!state) return;
    states.delete(client);
    if (owners.get(client.id) === state) owners.delete(client.id);
    access.disconnected?.(state.connection);
  }

  return { authenticate, authorizePublish, authorizeSubscribe, authorizeForward, disconnected };
}
