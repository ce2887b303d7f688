import { execFileSync } from 'node:child_process';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountGrants, type HubAccount, SPECTATOR_USERNAME } from '../account-grants';
import { awsIotPolicy } from '../aws-iot-config';
import { emqxAclFile, emqxJwtClaims, emqxUsersCsv } from '../emqx-config';
import { externalHubFiles } from '../external-hub-config';
import { mosquittoAclFile, mosquittoPasswordLine } from '../mosquitto-config';
import { HOST_USERNAME } from '../race-access';

const accounts: HubAccount[] = [
  { role: 'host', username: HOST_USERNAME, password: 'host-secret' },
  { role: 'racer', username: 'ann', password: 'ann-secret' },
  { role: 'spectator', username: SPECTATOR_USERNAME, password: 'watch-secret' },
];

function mosquittoPasswd(): string | undefined {
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    try {
      execFileSync('test', ['-x', join(dir, 'mosquitto_passwd')]);
      return join(dir, 'mosquitto_passwd');
    } catch {
      // not here
    }
  }
  return undefined;
}
const passwd = mosquittoPasswd();

describe('the grants read off the access table', () => {
  it('lets a racer publish only its own positions and the shared client channels', () => {
    const grants = accountGrants('r1', { role: 'racer', username: 'ann' });
    expect(grants.publish.map((g) => g.topic).sort()).toEqual(
      [
        'race/r1/presence',
        'race/r1/checkpoints',
        'race/r1/pos/ann',
        'race/r1/chat',
        'race/r1/ping',
        'race/r1/request',
      ].sort(),
    );
    expect(grants.publish.every((g) => !g.retain)).toBe(true);
    expect(grants.subscribe).toEqual(['race/r1/#']);
  });

  it('gives the host its channels (retaining state and ranking) and spectators no positions', () => {
    const host = accountGrants('r1', { role: 'host', username: HOST_USERNAME });
    expect(host.publish.filter((g) => g.retain).map((g) => g.topic)).toEqual([
      'race/r1/state',
      'race/r1/ranking',
    ]);
    expect(host.publish.map((g) => g.topic)).toEqual(
      expect.arrayContaining(['race/r1/control', 'race/r1/flags', 'race/r1/pong/+']),
    );
    expect(host.subscribe).toEqual(['race/r1/#']);
    const spectator = accountGrants('r1', { role: 'spectator', username: SPECTATOR_USERNAME });
    expect(spectator.publish.map((g) => g.topic).sort()).toEqual(
      ['race/r1/chat', 'race/r1/ping', 'race/r1/presence', 'race/r1/request'].sort(),
    );
  });
});

describe('Mosquitto', () => {
  it('hashes as PBKDF2-SHA512, 101 rounds, in the $7$ line format', () => {
    const salt = Buffer.from('000102030405060708090a0b', 'hex');
    const line = mosquittoPasswordLine('ann', 'ann-secret', salt);
    const hash = pbkdf2Sync('ann-secret', salt, 101, 64, 'sha512').toString('base64');
    expect(line).toBe(`ann:$7$101$${salt.toString('base64')}$${hash}`);
    expect(() => mosquittoPasswordLine('a:b', 'x')).toThrow('cannot be a Mosquitto user name');
  });

  it.skipIf(!passwd)('writes the hash mosquitto_passwd writes for the same salt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw2race-passwd-'));
    try {
      const file = join(dir, 'passwd');
      writeFileSync(file, '');
      execFileSync(passwd as string, ['-b', file, 'ann', 'ann-secret'], { stdio: 'pipe' });
      const theirs = readFileSync(file, 'utf8').trim();
      const [, , iterations, salt] = theirs.split('$');
      expect(iterations).toBe('101');
      expect(
        mosquittoPasswordLine('ann', 'ann-secret', Buffer.from(salt as string, 'base64')),
      ).toBe(theirs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes an ACL with the anonymous lines first, then one block per user', () => {
    const acl = mosquittoAclFile('r1', accounts, { anonymousRead: true });
    const lines = acl.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines[0]).toBe('topic read race/r1/#');
    expect(lines[1]).toBe(`user ${HOST_USERNAME}`);
    const ann = lines.slice(
      lines.indexOf('user ann') + 1,
      lines.indexOf(`user ${SPECTATOR_USERNAME}`),
    );
    expect(ann).toContain('topic write race/r1/pos/ann');
    expect(ann).not.toContain('topic write race/r1/control');
    expect(mosquittoAclFile('r1', accounts, { anonymousRead: false })).not.toMatch(/^topic/);
  });
});

describe('EMQX and AWS IoT', () => {
  it('writes acl.conf rules per user name, ending in a deny', () => {
    const acl = emqxAclFile('r1', accounts, { anonymousRead: false });
    expect(acl).toContain(
      '{allow, {username, "ann"}, publish, ["race/r1/presence", "race/r1/checkpoints", "race/r1/pos/ann", "race/r1/chat", "race/r1/ping", "race/r1/request"]}.',
    );
    expect(acl.trim().endsWith('{deny, all}.')).toBe(true);
  });

  it('hashes the built-in database users as sha256(password + salt)', () => {
    const csv = emqxUsersCsv(accounts, () => 'abcd');
    const ann = csv.split('\n').find((l) => l.startsWith('ann,'));
    expect(ann).toBe(
      `ann,${createHash('sha256').update('ann-secretabcd').digest('hex')},abcd,false`,
    );
  });

  it('gives the JWT claims the same rules, retaining only the host, then a deny', () => {
    const claims = emqxJwtClaims('r1', accounts[0] as HubAccount, 1_800_000_000) as {
      acl: { action: string; topic: string; retain?: boolean; permission: string }[];
    };
    expect(claims.acl.find((r) => r.topic === 'race/r1/state')).toEqual({
      permission: 'allow',
      action: 'publish',
      topic: 'race/r1/state',
    });
    expect(claims.acl.find((r) => r.topic === 'race/r1/control')?.retain).toBe(false);
    expect(claims.acl.at(-1)).toEqual({ permission: 'deny', action: 'all', topic: '#' });
  });

  it('maps filters to policy resources, with RetainPublish for the host only', () => {
    const target = { region: 'eu-west-1', accountId: '123456789012' };
    const host = JSON.stringify(awsIotPolicy('r1', accounts[0] as HubAccount, target));
    expect(host).toContain('arn:aws:iot:eu-west-1:123456789012:topic/race/r1/pong/*');
    expect(host).toContain('iot:RetainPublish');
    const ann = JSON.stringify(awsIotPolicy('r1', accounts[1] as HubAccount, target));
    expect(ann).toContain('topicfilter/race/r1/*');
    expect(ann).not.toContain('iot:RetainPublish');
    expect(ann).not.toContain('topic/race/r1/control');
  });

  it('marks the files holding passwords as secret', () => {
    for (const hub of ['mosquitto', 'emqx', 'aws-iot'] as const) {
      const files = externalHubFiles(hub, {
        raceId: 'r1',
        accounts,
        dir: '/srv/race',
        anonymousRead: true,
      });
      for (const file of files) {
        const holds = file.content.includes('ann-secret') || /\$7\$|,false$/m.test(file.content);
        if (holds) expect(file.secret).toBe(true);
        expect(file.name.startsWith('race_r1.')).toBe(true);
      }
    }
  });
});
