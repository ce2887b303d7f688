import {
  buildTopic,
  type Channel,
  type PlayerChannel,
  ROLE_TOPICS,
  TOPIC_SETTINGS,
} from '@gw2race/protocol';

/** The channels a racer's client reads: the protocol's {@link ROLE_TOPICS}`.racer.subscribe`. */
export const RACER_CHANNELS: readonly Channel[] = ROLE_TOPICS.racer.subscribe;

/**
 * The topics a racer's client subscribes to, with their QoS, as mqtt.js's `subscribe` takes
 * them: the racer role's channels of {@link ROLE_TOPICS}, a per-player channel (`pong`) for this
 * player only, each at its {@link TOPIC_SETTINGS} QoS. A spectator started from the racer's
 * client reads the same (its screen shows no more than a racer's).
 *
 * @example
 * await client.subscribeAsync(racerSubscriptions('abc123', 'p1'));
 * // { 'race/abc123/state': { qos: 1 }, …, 'race/abc123/pong/p1': { qos: 0 } }
 */
export function racerSubscriptions(
  raceId: string,
  playerId: string,
): Record<string, { qos: 0 | 1 }> {
  const topics: Record<string, { qos: 0 | 1 }> = {};
  for (const channel of RACER_CHANNELS) {
    const topic = TOPIC_SETTINGS[channel].perPlayer
      ? buildTopic(raceId, channel as PlayerChannel, playerId)
      : buildTopic(raceId, channel as Exclude<Channel, PlayerChannel>);
    topics[topic] = { qos: TOPIC_SETTINGS[channel].qos };
  }
  return topics;
}
