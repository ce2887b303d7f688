import {
  type DecodeOptions,
  decodeTopicMessage,
  type EncodeOptions,
  encodeMessage,
  sniffCodec,
  type TopicMessage,
} from './codec';
import { ProtocolError } from './errors';
import { MAX_MESSAGE_BYTES, type MessageKind, type MessageOf } from './messages/registry';
import { err, ok, type Result } from './result';
import { parseTopic, TOPIC_SETTINGS } from './topics';

/**
 * Message signatures (see the README's "Signatures" for the byte-exact scheme).
 *
 * Signed bytes: UTF-8 topic, one `\n` (0x0A), then the message bytes without the signature.
 * MAC: HMAC-SHA256 with the sender's key.
 * JSON: the message must end with `}`; the signature travels as a last member
 * `,"sig":"<43 chars base64url, no padding>"` inserted before that `}`.
 * MessagePack: the 32-byte MAC follows the message as a `bin 8` value (0xC4 0x20 + MAC).
 */

const textEncoder = new TextEncoder();
const SIG_PREFIX = textEncoder.encode(',"sig":"');
const SIG_CHARS = 43;
const JSON_SIG_SUFFIX_LENGTH = SIG_PREFIX.byteLength + SIG_CHARS + 2; // ,"sig":"…"}
const MSGPACK_SIG_LENGTH = 34;
const BASE64URL = /^[A-Za-z0-9_-]{43}$/;

/** Bytes of an HMAC-SHA256 key, or a key already imported with {@link importSigningKey}. */
export type SigningKey = Uint8Array | CryptoKey;

function subtle(): SubtleCrypto {
  const webCrypto = globalThis.crypto;
  if (!webCrypto?.subtle) {
    throw new ProtocolError(
      'BAD_SIGNATURE',
      'WebCrypto (crypto.subtle) is not available: signatures need a secure context or Node 20+',
    );
  }
  return webCrypto.subtle;
}

/**
 * Imports raw key bytes once, so signing many messages does not import the key each time.
 * Throws a `RangeError` for an empty key (no HMAC key can be empty).
 */
