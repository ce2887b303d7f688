import { decodeMulti, encode as encodeMsgpack } from '@msgpack/msgpack';
import { ProtocolError, type ProtocolIssue } from './errors';
import { POS_FIELDS, type PosField } from './messages/pos';
import {
  CHANNEL_OF_KIND,
  MAX_MESSAGE_BYTES,
  MESSAGE_SCHEMAS,
  type MessageKind,
  type MessageOf,
} from './messages/registry';
import { err, ok, type Result } from './result';
import { type Channel, type ParsedTopic, parseTopic, TOPIC_SETTINGS } from './topics';

/** Wire encodings: JSON (the default, what other languages send) or MessagePack. */
export type Codec = 'json' | 'msgpack';

/** Options of {@link encodeMessage}. */
export interface EncodeOptions {
  /** `json` (default) or `msgpack`. */
  codec?: Codec;
}

/** Options of {@link decodeMessage}. */
export interface DecodeOptions {
  /** Override the size limit of the kind ({@link MAX_MESSAGE_BYTES}). */
  maxBytes?: number;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const BRACE = 0x7b;
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** MessagePack's one byte that never starts a value. */
const MSGPACK_NEVER_USED = 0xc1;

/** Index of the first byte after an optional UTF-8 byte order mark and JSON blanks. */
function firstSignificantByte(bytes: Uint8Array): number {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.byteLength && JSON_WHITESPACE.has(bytes[at] as number)) at++;
  return at;
}

/** True for a MessagePack map header: fixmap (0x80-0x8F), map 16 (0xDE) or map 32 (0xDF). */
function isMsgpackMapHeader(byte: number): boolean {
  return (byte >= 0x80 && byte <= 0x8f) || byte === 0xde || byte === 0xdf;
}

/**
 * Which codec produced these bytes: JSON when the first byte after an optional UTF-8 byte order
 * mark and blanks is `{`, else MessagePack.
 */
export function sniffCodec(bytes: Uint8Array): Codec {
  const at = firstSignificantByte(bytes);
  return at === bytes.byteLength || bytes[at] === BRACE ? 'json' : 'msgpack';
}

/**
 * Encodes a message. Does not validate: the types guarantee the shape; use {@link decodeMessage}
 * on untrusted input. Position messages in MessagePack store coordinates and speed as float32 when
 * that is exact (MumbleLink positions are float32), which makes them about half the JSON size.
 *
 * @example
 * const bytes = encodeMessage('pos', { playerId: 'p1', t: 1724312355.842, x: 1, y: 2, z: 3 });
 */
export function encodeMessage<K extends MessageKind>(
  kind: K,
  message: MessageOf<K>,
  options: EncodeOptions = {},
): Uint8Array {
  if ((options.codec ?? 'json') === 'json') return textEncoder.encode(JSON.stringify(message));
  if (kind === 'pos') {
    const compact = encodePosMsgpack(message as MessageOf<'pos'>);
    if (compact) return compact;
  }
  return encodeMsgpack(message, { ignoreUndefined: true });
}

/**
 * Decodes and validates an untrusted payload. Never throws. JSON and MessagePack are both
 * accepted (sniffed from the first byte); a trailing signature is ignored here (see
 * {@link verifyMessage} to check it). Unknown fields are dropped.
 */
export function decodeMessage<K extends MessageKind>(
  kind: K,
  payload: Uint8Array | string,
  options: DecodeOptions = {},
): Result<MessageOf<K>, ProtocolError> {
  const limit = options.maxBytes ?? MAX_MESSAGE_BYTES[kind];
  // A string is at least as many UTF-8 bytes as it has UTF-16 code units: refuse a long one
  // before encoding it.
  if (typeof payload === 'string' && payload.length > limit) {
    return err(
      new ProtocolError(
        'TOO_LARGE',
        `${kind} message is ${payload.length} characters, over the limit of ${limit} bytes`,
      ),
    );
  }
  const bytes = typeof payload === 'string' ? textEncoder.encode(payload) : payload;
  if (bytes.byteLength > limit) {
    return err(
      new ProtocolError(
        'TOO_LARGE',
        `${kind} message is ${bytes.byteLength} bytes (limit ${limit})`,
      ),
    );
  }
  if (bytes.byteLength === 0) return err(new ProtocolError('EMPTY', `${kind} message is empty`));
  const parsed = parseRaw(kind, bytes);
  if (!parsed.ok) return parsed;
  return validateMessage(kind, parsed.value);
}

