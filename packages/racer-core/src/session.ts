import {
  type Clock,
  createOffsetEstimator,
  createPingSync,
  type OffsetEstimator,
  type PingSync,
  systemClock,
} from '@gw2race/clock-sync';
import {
  buildTopic,
  type CheckpointMessage,
  type Codec,
  type MessageKind,
  type MessageOf,
  type PresenceEvent,
  TOPIC_SETTINGS,
} from '@gw2race/protocol';
import type { CrossingDetector } from '@gw2race/race-engine';
import { type CheckpointOutbox, createCheckpointOutbox } from './checkpoint-outbox';
import type { Note } from './control-note';
import { RacerCoreError } from './errors';
import type { GameSample } from './game-sample';
import { presenceStatus } from './presence-status';
import type { PublishEffect, RacerEffect } from './racer-effect';
import type { RacerCoreOptions, RacerView } from './racer-view';
import type { SampleStamp } from './stamp-sample';

/** The view, writable inside the core. */
export type MutableView<S extends GameSample> = {
  -readonly [K in keyof RacerView<S>]: RacerView<S>[K];
};

/** Channels the client publishes on. */
type OwnChannel = 'presence' | 'checkpoints' | 'pos' | 'ping' | 'request';

/** Everything one racer core holds; the input handlers read and update it. */
export interface Session<S extends GameSample> {
  readonly options: RacerCoreOptions;
  readonly clock: Clock;
  readonly estimator: OffsetEstimator;
  readonly pingSync: PingSync;
  readonly view: MutableView<S>;
  readonly outbox: CheckpointOutbox;
  readonly topics: Readonly<Record<OwnChannel, string>>;
  readonly codec: Codec;
  readonly positionEveryMs: number;
  /** The effects of the input being handled. */
  out: RacerEffect[] | undefined;
  /** The race as the host describes it, and this racer's progress in it. */
  readonly race: {
    detector: CrossingDetector | undefined;
    trackKey: string;
    t0: number | null;
    startedAt: number | undefined;
    checkpointSeq: number;
  };
  /** A closed race's message counter (see `RacerCoreOptions.sign`), or undefined. */
  readonly numbering: { next: number } | undefined;
  /** The game samples, and what of them was sent. */
  readonly game: {
    last: S | undefined;
    x: number;
    y: number;
    z: number;
    sentTick: number | undefined;
    sentAt: number;
    /** Reused by every stamp: the per-sample path allocates little. */
    readonly stamp: SampleStamp;
  };
  /** When each periodic task is due next (monotonic ms). */
  readonly schedule: {
    connectedOnce: boolean;
    begun: boolean;
    pings: number;
    presenceAt: number;
    pingAt: number;
    positionAt: number;
    outboxAt: number;
    /** A state has come since the hub connection last came up. */
    stateSinceOnline: boolean;
    /** Requests for the state sent since then. */
    asks: number;
    /** When to ask for the state if none has come (monotonic ms). */
    askAt: number;
  };
}