export async function importSigningKey(key: Uint8Array): Promise<CryptoKey> {
  if (key.byteLength === 0) throw new RangeError('a signing key cannot be empty');
  return subtle().importKey(
    'raw',
    key as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

async function asCryptoKey(key: SigningKey): Promise<CryptoKey> {
  return key instanceof Uint8Array ? importSigningKey(key) : key;
}

/**
 * A player's key from the race key the organizer created:
 * `HMAC-SHA256(raceKey, UTF-8("gw2race/v1/player/" + playerId))`, 32 bytes.
 */
export async function derivePlayerKey(raceKey: Uint8Array, playerId: string): Promise<Uint8Array> {
  const key = await importSigningKey(raceKey);
  const mac = await subtle().sign('HMAC', key, textEncoder.encode(`gw2race/v1/player/${playerId}`));
  return new Uint8Array(mac);
}

/** @internal The bytes a MAC covers: UTF-8 topic, a newline, the message. */
export function signedBytes(topic: string, message: Uint8Array): Uint8Array<ArrayBuffer> {
  const topicBytes = textEncoder.encode(topic);
  const out = new Uint8Array(topicBytes.byteLength + 1 + message.byteLength);
  out.set(topicBytes, 0);
  out[topicBytes.byteLength] = 0x0a;
  out.set(message, topicBytes.byteLength + 1);
  return out;
}

/** base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of {@link encodeBase64Url}; `undefined` for text that is not base64url. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(
    text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4),
  );
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Signs an encoded message (JSON or MessagePack, as {@link encodeMessage} made it, with its `seq`
 * already set) for a topic, and returns the bytes to publish.
 */
export async function signMessage(
  topic: string,
  message: Uint8Array,
  key: SigningKey,
): Promise<Uint8Array> {
  const cryptoKey = await asCryptoKey(key);
  const mac = new Uint8Array(await subtle().sign('HMAC', cryptoKey, signedBytes(topic, message)));
  return attachSignature(message, mac);
}

/**
 * @internal The payload that carries `mac` for `message`: JSON gets `,"sig":"…"` before its last
 * `}`, MessagePack a `bin 8` trailer. Throws for JSON that does not end with `}`.
 */
export function attachSignature(message: Uint8Array, mac: Uint8Array): Uint8Array {
  if (sniffCodec(message) === 'json') {
    let end = message.byteLength;
    while (end > 0 && message[end - 1] !== 0x7d) end--;
    if (end === 0)
      throw new ProtocolError('INVALID_JSON', 'a signed JSON message must be an object');
    if (end !== message.byteLength) {
      throw new ProtocolError(
        'INVALID_JSON',
        'a signed JSON message must end with "}" (no trailing blanks)',
      );
    }
    const suffix = textEncoder.encode(`,"sig":"${encodeBase64Url(mac)}"}`);
    const out = new Uint8Array(message.byteLength - 1 + suffix.byteLength);
    out.set(message.subarray(0, message.byteLength - 1), 0);
    out.set(suffix, message.byteLength - 1);
    return out;
  }
  const out = new Uint8Array(message.byteLength + MSGPACK_SIG_LENGTH);
  out.set(message, 0);
  out[message.byteLength] = 0xc4;
  out[message.byteLength + 1] = 0x20;
  out.set(mac, message.byteLength + 2);
  return out;
}

/** A payload split into the message bytes and its signature, if it carries one. */
export interface SplitPayload {
  /** The bytes that were signed after the topic (the message without its signature). */
  readonly message: Uint8Array;
  /** The 32-byte MAC, or `null` when the payload is unsigned. */
  readonly mac: Uint8Array | null;
}

function endsWith(bytes: Uint8Array, suffixAt: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.byteLength; i++)
    if (bytes[suffixAt + i] !== expected[i]) return false;
  return true;
}

/** Separates a payload's signature from the signed message bytes, without checking it. */
export function splitSignature(payload: Uint8Array): SplitPayload {
  if (sniffCodec(payload) === 'json') {
    const at = payload.byteLength - JSON_SIG_SUFFIX_LENGTH;
    if (
      at <= 0 ||
      payload[payload.byteLength - 1] !== 0x7d ||
      payload[payload.byteLength - 2] !== 0x22
    ) {
      return { message: payload, mac: null };
    }
    if (!endsWith(payload, at, SIG_PREFIX)) return { message: payload, mac: null };
    const sigText = new TextDecoder().decode(
      payload.subarray(at + SIG_PREFIX.byteLength, payload.byteLength - 2),
    );
    const mac = BASE64URL.test(sigText) ? decodeBase64Url(sigText) : undefined;
    if (mac?.byteLength !== 32) return { message: payload, mac: null };
    const message = new Uint8Array(at + 1);
    message.set(payload.subarray(0, at), 0);
    message[at] = 0x7d;
    return { message, mac };
  }
  const at = payload.byteLength - MSGPACK_SIG_LENGTH;
  if (at > 0 && payload[at] === 0xc4 && payload[at + 1] === 0x20) {
    return { message: payload.subarray(0, at), mac: payload.slice(at + 2) };
  }
  return { message: payload, mac: null };
}

/**
 * Checks a payload's signature for the topic it arrived on. Returns the message bytes without
 * the signature on success; `MISSING_SIGNATURE` or `BAD_SIGNATURE` otherwise. Never throws on
 * hostile bytes. The comparison is WebCrypto's `verify`, which is constant-time.
 */
export async function verifyMessage(
  topic: string,
  payload: Uint8Array,
  key: SigningKey,
): Promise<Result<Uint8Array, ProtocolError>> {
  const { message, mac } = splitSignature(payload);
  if (!mac) return err(new ProtocolError('MISSING_SIGNATURE', `message on ${topic} is not signed`));
  const cryptoKey = await asCryptoKey(key);
  const valid = await subtle().verify(
    'HMAC',
    cryptoKey,
    mac as Uint8Array<ArrayBuffer>,
    signedBytes(topic, message),
  );
  if (!valid) {
    return err(
      new ProtocolError('BAD_SIGNATURE', `signature of the message on ${topic} does not match`),
    );
  }
  return ok(message);
}

/**
 * Encodes, numbers and signs a message in one step: the bytes to publish on `topic`.
 *
 * @example
 * const key = await importSigningKey(await derivePlayerKey(raceKey, 'p1'));
 * const payload = await encodeSignedMessage('pos', buildTopic('abc123', 'pos', 'p1'), pos, 42, key);
 */
export async function encodeSignedMessage<K extends MessageKind>(
  kind: K,
  topic: string,
  message: MessageOf<K>,
  seq: number,
  key: SigningKey,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  const { sig: _ignored, ...unsigned } = message as MessageOf<K> & { sig?: string };
  const numbered = { ...unsigned, seq } as MessageOf<K>;
  return signMessage(topic, encodeMessage(kind, numbered, options), key);
}

/** A message whose signature was checked. */
export interface VerifiedMessage {
  readonly message: TopicMessage;
  /** The sender's sequence number. */
  readonly seq: number;
}

/**
 * Bytes a signature adds to a message at most: JSON's `,"sig":"<43>"` before the final `}` (52),
 * more than MessagePack's `bin 8` trailer (34).
 */
export const MAX_SIGNATURE_OVERHEAD = JSON_SIG_SUFFIX_LENGTH - 1;

/**
 * Checks the signature of a payload for its topic, then decodes it like
 * {@link decodeTopicMessage}. A signed message must carry a `seq`. Never throws on what the
 * network sends (a `key` that cannot be used, such as an empty one, throws). The topic and the
 * size are checked first: a payload over the kind's limit ({@link MAX_MESSAGE_BYTES}, or
 * `options.maxBytes`) plus {@link MAX_SIGNATURE_OVERHEAD} is refused with `TOO_LARGE` before any
 * byte of it is copied or hashed.
 */
export async function decodeVerifiedMessage(
  topic: string,
  payload: Uint8Array,
  key: SigningKey,
  options: DecodeOptions = {},
): Promise<Result<VerifiedMessage, ProtocolError>> {
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic.ok) return parsedTopic;
  const kind = TOPIC_SETTINGS[parsedTopic.value.channel].kind;
  const limit = (options.maxBytes ?? MAX_MESSAGE_BYTES[kind]) + MAX_SIGNATURE_OVERHEAD;
  if (payload.byteLength > limit) {
    return err(
      new ProtocolError(
        'TOO_LARGE',
        `signed ${kind} message is ${payload.byteLength} bytes (limit ${limit} with its signature)`,
      ),
    );
  }
  const verified = await verifyMessage(topic, payload, key);
  if (!verified.ok) return verified;
  const decoded = decodeTopicMessage(topic, verified.value, options);
  if (!decoded.ok) return decoded;
  const seq = (decoded.value.message as { seq?: number }).seq;
  if (seq === undefined) {
    return err(new ProtocolError('MISSING_SEQUENCE', `signed message on ${topic} has no seq`));
  }
  return ok({ message: decoded.value, seq });
}