/** Validates an already parsed value against the schema of `kind`. Never throws. */
export function validateMessage<K extends MessageKind>(
  kind: K,
  value: unknown,
): Result<MessageOf<K>, ProtocolError> {
  const schema = MESSAGE_SCHEMAS[kind];
  const result = schema.safeParse(value);
  if (result.success) return ok(result.data as MessageOf<K>);
  const first = result.error.issues[0];
  const explained = first ? explainIssue(first, []) : undefined;
  const where =
    explained && explained.path.length > 0 ? ` at ${explained.path.map(String).join('.')}` : '';
  return err(
    new ProtocolError(
      'INVALID_MESSAGE',
      `invalid ${kind} message${where}: ${explained?.message ?? 'does not match the schema'}`,
      { issues: result.error.issues, cause: result.error },
    ),
  );
}

/**
 * The issue to show people. zod reports a value that fits no branch of a union as a bare
 * "Invalid input" holding each branch's issues: this descends into the branch that came closest
 * (fewest issues), so the message names the field that is wrong. When branches tie, the union's
 * own message stays (the schemas give their unions one that lists the choices).
 */
function explainIssue(
  issue: ProtocolIssue,
  prefix: readonly PropertyKey[],
): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    let closest: readonly ProtocolIssue[] | undefined;
    let tie = false;
    for (const branch of issue.errors) {
      if (branch.length === 0) continue;
      if (closest === undefined || branch.length < closest.length) {
        closest = branch;
        tie = false;
      } else if (branch.length === closest.length) tie = true;
    }
    const nested = closest?.[0];
    if (nested && !tie) return explainIssue(nested, path);
  }
  return { path, message: issue.message };
}

function parseRaw(kind: MessageKind, bytes: Uint8Array): Result<unknown, ProtocolError> {
  const at = firstSignificantByte(bytes);
  const first = bytes[at];
  if (first === undefined || first === BRACE) {
    let text: string;
    try {
      // The decoder drops a leading byte order mark.
      text = textDecoder.decode(bytes);
    } catch (cause) {
      return err(
        new ProtocolError('INVALID_UTF8', `${kind} message is not valid UTF-8`, { cause }),
      );
    }
    try {
      return ok(JSON.parse(text));
    } catch (cause) {
      const detail = cause instanceof Error ? `: ${cause.message}` : '';
      return err(
        new ProtocolError('INVALID_JSON', `${kind} message is not valid JSON${detail}`, { cause }),
      );
    }
  }
  if (first === MSGPACK_NEVER_USED) {
    return err(
      new ProtocolError(
        'INVALID_MSGPACK',
        `${kind} message is neither JSON nor MessagePack (it starts with 0xC1, which MessagePack never uses)`,
      ),
    );
  }
  if (!isMsgpackMapHeader(first)) {
    const hex = `0x${first.toString(16).toUpperCase().padStart(2, '0')}`;
    const shown =
      first >= 0x20 && first < 0x7f ? ` (${JSON.stringify(String.fromCharCode(first))})` : '';
    return err(
      new ProtocolError(
        'NOT_AN_OBJECT',
        `${kind} message must be a JSON object or a MessagePack map, but its first byte is ${hex}${shown}`,
      ),
    );
  }
  try {
    const values: unknown[] = [];
    for (const value of decodeMulti(bytes, {
      maxStrLength: bytes.byteLength,
      maxBinLength: bytes.byteLength,
      maxArrayLength: bytes.byteLength,
      maxMapLength: bytes.byteLength,
      maxExtLength: 0,
    })) {
      values.push(value);
      if (values.length > 2) break;
    }
    const [value, trailer] = values;
    // A signed MessagePack message is the message followed by a bin 8 of the 32-byte MAC.
    const signatureTrailer = trailer instanceof Uint8Array && trailer.byteLength === 32;
    if (values.length === 1 || (values.length === 2 && signatureTrailer)) return ok(value);
    return err(
      new ProtocolError('INVALID_MSGPACK', `${kind} message holds more than one MessagePack value`),
    );
  } catch (cause) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return err(
      new ProtocolError(
        'INVALID_MSGPACK',
        `${kind} message is neither JSON nor MessagePack${detail}`,
        {
          cause,
        },
      ),
    );
  }
}

/** A message decoded from a topic and its payload. */
export type TopicMessage = {
  [K in MessageKind]: { kind: K; topic: ParsedTopic; message: MessageOf<K> };
}[MessageKind];

/**
 * Decodes a payload from the topic it arrived on: parses the topic, picks the kind, validates,
 * and checks that a player or race id inside the message matches the topic. Never throws.
 */
