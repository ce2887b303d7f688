import type {
  Channel,
  CheckpointMessage,
  Codec,
  MessageKind,
  MessageOf,
  Track,
} from '@gw2race/protocol';
import type { Crossing } from '@gw2race/race-engine';
import type { Note } from './control-note';
import type { GameSample } from './game-sample';

/** The hub connection as mqtt.js reports it. */
export type HubStatus = 'online' | 'offline' | 'reconnecting';

/** One message to publish, with how the protocol says it travels. */
export type PublishEffect = {
  [K in MessageKind]: {
    readonly type: 'publish';
    readonly kind: K;
    /** The channel of `topic` (no need to parse it back). */
    readonly channel: Channel;
    readonly topic: string;
    readonly message: MessageOf<K>;
    /** MQTT QoS, from `TOPIC_SETTINGS`. */
    readonly qos: 0 | 1;
    /**
     * Whether the transport may queue it while disconnected (`TOPIC_SETTINGS`): when false and
     * the connection is down, drop it instead (a stale heartbeat or position is worse than none).
     */
    readonly queueOffline: boolean;
    /** How to encode it. */
    readonly codec: Codec;
    /** Sign it with the player key (a closed race: the message already carries its `seq`). */
    readonly sign: boolean;
  };
}[MessageKind];

/**
 * What the core asks its adapter to do. Nothing is done by the core itself: the adapter
 * publishes, shows, starts a simulation or leaves.
 */
export type RacerEffect =
  | PublishEffect
  /** A line for the racer's screen. */
  | ({ readonly type: 'note' } & Note)
  /** A new course is known (the race state's checkpoints changed): e.g. start a bot on it. */
  | { readonly type: 'course'; readonly track: Track }
  /**
   * The racer crossed a checkpoint (its report is also published): where deltas against a best
   * or the leader hook in.
   */
  | { readonly type: 'crossing'; readonly crossing: Crossing; readonly message: CheckpointMessage }
  /**
   * The race is over for this client. Leave after `leaveAfterMs` (time for the final ranking to
   * arrive), unless told to stay, or unless `awaitNext`: the race is one of a tournament, so wait
   * for its standing and for `next-race`.
   */
  | {
      readonly type: 'ended';
      readonly reason: string;
      readonly leaveAfterMs: number;
      readonly awaitNext?: true;
    }
  /**
   * The tournament goes on in race `raceId` (control `NEXT_RACE`): follow there (a new
   * connection with that race's will, a core for that race). `raceId` undefined: the tournament
   * is over; leave. `name`: what the next race is called, when the host says (e.g. "Final").
   */
  | { readonly type: 'next-race'; readonly raceId: string | undefined; readonly name?: string };

/** What happens to a racer core, in the order it happens. */
export type RacerInput<S extends GameSample = GameSample> =
  /** The hub connection changed (the first `online` is the connection, later ones reconnects). */
  | { readonly type: 'hub'; readonly status: HubStatus }
  /**
   * A message arrived from the hub, undecoded. `at` is the monotonic instant it arrived, ms
   * (default: the core's clock now); the closer to the wire, the tighter a pong's bound.
   */
  | {
      readonly type: 'message';
      readonly topic: string;
      readonly payload: Uint8Array | string;
      readonly at?: number;
    }
  /** The race exists (its state arrived): announce the client, start pinging and sending. */
  | { readonly type: 'begin' }
  /** A new game sample from the telemetry reader. */
  | { readonly type: 'sample'; readonly sample: S }
  /** The telemetry reader's status changed. */
  | { readonly type: 'game'; readonly status: 'live' | 'stale' | 'absent' }
  /** Time passed: do what is due (see {@link RacerCore.nextWakeAt}). */
  | { readonly type: 'tick' }
  /** The client is leaving: say so. */
  | { readonly type: 'leave' };
