import { type EncodeOptions, encodeMessage } from './codec';
import { ProtocolError } from './errors';
import type { MessageKind, MessageOf } from './messages/registry';
import { err, ok, type Result } from './result';
import { attachSignature, signedBytes, splitSignature } from './signature';

/**
 * HMAC-SHA256 computed at once, e.g. Node's
 * `(key, data) => createHmac('sha256', key).update(data).digest()`. The protocol package opens
 * nothing of the platform: the caller provides it.
 */
export type HmacSha256 = (key: Uint8Array, data: Uint8Array) => Uint8Array;

/**
 * The README's signature scheme without promises: for a sender that must publish in order (an
 * awaited WebCrypto call per message lets a later message overtake an earlier one) and a receiver
 * that must judge messages in the order they arrived. Same bytes as {@link signMessage} and
 * {@link verifyMessage}.
 */
export interface SyncSigning {
  /** `HMAC-SHA256(raceKey, "gw2race/v1/player/" + playerId)`, like {@link derivePlayerKey}. */
  derivePlayerKey(raceKey: Uint8Array, playerId: string): Uint8Array;
  /** The payload to publish: `message` (encoded, its `seq` set) with its signature for `topic`. */
  sign(topic: string, message: Uint8Array, key: Uint8Array): Uint8Array;
  /** Encodes `message` with `seq` and signs it, like {@link encodeSignedMessage}. */
  encodeSigned<K extends MessageKind>(
    kind: K,
    topic: string,
    message: MessageOf<K>,
    seq: number,
    key: Uint8Array,
    options?: EncodeOptions,
  ): Uint8Array;
  /** True when `mac` is the signature of `message` (without its signature) on `topic`. */
  matches(topic: string, message: Uint8Array, mac: Uint8Array, key: Uint8Array): boolean;
  /** The message bytes without the signature, or `MISSING_SIGNATURE` / `BAD_SIGNATURE`. */
  verify(topic: string, payload: Uint8Array, key: Uint8Array): Result<Uint8Array, ProtocolError>;
}

const textEncoder = new TextEncoder();

/** Compares two MACs in time that does not depend on where they differ. */
function equalMacs(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/**
 * Creates the synchronous signer and verifier over a platform's HMAC-SHA256.
 *
 * @example
 * import { createHmac } from 'node:crypto';
 * const signing = createSyncSigning((key, data) => createHmac('sha256', key).update(data).digest());
 * const payload = signing.encodeSigned('pos', topic, pos, seq, playerKey);
 */
export function createSyncSigning(hmac: HmacSha256): SyncSigning {
  const macOf = (topic: string, message: Uint8Array, key: Uint8Array) => {
    if (key.byteLength === 0) throw new RangeError('a signing key cannot be empty');
    return hmac(key, signedBytes(topic, message));
  };
  const signing: SyncSigning = {
    derivePlayerKey(raceKey, playerId) {
      if (raceKey.byteLength === 0) throw new RangeError('a race key cannot be empty');
      return new Uint8Array(hmac(raceKey, textEncoder.encode(`gw2race/v1/player/${playerId}`)));
    },
    sign: (topic, message, key) => attachSignature(message, macOf(topic, message, key)),
    encodeSigned(kind, topic, message, seq, key, options = {}) {
      const { sig: _ignored, ...unsigned } = message as MessageOf<typeof kind> & { sig?: string };
      const numbered = { ...unsigned, seq } as MessageOf<typeof kind>;
      return signing.sign(topic, encodeMessage(kind, numbered, options), key);
    },
    matches: (topic, message, mac, key) => equalMacs(macOf(topic, message, key), mac),
    verify(topic, payload, key) {
      const { message, mac } = splitSignature(payload);
      if (!mac)
        return err(new ProtocolError('MISSING_SIGNATURE', `message on ${topic} is not signed`));
      if (!signing.matches(topic, message, mac, key))
        return err(
          new ProtocolError('BAD_SIGNATURE', `signature of the message on ${topic} does not match`),
        );
      return ok(message);
    },
  };
  return signing;
}
