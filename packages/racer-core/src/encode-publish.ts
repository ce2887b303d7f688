import { encodeMessage } from '@gw2race/protocol';
import type { PublishEffect } from './racer-effect';

/**
 * The payload of a publish effect, encoded with its codec (the protocol's `encodeMessage`).
 *
 * @example
 * if (effect.type === 'publish')
 *   client.publish(effect.topic, encodePublish(effect), { qos: effect.qos });
 */
export function encodePublish(effect: PublishEffect): Uint8Array {
  return encodeMessage(effect.kind, effect.message as never, { codec: effect.codec });
}
