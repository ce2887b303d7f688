import { z } from 'zod';
import { ProtocolError } from './errors';
import { idSchema } from './ids';
import { err, ok, type Result } from './result';
import { decodeBase64Url, encodeBase64Url, importSigningKey } from './signature';

/** What every invitation code starts with: `gw2race`, the format version, `-`. */
export const INVITATION_PREFIX = 'gw2race1-';

/** The invitation format version this package writes and reads. */
export const INVITATION_VERSION = 1;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HUB_PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

function isHubUrl(value: string): boolean {
  try {
    return HUB_PROTOCOLS.has(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * An invitation to a closed race: everything a racer's client needs to join as one player (or to
 * watch), handed out by the organizer as a code ({@link encodeInvitation}).
 */
export const invitationSchema = z
  .object({
    v: z.literal(INVITATION_VERSION).describe('Invitation format version.'),
    hub: z
      .string()
      .refine(isHubUrl, 'an mqtt://, mqtts://, ws:// or wss:// URL')
      .describe('The race hub, as racers reach it.'),
    raceId: idSchema.describe('The race (server code).'),
    role: z
      .enum(['racer', 'spectator'])
      .describe(
        '`racer`: races as `playerId`; `spectator`: watches (sends presence and pings only).',
      ),
    playerId: idSchema
      .optional()
      .describe('The player this invitation is for; absent on a spectator invitation.'),
    name: z.string().min(1).max(64).optional().describe('The name the organizer listed.'),
    key: z
      .string()
      .regex(HEX_KEY, '64 hexadecimal digits')
      .describe(
        "The player's key (a spectator invitation: the race's spectator key) as 64 hexadecimal digits: signs every message; the hub password is derived from it (`connectCredential`).",
      ),
    username: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'The MQTT user name to log in with when it is not the player id: the shared spectator account of an external hub (`gw2race-host hub-config`).',
      ),
    tlsSha256: z
      .string()
      .regex(HEX_KEY, '64 hexadecimal digits')
      .optional()
      .describe("SHA-256 of the hub's TLS certificate (DER), when the hub serves a self-made one."),
  })
  .refine((value) => value.role === 'spectator' || value.playerId !== undefined, {
    message: 'a racer invitation names its player',
    path: ['playerId'],
  });

/** An invitation, checked. */
export type Invitation = z.output<typeof invitationSchema>;

const textEncoder = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), to tell a damaged code from a valid one. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The code for an invitation: {@link INVITATION_PREFIX} then base64url of its JSON followed by
 * the JSON's CRC-32 (4 bytes, big-endian), so one mistyped or missing character is caught.
 * Throws a {@link ProtocolError} for an invitation that does not match the schema.
 *
 * @example
 * const code = encodeInvitation({ v: 1, hub: 'mqtt://192.168.1.20:1883', raceId: 'k7m2qp',
 *   role: 'racer', playerId: 'ann', name: 'Ann', key: '00'.repeat(32) });
 * // 'gw2race1-eyJ2IjoxLCJodWIiOi…'
 */
export function encodeInvitation(invitation: Invitation): string {
  const checked = invitationSchema.safeParse(invitation);
  if (!checked.success)
    throw new ProtocolError('INVALID_MESSAGE', 'not a valid invitation', {
      issues: checked.error.issues,
    });
  const json = textEncoder.encode(
    JSON.stringify({ ...checked.data, key: checked.data.key.toLowerCase() }),
  );
  const bytes = new Uint8Array(json.byteLength + 4);
  bytes.set(json, 0);
  new DataView(bytes.buffer).setUint32(json.byteLength, crc32(json));
  return `${INVITATION_PREFIX}${encodeBase64Url(bytes)}`;
}

function invitationError(message: string): { ok: false; error: ProtocolError } {
  return err(new ProtocolError('INVALID_INVITATION', message));
}

/** The base64url part of a code, or why the text is not a code this version reads. */
function codeBody(text: string): Result<string, ProtocolError> {
  const code = text.replace(/\s+/g, '');
  if (code === '') return invitationError('the invitation code is empty');
  const version = /^gw2race(\d+)-/.exec(code);
  if (!version) {
    return invitationError(
      `this is not a gw2race invitation code (a code starts with "${INVITATION_PREFIX}")`,
    );
  }
  if (Number(version[1]) !== INVITATION_VERSION) {
    return invitationError(
      `this invitation code is format ${version[1]}, this program reads format ${INVITATION_VERSION}: ${Number(version[1]) > INVITATION_VERSION ? 'update gw2race' : 'ask the organizer for a new code'}`,
    );
  }
  const body = code.slice(version[0].length);
  const bad = [...body].find((c) => !/[A-Za-z0-9_-]/.test(c));
  if (bad !== undefined) {
    return invitationError(
      `the invitation code contains ${JSON.stringify(bad)}, which no code has: copy it again`,
    );
  }
  return ok(body);
}

/**
 * Reads an invitation code (blanks and line breaks anywhere in it are ignored, as a code wrapped
 * by a chat or mail program comes back). Never throws: a truncated, mistyped or unknown-version
 * code is refused with `INVALID_INVITATION` and a one-line message that says which.
 */
export function decodeInvitation(text: string): Result<Invitation, ProtocolError> {
  const body = codeBody(text);
  if (!body.ok) return body;
  const bytes = decodeBase64Url(body.value);
  const damaged = 'the invitation code is damaged (cut short or mistyped): copy it again, whole';
  if (!bytes || bytes.byteLength < 5) return invitationError(damaged);
  const json = bytes.subarray(0, bytes.byteLength - 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(json.byteLength) !== crc32(json)) return invitationError(damaged);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return invitationError('the invitation code holds no invitation (not JSON)');
  }
  const parsed = invitationSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return err(
      new ProtocolError(
        'INVALID_INVITATION',
        `the invitation code holds an invalid invitation (${where}${issue?.message ?? 'invalid'})`,
        { issues: parsed.error.issues },
      ),
    );
  }
  return ok(parsed.data);
}

/** The 32 key bytes of an invitation's hexadecimal `key`. */
export function invitationKey(invitation: Pick<Invitation, 'key'>): Uint8Array {
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = Number.parseInt(invitation.key.slice(i * 2, i * 2 + 2), 16);
  return key;
}

/** A key as the 64 lowercase hexadecimal digits invitations carry. */
export function keyToHex(key: Uint8Array): string {
  return [...key].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The MQTT password a client logs in with: `base64url(HMAC-SHA256(playerKey,
 * "gw2race/v1/connect"))`, 43 characters. The hub (which knows the race key) compares it; the
 * player key itself never travels, so a hub log or a proxy that sees passwords cannot sign.
 */
export async function connectCredential(playerKey: Uint8Array): Promise<string> {
  const key = await importSigningKey(playerKey);
  const mac = await globalThis.crypto.subtle.sign(
    'HMAC',
    key,
    textEncoder.encode('gw2race/v1/connect'),
  );
  return encodeBase64Url(new Uint8Array(mac));
}

/**
 * The key spectators sign with: `HMAC-SHA256(raceKey, "gw2race/v1/spectator")`, one for all of a
 * race's spectators (they publish only presence, pings and chat).
 */
export async function deriveSpectatorKey(raceKey: Uint8Array): Promise<Uint8Array> {
  const key = await importSigningKey(raceKey);
  const mac = await globalThis.crypto.subtle.sign(
    'HMAC',
    key,
    textEncoder.encode('gw2race/v1/spectator'),
  );
  return new Uint8Array(mac);
}
