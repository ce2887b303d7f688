import { z } from 'zod';
import { ProtocolError } from './errors';
import { err, ok, type Result } from './result';

/** Longest race or player id, in characters. */
export const MAX_ID_LENGTH = 64;

/**
 * What a race or player id may contain: letters, digits, `.`, `_` and `-`, starting with a letter
 * or digit, at most {@link MAX_ID_LENGTH} characters. That keeps ids safe in MQTT topics (no `/`,
 * `+`, `#`), in file names on every OS, and easy to type as a server code.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Schema of a race or player id (see {@link ID_PATTERN}). */
export const idSchema = z
  .string()
  .regex(
    ID_PATTERN,
    'ids are 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  .describe('A race or player id: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit.');

/** Which id a message talks about, for error messages. */
export type IdRole = 'race id' | 'player id';

/**
 * Checks a race or player id and explains precisely what is wrong with a bad one.
 *
 * @example
 * parseId('race id', 'spring/cup'); // { ok: false, error: ProtocolError('race id "spring/cup" contains "/" ...') }
 */
export function parseId(role: IdRole, value: unknown): Result<string, ProtocolError> {
  if (typeof value !== 'string') {
    return err(new ProtocolError('INVALID_ID', `${role} must be a string, got ${typeof value}`));
  }
  if (ID_PATTERN.test(value)) return ok(value);
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  let why: string;
  if (value.length === 0) why = 'is empty';
  else if (value.length > MAX_ID_LENGTH)
    why = `is ${value.length} characters long (at most ${MAX_ID_LENGTH})`;
  else {
    const reserved = [...value].find((c) => c === '/' || c === '+' || c === '#');
    const bad = reserved ?? [...value].find((c) => !/[A-Za-z0-9._-]/.test(c));
    if (reserved) why = `contains "${reserved}", which MQTT topics reserve`;
    else if (bad) why = `contains ${JSON.stringify(bad)}`;
    else why = 'must start with a letter or digit';
  }
  return err(
    new ProtocolError(
      'INVALID_ID',
      `${role} ${shown} ${why}: use 1-${MAX_ID_LENGTH} letters, digits, ".", "_" or "-"`,
    ),
  );
}

/** Like {@link parseId} but throws the {@link ProtocolError}: for ids the program itself chose. */
export function assertId(role: IdRole, value: string): string {
  const result = parseId(role, value);
  if (!result.ok) throw result.error;
  return result.value;
}
