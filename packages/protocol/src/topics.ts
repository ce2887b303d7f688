import { ProtocolError } from './errors';
import { assertId, parseId } from './ids';
import { err, ok, type Result } from './result';

/** First level of every gw2race topic. */
export const TOPIC_ROOT = 'race';

/**
 * How each channel travels through the hub. Apps read this table instead of deciding QoS,
 * retain and offline queuing themselves.
 */
export const TOPIC_SETTINGS = {
  /** Race metadata (track, checkpoints, t0, participants). Retained so late joiners get it at once. */
  state: {
    kind: 'state',
    publisher: 'host',
    perPlayer: false,
    qos: 1,
    retain: true,
    queueOffline: true,
  },
  /** Organizer commands: SYNC_T0, START, PAUSE, RESUME, ABORT, END, MSG, RULING. */
  control: {
    kind: 'control',
    publisher: 'host',
    perPlayer: false,
    qos: 1,
    retain: false,
    queueOffline: true,
  },
  /** Join, ready, heartbeat (1 Hz), leave; the client's LWT (`lastWill()`) publishes `disconnected` here. */
  presence: {
    kind: 'presence',
    publisher: 'client',
    perPlayer: false,
    qos: 1,
    retain: false,
    queueOffline: false,
  },
  /** Checkpoint crossings a racer's client detected (the host re-judges them). */
  checkpoints: {
    kind: 'checkpoint',
    publisher: 'racer',
    perPlayer: false,
    qos: 1,
    retain: false,
    queueOffline: true,
  },
  /** The 10 Hz position stream, one topic per racer. Never queued offline: a stale position is worse than none. */
  pos: {
    kind: 'pos',
    publisher: 'racer',
    perPlayer: true,
    qos: 0,
    retain: false,
    queueOffline: false,
  },
  /** Live ranking, published by the host on every change and at a steady low rate. Retained for late joiners. */
  ranking: {
    kind: 'ranking',
    publisher: 'host',
    perPlayer: false,
    qos: 1,
    retain: true,
    queueOffline: true,
  },
  /** Optional room chat. */
  chat: {
    kind: 'chat',
    publisher: 'any',
    perPlayer: false,
    qos: 1,
    retain: false,
    queueOffline: true,
  },
  /** Clock/latency probes from clients to the host. QoS 0: a retransmitted probe would be a wrong sample. */
  ping: {
    kind: 'ping',
    publisher: 'client',
    perPlayer: false,
    qos: 0,
    retain: false,
    queueOffline: false,
  },
  /** The host's answers to `ping`, one topic per player. */
  pong: {
    kind: 'pong',
    publisher: 'host',
    perPlayer: true,
    qos: 0,
    retain: false,
    queueOffline: false,
  },
  /** Suspicious events the host raised, for the organizer's review. */
  flags: {
    kind: 'flag',
    publisher: 'host',
    perPlayer: false,
    qos: 1,
    retain: false,
    queueOffline: true,
  },
  /**
   * A client without the race state asks for it again (the host answers on `state` and
   * `ranking`, at most once a second). QoS 0: a lost request is repeated, a queued one is stale.
   */
  request: {
    kind: 'request',
    publisher: 'client',
    perPlayer: false,
    qos: 0,
    retain: false,
    queueOffline: false,
  },
} as const;

/** A topic channel: the third level of `race/{raceId}/{channel}`. */
export type Channel = keyof typeof TOPIC_SETTINGS;

/** All channels, in documentation order. */
export const CHANNELS = Object.keys(TOPIC_SETTINGS) as Channel[];

/** Channels whose topic ends with `/{playerId}`. */
export type PlayerChannel = {
  [C in Channel]: (typeof TOPIC_SETTINGS)[C]['perPlayer'] extends true ? C : never;
}[Channel];

/** A topic split into its parts. */
export interface ParsedTopic {
  readonly raceId: string;
  readonly channel: Channel;
  /** Set for per-player channels (`pos`, `pong`). */
  readonly playerId?: string;
}

/** Longest topic we accept, in characters (MQTT allows 65535; ours are far shorter). */
export const MAX_TOPIC_LENGTH = 256;

function isChannel(value: string): value is Channel {
  return Object.hasOwn(TOPIC_SETTINGS, value);
}

/**
 * Builds a topic. Ids are checked; a bad id throws a {@link ProtocolError} that says what is wrong.
 *
 * @example
 * buildTopic('abc123', 'state'); // 'race/abc123/state'
 * buildTopic('abc123', 'pos', 'p1'); // 'race/abc123/pos/p1'
 */
