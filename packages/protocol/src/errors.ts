import type { core } from 'zod';

/**
 * Every way a message, topic or id can be refused. Each code is stable: tools may switch on it.
 */
export const PROTOCOL_ERROR_CODES = {
  /** The payload is larger than the documented limit for its kind ({@link MAX_MESSAGE_BYTES}); it was not parsed. */
  TOO_LARGE: 'TOO_LARGE',
  /** The payload is empty. */
  EMPTY: 'EMPTY',
  /** A JSON payload is not valid UTF-8. */
  INVALID_UTF8: 'INVALID_UTF8',
  /** A payload that looks like JSON (first byte `{`) does not parse as JSON. */
  INVALID_JSON: 'INVALID_JSON',
  /** A payload that is not JSON does not parse as a single MessagePack value. */
  INVALID_MSGPACK: 'INVALID_MSGPACK',
  /**
   * The payload is neither a JSON object (first byte `{`, after an optional UTF-8 byte order mark
   * and blanks) nor a MessagePack map: e.g. a JSON array, string, number, `true` or `null`.
   */
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  /** The payload parsed but does not match the message schema; `issues` lists what is wrong. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** A race or player id is empty, too long or contains characters MQTT topics reserve. */
  INVALID_ID: 'INVALID_ID',
  /** A topic is not one of the gw2race topics (`race/{raceId}/{channel}[/{playerId}]`). */
  INVALID_TOPIC: 'INVALID_TOPIC',
  /** The message names a different race or player than the topic it arrived on. */
  TOPIC_MISMATCH: 'TOPIC_MISMATCH',
  /** A signature was required but the payload carries none. */
  MISSING_SIGNATURE: 'MISSING_SIGNATURE',
  /** The signature does not match the payload and the sender's key. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** A signed message has no `seq`, or one that is not a non-negative safe integer. */
  MISSING_SEQUENCE: 'MISSING_SEQUENCE',
  /** An invitation code is not one: another format, damaged (cut short, mistyped) or invalid. */
  INVALID_INVITATION: 'INVALID_INVITATION',
} as const;

/** One of {@link PROTOCOL_ERROR_CODES}. */
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERROR_CODES;

/** A schema problem as zod reports it: a path into the message and a message for people. */
export type ProtocolIssue = core.$ZodIssue;

/** Options of {@link ProtocolError}. */
export interface ProtocolErrorOptions {
  /** Schema issues, for {@link PROTOCOL_ERROR_CODES.INVALID_MESSAGE}. */
  issues?: readonly ProtocolIssue[];
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@gw2race/protocol`. Decoders return it inside a failed
 * {@link Result}; builders given invalid arguments by the program throw it.
 */
export class ProtocolError extends Error {
  /** What kind of problem this is. */
  readonly code: ProtocolErrorCode;
  /** Schema issues (only for `INVALID_MESSAGE`). */
  readonly issues: readonly ProtocolIssue[];

  constructor(code: ProtocolErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** True when `value` is a {@link ProtocolError} (also across bundled copies of this package). */
export function isProtocolError(value: unknown): value is ProtocolError {
  if (value instanceof ProtocolError) return true;
  if (!(value instanceof Error) || value.name !== 'ProtocolError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(PROTOCOL_ERROR_CODES, code);
}
