import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  connectCredential,
  decodeInvitation,
  deriveSpectatorKey,
  encodeInvitation,
  INVITATION_PREFIX,
  type Invitation,
  invitationKey,
  keyToHex,
} from '../index';
import { idArb } from './arbitraries';

const invitation: Invitation = {
  v: 1,
  hub: 'mqtt://192.168.1.20:1883',
  raceId: 'k7m2qp',
  role: 'racer',
  playerId: 'ann',
  name: 'Ann',
  key: 'e25c3c85b271dd8a1e1f287ed31dde36cdc156ed0faa9ce6a942f749836ab061',
};

function messageOf(text: string): string {
  const decoded = decodeInvitation(text);
  if (decoded.ok) throw new Error('decoded');
  expect(decoded.error.code).toBe('INVALID_INVITATION');
  return decoded.error.message;
}

describe('invitation codes', () => {
  it('round-trips an invitation through a code that starts with the prefix', () => {
    const code = encodeInvitation(invitation);
    expect(code.startsWith(INVITATION_PREFIX)).toBe(true);
    expect(code).toMatch(/^gw2race1-[A-Za-z0-9_-]+$/);
    expect(decodeInvitation(code)).toEqual({ ok: true, value: invitation });
  });

  it('round-trips any racer or spectator invitation (property)', () => {
    const arb = fc.record({
      v: fc.constant(1 as const),
      hub: fc.constantFrom(
        'mqtt://127.0.0.1:1883',
        'mqtts://hub.example:8883',
        'wss://h.example/mqtt',
      ),
      raceId: idArb,
      role: fc.constantFrom('racer' as const, 'spectator' as const),
      playerId: idArb,
      key: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(keyToHex),
      tlsSha256: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(keyToHex),
    });
    fc.assert(
      fc.property(arb, (value) => {
        expect(decodeInvitation(encodeInvitation(value))).toEqual({ ok: true, value });
      }),
    );
  });

  it('ignores blanks and line breaks a chat or mail program put into the code', () => {
    const code = encodeInvitation(invitation);
    const wrapped = `  ${code.slice(0, 30)}\n${code.slice(30, 61)} \r\n${code.slice(61)}\n`;
    expect(decodeInvitation(wrapped)).toEqual({ ok: true, value: invitation });
  });

  it('refuses a code cut short, one mistyped character, or one character more', () => {
    const code = encodeInvitation(invitation);
    const damaged = 'the invitation code is damaged (cut short or mistyped): copy it again, whole';
    expect(messageOf(code.slice(0, -1))).toBe(damaged);
    expect(messageOf(code.slice(0, 40))).toBe(damaged);
    expect(messageOf(`${code}A`)).toBe(damaged);
    // Every single-character substitution is caught by the CRC (or by the base64url rules).
    const at = INVITATION_PREFIX.length + 20;
    const other = code[at] === 'A' ? 'B' : 'A';
    expect(messageOf(`${code.slice(0, at)}${other}${code.slice(at + 1)}`)).toBe(damaged);
  });

  it('says which character no code has', () => {
    const code = encodeInvitation(invitation);
    expect(messageOf(`${code.slice(0, 20)}+${code.slice(21)}`)).toBe(
      'the invitation code contains "+", which no code has: copy it again',
    );
  });

  it('tells another version and something that is not a code apart', () => {
    const body = encodeInvitation(invitation).slice(INVITATION_PREFIX.length);
    expect(messageOf(`gw2race2-${body}`)).toBe(
      'this invitation code is format 2, this program reads format 1: update gw2race',
    );
    expect(messageOf('k7m2qp')).toBe(
      'this is not a gw2race invitation code (a code starts with "gw2race1-")',
    );
    expect(messageOf('   ')).toBe('the invitation code is empty');
  });

  it('refuses a well-formed code whose invitation is invalid, naming the field', () => {
    // A code made by hand with a valid checksum but a bad key.
    const forged = encodeRaw({ ...invitation, key: 'xyz' });
    expect(messageOf(forged)).toBe(
      'the invitation code holds an invalid invitation (key: 64 hexadecimal digits)',
    );
    const noPlayer = encodeRaw({ ...invitation, playerId: undefined });
    expect(messageOf(noPlayer)).toBe(
      'the invitation code holds an invalid invitation (playerId: a racer invitation names its player)',
    );
  });

  it('will not encode an invalid invitation', () => {
    expect(() => encodeInvitation({ ...invitation, hub: 'http://x' })).toThrow(
      /not a valid invitation/,
    );
  });

  it('gives the key bytes back', () => {
    expect(keyToHex(invitationKey(invitation))).toBe(invitation.key);
  });
});

describe('connect credentials and the spectator key', () => {
  it('is base64url(HMAC-SHA256(playerKey, "gw2race/v1/connect")), computed independently', async () => {
    const key = invitationKey(invitation);
    const expected = createHmac('sha256', key).update('gw2race/v1/connect').digest('base64url');
    expect(await connectCredential(key)).toBe(expected);
    expect(expected).toHaveLength(43);
  });

  it('derives the spectator key from the race key', async () => {
    const raceKey = new Uint8Array(32).map((_, i) => i);
    const expected = createHmac('sha256', raceKey).update('gw2race/v1/spectator').digest();
    expect(Buffer.from(await deriveSpectatorKey(raceKey)).equals(expected)).toBe(true);
  });
});

/** A code around any JSON value, with a correct checksum (as a hand-made code would have). */
function encodeRaw(value: unknown): string {
  const json = Buffer.from(JSON.stringify(value));
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(json));
  return `${INVITATION_PREFIX}${Buffer.concat([json, crc]).toString('base64url')}`;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