export function buildTopic(raceId: string, channel: Exclude<Channel, PlayerChannel>): string;
export function buildTopic(raceId: string, channel: PlayerChannel, playerId: string): string;
export function buildTopic(raceId: string, channel: Channel, playerId?: string): string {
  assertId('race id', raceId);
  // Not `TOPIC_SETTINGS[channel]`: that finds `constructor`, `toString`, ... on the prototype.
  if (!isChannel(channel))
    throw new ProtocolError('INVALID_TOPIC', `unknown channel ${JSON.stringify(channel)}`);
  if (TOPIC_SETTINGS[channel].perPlayer) {
    if (playerId === undefined) {
      throw new ProtocolError('INVALID_TOPIC', `the ${channel} channel needs a player id`);
    }
    return `${TOPIC_ROOT}/${raceId}/${channel}/${assertId('player id', playerId)}`;
  }
  return `${TOPIC_ROOT}/${raceId}/${channel}`;
}

/**
 * A subscription filter: every topic of a race, one channel, or one per-player channel for all players.
 *
 * @example
 * topicFilter('abc123'); // 'race/abc123/#'
 * topicFilter('abc123', 'pos'); // 'race/abc123/pos/+'
 */
export function topicFilter(raceId: string, channel?: Channel): string {
  assertId('race id', raceId);
  if (channel === undefined) return `${TOPIC_ROOT}/${raceId}/#`;
  if (!isChannel(channel))
    throw new ProtocolError('INVALID_TOPIC', `unknown channel ${JSON.stringify(channel)}`);
  return TOPIC_SETTINGS[channel].perPlayer
    ? `${TOPIC_ROOT}/${raceId}/${channel}/+`
    : `${TOPIC_ROOT}/${raceId}/${channel}`;
}

/**
 * Splits an incoming topic into race id, channel and player id. Never throws: hostile topics
 * (wildcards, extra levels, unknown channels, bad ids) give a failed {@link Result}.
 */
export function parseTopic(topic: unknown): Result<ParsedTopic, ProtocolError> {
  if (typeof topic !== 'string') {
    return err(new ProtocolError('INVALID_TOPIC', `topic must be a string, got ${typeof topic}`));
  }
  if (topic.length > MAX_TOPIC_LENGTH) {
    return err(
      new ProtocolError(
        'INVALID_TOPIC',
        `topic is ${topic.length} characters (at most ${MAX_TOPIC_LENGTH})`,
      ),
    );
  }
  const shown = JSON.stringify(topic);
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 3) {
    return err(
      new ProtocolError(
        'INVALID_TOPIC',
        `topic ${shown} is not of the form race/{raceId}/{channel}`,
      ),
    );
  }
  const raceId = parseId('race id', parts[1]);
  if (!raceId.ok)
    return err(new ProtocolError('INVALID_TOPIC', `topic ${shown}: ${raceId.error.message}`));
  const channel = parts[2] as string;
  if (!isChannel(channel)) {
    return err(
      new ProtocolError(
        'INVALID_TOPIC',
        `topic ${shown}: unknown channel ${JSON.stringify(channel)}`,
      ),
    );
  }
  if (TOPIC_SETTINGS[channel].perPlayer) {
    if (parts.length !== 4) {
      return err(
        new ProtocolError(
          'INVALID_TOPIC',
          `topic ${shown}: the ${channel} channel is race/{raceId}/${channel}/{playerId}`,
        ),
      );
    }
    const playerId = parseId('player id', parts[3]);
    if (!playerId.ok) {
      return err(new ProtocolError('INVALID_TOPIC', `topic ${shown}: ${playerId.error.message}`));
    }
    return ok({ raceId: raceId.value, channel, playerId: playerId.value });
  }
  if (parts.length !== 3) {
    return err(
      new ProtocolError(
        'INVALID_TOPIC',
        `topic ${shown}: the ${channel} channel has no sub-topics`,
      ),
    );
  }
  return ok({ raceId: raceId.value, channel });
}

/** Who connects to the hub, and which topics each of them subscribes to and publishes. */
export const ROLE_TOPICS = {
  /** The organizer's host: the authority. */
  host: {
    subscribe: ['presence', 'checkpoints', 'pos', 'ping', 'chat', 'request'],
    publish: ['state', 'control', 'ranking', 'pong', 'flags', 'chat'],
  },
  /** A racer's client. */
  racer: {
    subscribe: ['state', 'control', 'ranking', 'pong', 'chat'],
    publish: ['presence', 'pos', 'checkpoints', 'ping', 'chat', 'request'],
  },
  /** A spectator (also the web viewer): reads everything public, sends presence, pings and requests. */
  spectator: {
    subscribe: ['state', 'control', 'ranking', 'pos', 'flags', 'chat', 'presence', 'pong'],
    publish: ['presence', 'ping', 'request'],
  },
} as const satisfies Record<string, { subscribe: readonly Channel[]; publish: readonly Channel[] }>;