/** Builds a session from validated options. */
export function createSession<S extends GameSample>(options: RacerCoreOptions): Session<S> {
  const { raceId, playerId } = options;
  const positionRate = options.positionRate ?? 10;
  if (!(positionRate >= 1 && positionRate <= 10))
    throw new RacerCoreError(
      'INVALID_OPTIONS',
      `positionRate must be 1 to 10, got ${positionRate}`,
    );
  const clock = options.clock ?? options.estimator?.clock ?? systemClock;
  const estimator = options.estimator ?? createOffsetEstimator({ clock });
  const isRacer = options.mode === 'racer';
  const session: Session<S> = {
    options,
    clock,
    estimator,
    pingSync: createPingSync({ playerId, estimator }),
    view: {
      hub: 'offline',
      state: undefined,
      clock: undefined,
      estimator,
      lastRttMs: undefined,
      game: isRacer ? (options.simulated ? 'simulated' : 'absent') : 'spectating',
      latest: null,
      ranking: undefined,
      crossings: 0,
      courseLength: undefined,
      course: undefined,
      unconfirmed: 0,
      paused: false,
      ended: undefined,
      standing: undefined,
      nextRace: undefined,
    },
    outbox: createCheckpointOutbox({
      send: (message: CheckpointMessage) => publish(session, 'checkpoint', 'checkpoints', message),
      online: () => session.view.hub === 'online',
      now: () => clock.monotonicMs(),
      giveUp: (message) =>
        note(
          session,
          `the host has not credited checkpoint ${message.cp}; it judges from your positions`,
          'warning',
        ),
    }),
    topics: {
      presence: buildTopic(raceId, 'presence'),
      checkpoints: buildTopic(raceId, 'checkpoints'),
      pos: buildTopic(raceId, 'pos', playerId),
      ping: buildTopic(raceId, 'ping'),
      request: buildTopic(raceId, 'request'),
    },
    codec: options.codec ?? 'msgpack',
    positionEveryMs: 1000 / positionRate,
    out: undefined,
    numbering: options.sign ? { next: Math.floor(clock.wallMs()) } : undefined,
    race: { detector: undefined, trackKey: '', t0: null, startedAt: undefined, checkpointSeq: 0 },
    game: {
      last: undefined,
      x: Number.NaN,
      y: Number.NaN,
      z: Number.NaN,
      sentTick: undefined,
      sentAt: Number.NEGATIVE_INFINITY,
      stamp: { t: 0, u: 0, halfWindowMs: 0 },
    },
    schedule: {
      connectedOnce: false,
      begun: false,
      pings: 0,
      presenceAt: Number.POSITIVE_INFINITY,
      pingAt: Number.POSITIVE_INFINITY,
      positionAt: Number.POSITIVE_INFINITY,
      outboxAt: Number.POSITIVE_INFINITY,
      stateSinceOnline: false,
      asks: 0,
      askAt: Number.POSITIVE_INFINITY,
    },
  };
  return session;
}

/** Adds an effect to the input's answer. */
export function emit(session: Session<GameSample>, effect: RacerEffect): void {
  session.out ??= [];
  session.out.push(effect);
}

/** A line for the racer's screen. */
export function note(
  session: Session<GameSample>,
  text: string,
  level: Note['level'] = 'info',
): void {
  emit(session, { type: 'note', text, level });
}

/**
 * Asks for a publish, dropping what the protocol says is never queued while offline (presence,
 * positions, pings): a queued heartbeat would burst out stale on reconnect. This is the one
 * place every outgoing message passes (where a `seq` and a signature would be added).
 */
export function publish<K extends MessageKind>(
  session: Session<GameSample>,
  kind: K,
  channel: OwnChannel,
  message: MessageOf<K>,
  codec: Codec = 'json',
): void {
  const settings = TOPIC_SETTINGS[channel];
  if (!settings.queueOffline && session.view.hub !== 'online') return;
  const numbered = session.numbering && (message as { seq?: number }).seq === undefined;
  emit(session, {
    type: 'publish',
    kind,
    channel,
    topic: session.topics[channel],
    message: numbered ? { ...message, seq: nextSeq(session) } : message,
    qos: settings.qos,
    queueOffline: settings.queueOffline,
    codec,
    sign: session.numbering !== undefined,
  } as PublishEffect);
}

/**
 * The next sequence number: a closed race's counter (one for every topic, so each topic's
 * numbers increase), else the checkpoint count of an open race (as before).
 */
export function nextSeq(session: Session<GameSample>): number {
  if (session.numbering) return session.numbering.next++;
  return session.race.checkpointSeq++;
}

/** Says who this client is and how ready. */
export function sendPresence(session: Session<GameSample>, event: PresenceEvent): void {
  const { options, view, race, estimator } = session;
  const game = view.game === 'spectating' ? undefined : view.game;
  const mapId = view.latest?.frame.context?.mapId;
  publish(session, 'presence', 'presence', {
    playerId: options.playerId,
    event,
    status: presenceStatus({
      mode: options.mode,
      ended: view.ended !== undefined,
      racing: race.t0 !== null && race.startedAt !== undefined,
      game: view.game,
      synced: estimator.estimate() !== undefined,
    }),
    name: options.name,
    mode: options.mode,
    clientClock: estimator.localNow() / 1000,
    ver: options.software,
    ...(game !== undefined ? { game } : {}),
    ...(mapId !== undefined ? { mapId } : {}),
  });
}
