import { type Codec, encodeMessage } from './codec';
import { assertId } from './ids';
import type { PresenceMessage } from './messages/presence';
import { buildTopic, TOPIC_SETTINGS } from './topics';

/** Options of {@link lastWill}. */
export interface LastWillOptions {
  /** Whether the client races or watches; copied into the will so the host knows who dropped. */
  mode?: 'racer' | 'spectator';
  /** Encoding of the payload: `json` (default) or `msgpack`. */
  codec?: Codec;
}

/** An MQTT last will, ready for the client's connect options (mqtt.js `will`, MQTTnet, paho). */
export interface LastWill {
  /** `race/{raceId}/presence`. */
  readonly topic: string;
  /** The encoded presence message `{"playerId":…,"event":"disconnected"}`. */
  readonly payload: Uint8Array;
  /** {@link TOPIC_SETTINGS}`.presence.qos`: 1. */
  readonly qos: (typeof TOPIC_SETTINGS)['presence']['qos'];
  /** {@link TOPIC_SETTINGS}`.presence.retain`: never retained. */
  readonly retain: (typeof TOPIC_SETTINGS)['presence']['retain'];
}

/**
 * The last will every racer and spectator sets when it connects: the hub publishes it on the
 * race's presence topic if the client drops without saying `leave`. Topic, payload, QoS and retain
 * come from the contract, so apps do not re-decide them. Ids are checked; a bad one throws a
 * `ProtocolError` (`INVALID_ID`).
 *
 * The will is not signed and carries no `seq`: it is made at connect time, so any number it held
 * would be lower than those of the messages sent after it and would look like a replay.
 *
 * @example
 * const will = lastWill('abc123', 'p1', { mode: 'racer' });
 * mqtt.connect(url, { will: { ...will, payload: Buffer.from(will.payload) } });
 * // will.topic === 'race/abc123/presence', will.qos === 1, will.retain === false
 */
export function lastWill(
  raceId: string,
  playerId: string,
  options: LastWillOptions = {},
): LastWill {
  const topic = buildTopic(raceId, 'presence');
  assertId('player id', playerId);
  const message: PresenceMessage = {
    playerId,
    event: 'disconnected',
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  };
  const codec = options.codec ?? 'json';
  return {
    topic,
    payload: encodeMessage('presence', message, { codec }),
    qos: TOPIC_SETTINGS.presence.qos,
    retain: TOPIC_SETTINGS.presence.retain,
  };
}