export function decodeTopicMessage(
  topic: string,
  payload: Uint8Array | string,
  options: DecodeOptions = {},
): Result<TopicMessage, ProtocolError> {
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic.ok) return parsedTopic;
  const kind = TOPIC_SETTINGS[parsedTopic.value.channel].kind;
  const decoded = decodeMessage(kind, payload, options);
  if (!decoded.ok) return decoded;
  const message = decoded.value as { playerId?: unknown; raceId?: unknown };
  const { playerId, raceId } = parsedTopic.value;
  if (playerId !== undefined && message.playerId !== playerId) {
    return err(
      new ProtocolError(
        'TOPIC_MISMATCH',
        `${kind} message for player ${JSON.stringify(message.playerId)} arrived on ${topic}`,
      ),
    );
  }
  if (typeof message.raceId === 'string' && message.raceId !== raceId) {
    return err(
      new ProtocolError(
        'TOPIC_MISMATCH',
        `${kind} message for race ${JSON.stringify(message.raceId)} arrived on ${topic}`,
      ),
    );
  }
  return ok({ kind, topic: parsedTopic.value, message: decoded.value } as TopicMessage);
}

/** The channel a kind travels on. */
export function channelOf(kind: MessageKind): Channel {
  return CHANNEL_OF_KIND[kind];
}

// --- compact MessagePack for positions -------------------------------------------------------

/**
 * Fields of a position message the compact encoder leaves to the generic one: a message holding
 * one is not encoded compactly. `sig` travels as a bin after the map, not in it (see
 * `signature.ts`), and a signed message carrying it as a field is the generic encoder's.
 */
export const POS_MSGPACK_OMITTED: Readonly<Partial<Record<PosField, string>>> = {
  sig: 'the signature travels as a bin after the map, not as a member of it',
};
/** The keys of the compact position map, in the schema's order (see `POS_FIELDS`). */
export const POS_MSGPACK_KEYS: readonly PosField[] = POS_FIELDS.filter(
  (field) => POS_MSGPACK_OMITTED[field] === undefined,
);
const POS_KEYS = POS_MSGPACK_KEYS;
const POS_KEY_SET: ReadonlySet<string> = new Set(POS_KEYS);
const POS_FLOAT32_KEYS: ReadonlySet<string> = new Set<PosField>(['x', 'y', 'z', 'v']);
// Map header, then per key: fixstr header + key + value (at most 9 bytes: a float64), plus the
// player id string (str 8 header + at most 64 ASCII bytes) beyond its 9 counted bytes.
const MAX_POS_MSGPACK = 1 + POS_KEYS.reduce((size, key) => size + 1 + key.length + 9, 0) + 2 + 64;

/**
 * Writes a position message as a MessagePack map with the same keys as its JSON, but with
 * float32 for coordinates and speed when that is exact. Any decoder reads it. Returns
 * `undefined` for messages it does not handle (extra fields, non-ASCII ids): the generic
 * encoder takes those.
 */
function encodePosMsgpack(message: MessageOf<'pos'>): Uint8Array | undefined {
  const fields = message as Record<string, unknown>;
  for (const key in fields)
    if (!POS_KEY_SET.has(key) && fields[key] !== undefined) return undefined;
  const playerId = message.playerId;
  if (typeof playerId !== 'string' || playerId.length > 64) return undefined;
  const out = new Uint8Array(MAX_POS_MSGPACK);
  const view = new DataView(out.buffer);
  let count = 0;
  let at = 1;
  for (const key of POS_KEYS) {
    const value = fields[key];
    if (value === undefined) continue;
    count++;
    out[at++] = 0xa0 | key.length;
    for (let i = 0; i < key.length; i++) out[at++] = key.charCodeAt(i);
    if (typeof value === 'string') {
      // Room is counted for one string, the player id: any other is the generic encoder's.
      if (key !== 'playerId') return undefined;
      out[at++] = 0xa0 | value.length;
      if (value.length > 31) {
        out[at - 1] = 0xd9;
        out[at++] = value.length;
      }
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) return undefined;
        out[at++] = code;
      }
    } else if (typeof value !== 'number') {
      return undefined;
    } else if (Number.isInteger(value) && value >= 0 && value < 0x80) {
      out[at++] = value;
    } else if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) {
      out[at++] = 0xce;
      view.setUint32(at, value);
      at += 4;
    } else if (POS_FLOAT32_KEYS.has(key) && Math.fround(value) === value) {
      out[at++] = 0xca;
      view.setFloat32(at, value);
      at += 4;
    } else {
      out[at++] = 0xcb;
      view.setFloat64(at, value);
      at += 8;
    }
  }
  out[0] = 0x80 | count;
  return out.slice(0, at);
}
