import { type Channel, ROLE_TOPICS, TOPIC_SETTINGS, topicFilter } from '@gw2race/protocol';

/**
 * The host's subscriptions, from protocol's `ROLE_TOPICS.host`: filter → QoS. With
 * `positionsPerPlayer`, the `pos` wildcard is left out (the caller subscribes each racer's
 * stream on its `follow` effect, spread over connections).
 */
export function hostSubscriptions(
  raceId: string,
  options: { positionsPerPlayer?: boolean } = {},
): Record<string, { qos: 0 | 1 | 2 }> {
  const out: Record<string, { qos: 0 | 1 | 2 }> = {};
  for (const channel of ROLE_TOPICS.host.subscribe as readonly Channel[]) {
    if (channel === 'pos' && options.positionsPerPlayer === true) continue;
    out[topicFilter(raceId, channel)] = { qos: TOPIC_SETTINGS[channel].qos };
  }
  return out;
}
