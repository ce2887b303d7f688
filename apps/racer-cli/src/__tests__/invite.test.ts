import { createHmac } from 'node:crypto';
import { AppError } from '@gw2race/app-shared';
import { encodeInvitation, type Invitation } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkInviteFlags,
  invitedIdentity,
  inviteRefusal,
  looksLikeInvitation,
  readInvitation,
} from '../invite';

const key = '11'.repeat(32);
const racer: Invitation = {
  v: 1,
  hub: 'mqtt://192.168.1.20:1883',
  raceId: 'k7m2qp',
  role: 'racer',
  playerId: 'ann',
  name: 'Ann',
  key,
};

describe('joining with an invitation code', () => {
  it('takes the race, the hub, the player and its credential from the code', async () => {
    const who = await invitedIdentity(readInvitation(encodeInvitation(racer)), undefined);
    expect(who).toMatchObject({
      raceId: 'k7m2qp',
      broker: 'mqtt://192.168.1.20:1883',
      playerId: 'ann',
      name: 'Ann',
      mode: 'racer',
    });
    const expected = createHmac('sha256', Buffer.from(key, 'hex'))
      .update('gw2race/v1/connect')
      .digest('base64url');
    expect(who.password).toBe(expected);
    expect(Buffer.from(who.signingKey).toString('hex')).toBe(key);
  });

  it('joins a spectator under its own name, as an id no player has', async () => {
    const spectator = { v: 1, hub: racer.hub, raceId: 'k7m2qp', role: 'spectator', key } as const;
    const who = await invitedIdentity(spectator, 'Carl C');
    expect(who).toMatchObject({ mode: 'spectator', name: 'Carl C', playerId: 'watch-carl-c' });
    expect(who.username).toBeUndefined();
  });

  it("logs a spectator in under an external hub's shared account when the code names one", async () => {
    const code = encodeInvitation({
      v: 1,
      hub: racer.hub,
      raceId: 'k7m2qp',
      role: 'spectator',
      key,
      username: 'gw2race-spectator',
    });
    const who = await invitedIdentity(readInvitation(code), 'Carl C');
    expect(who).toMatchObject({ username: 'gw2race-spectator', playerId: 'watch-carl-c' });
  });

  it('refuses the flags a code decides, naming them, and a damaged code', () => {
    expect(() => checkInviteFlags({ race: 'x', password: 'p' })).toThrow(
      '--invite already says the race, the player and the credentials: drop --race, --password',
    );
    expect(() => checkInviteFlags({ broker: 'mqtt://h:1883', name: undefined })).not.toThrow();
    expect(() => readInvitation(encodeInvitation(racer).slice(0, -3))).toThrow(
      '--invite: the invitation code is damaged (cut short or mistyped): copy it again, whole',
    );
  });

  it('tells a pasted code from a server code', () => {
    expect(looksLikeInvitation(` ${encodeInvitation(racer)}`)).toBe(true);
    expect(looksLikeInvitation('k7m2qp')).toBe(false);
  });

  it("says a hub's refusal of the credential is about the code", () => {
    const refused = inviteRefusal(
      new AppError(
        'HUB_AUTH',
        'the hub at mqtt://h:1883 refused our credentials (Bad username or password)',
      ),
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(
      'the hub refused your invitation code: the hub at mqtt://h:1883 refused our credentials (Bad username or password)',
    );
    expect((refused as AppError).exitCode).toBe(3);
    const other = new AppError('NO_RACE', 'no race');
    expect(inviteRefusal(other)).toBe(other);
  });
});
