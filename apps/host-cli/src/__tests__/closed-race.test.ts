import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCredential, decodeInvitation, invitationKey } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import {
  closeRace,
  createClosedRace,
  inviteLines,
  parsePlayerNames,
  readInvitedPlayers,
} from '../host/closed-race';

describe('the invited players', () => {
  it('derives stable ids from the names', () => {
    expect(parsePlayerNames([' Ann ', 'Bob Smith', 'Zoë'], '--players')).toEqual([
      { playerId: 'ann', name: 'Ann' },
      { playerId: 'bob-smith', name: 'Bob Smith' },
      { playerId: 'zoe', name: 'Zoë' },
    ]);
  });

  it('refuses an empty name, a duplicate, two names with one id, and a name with no letter', () => {
    expect(() => parsePlayerNames(['Ann', ''], '--players')).toThrow('--players: name 2 is empty');
    expect(() => parsePlayerNames(['Ann', 'Ann'], '--players')).toThrow(
      '--players: "Ann" is listed twice',
    );
    expect(() => parsePlayerNames(['Ann', 'ANN'], '--players')).toThrow(
      '--players: "Ann" and "ANN" give the same player id "ann"',
    );
    expect(() => parsePlayerNames(['!!!'], '--players')).toThrow(
      '--players: "!!!" has no letter or digit to make an id of',
    );
  });

  it('reads --players, --players-file (blank last lines ignored), and refuses them with --open or together', async () => {
    expect(readInvitedPlayers({})).toBeUndefined();
    expect(readInvitedPlayers({ open: true })).toBeUndefined();
    expect(readInvitedPlayers({ players: 'Ann,Bob' })?.map((p) => p.playerId)).toEqual([
      'ann',
      'bob',
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-players-'));
    const file = join(dir, 'players.txt');
    await writeFile(file, 'Ann\r\nBob\n\n');
    expect(readInvitedPlayers({ 'players-file': file })?.map((p) => p.name)).toEqual([
      'Ann',
      'Bob',
    ]);
    await writeFile(file, 'Ann\n\nBob\n');
    expect(() => readInvitedPlayers({ 'players-file': file })).toThrow(
      `--players-file ${file}: name 2 is empty`,
    );
    expect(() => readInvitedPlayers({ 'players-file': join(dir, 'none.txt') })).toThrow(
      /cannot read --players-file/,
    );
    expect(() => readInvitedPlayers({ players: 'Ann', open: true })).toThrow(/--open lets anyone/);
    expect(() => readInvitedPlayers({ players: 'Ann', 'players-file': file })).toThrow(
      'give --players or --players-file, not both',
    );
  });
});

describe('a closed race', () => {
  const raceKey = new Uint8Array(32).map((_, i) => 255 - i);
  const players = parsePlayerNames(['Ann', 'Bob'], '--players');

  it("lets each player in with its own code's credential only, and spectators only as spectators", async () => {
    const closed = await createClosedRace({ raceKey, raceId: 'r1', players });
    const { invitations, spectatorCode } = closed.codesFor('mqtt://192.168.1.20:1883');
    const credentialOf = async (code: string) => {
      const invitation = decodeInvitation(code);
      if (!invitation.ok) throw invitation.error;
      return connectCredential(invitationKey(invitation.value));
    };
    const ann = await credentialOf(invitations[0]?.code as string);
    const bob = await credentialOf(invitations[1]?.code as string);
    const spectator = await credentialOf(spectatorCode);
    expect(closed.checkCredential('ann', ann)).toBe(true);
    expect(closed.checkCredential('bob', ann)).toBe(false);
    expect(closed.checkCredential('bob', bob)).toBe(true);
    expect(closed.checkCredential('mallory', ann)).toBe(false);
    expect(closed.checkCredential('ann', spectator)).toBe(false);
    expect(closed.checkCredential('watch-carl', spectator)).toBe('spectator');
    const decoded = decodeInvitation(invitations[0]?.code as string);
    expect(decoded.ok && decoded.value).toMatchObject({
      hub: 'mqtt://192.168.1.20:1883',
      raceId: 'r1',
      role: 'racer',
      playerId: 'ann',
      name: 'Ann',
    });
  });

  it('keeps its key beside the recording (the same codes after a restart) and writes the codes for the owner only', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'gw2race-closed-'));
    const setup = { outDir, raceId: 'r2' };
    const first = await closeRace(setup, players);
    const again = await closeRace(setup, players);
    const hub = 'mqtt://127.0.0.1:1883';
    expect(again.codesFor(hub)).toEqual(first.codesFor(hub));
    const lines = await inviteLines(first, setup, { hub, embedded: true, interactive: false });
    expect(lines[0]).toBe(
      'race r2 is closed: only the 2 invited players race, on mqtt://127.0.0.1:1883; each joins with gw2race-racer --invite CODE',
    );
    expect(lines.join('\n')).not.toContain('gw2race1-');
    const path = join(outDir, 'race_r2.invitations.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const written = JSON.parse(await readFile(path, 'utf8'));
    expect(written).toEqual(first.codesFor(hub).invitations);
    expect(Object.keys(written[0]).sort()).toEqual(['code', 'name', 'playerId']);
    const shown = await inviteLines(first, setup, { hub, embedded: true, interactive: true });
    expect(shown.join('\n')).toContain(first.codesFor(hub).invitations[1]?.code);
    expect(shown.join('\n')).toContain(first.codesFor(hub).spectatorCode);
  });
});
