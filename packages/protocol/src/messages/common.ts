import { z } from 'zod';
import { isDisplaySafe } from '../display-text';

/**
 * Seconds since the Unix epoch (UTC), as a float with millisecond precision or better. Each
 * field that uses it says whose clock it is on.
 */
export const epochSecondsSchema = z.number().nonnegative();

/** A duration in seconds. */
export const secondsSchema = z.number().nonnegative();

/** A MumbleLink-frame vector in metres (Y up, left-handed; see the README's "Space"). */
export const vec3Schema = z.object({
  x: z.number().describe('metres, east-west'),
  y: z.number().describe('metres, up'),
  z: z.number().describe('metres, north-south'),
});

/** A point in metres. */
export type Vec3 = z.infer<typeof vec3Schema>;

/** A Guild Wars 2 map id (as in the API's /v2/maps and MumbleLink's context). */
export const mapIdSchema = z.int().nonnegative().max(0xffffffff);

/**
 * Fields any message may carry for integrity (see the README's "Signatures"): a sequence number
 * that strictly increases per sender and topic, and an HMAC-SHA256 signature. Receivers that do not
 * check signatures ignore both.
 */
export const integrityFields = {
  seq: z
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Sequence number, strictly increasing per sender and topic (replay protection).'),
  sig: z
    .string()
    .max(64)
    .optional()
    .describe('HMAC-SHA256 signature, base64url without padding; always the last member.'),
} as const;

/**
 * A free text shown to people (names, chat, messages, reasons): at most `max` characters, and
 * none of the controls, bidi overrides or line separators that could rewrite a terminal or
 * reorder a page (`UNSAFE_TEXT_PATTERN`).
 */
export function textSchema(max: number) {
  return z.string().max(max).refine(isDisplaySafe, {
    message: 'contains control characters, bidi overrides or line separators',
  });
}
