import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectCredential,
  createSyncSigning,
  decodeInvitation,
  encodeInvitation,
  encodeMessage,
  invitationKey,
  keyToHex,
  splitSignature,
} from '@gw2race/protocol';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { connackOf, until } from './checks';
import { HOST_CLI, RACER_CLI, raceOptions, start, stopAll, tempDir } from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

const RACE = 'e2e-trust';

describe('a closed race under attack', () => {
  it('refuses squatters and wrong codes at CONNECT, and forged, moved and replayed messages; the invited racers finish', async () => {
    const out = tempDir();
    const host = start('host', HOST_CLI, [
      '--exit-after-race',
      '--yes',
      '--no-ntp',
      '--plain',
      '--port',
      '0',
      '--no-http',
      '--out',
      out,
      ...raceOptions(RACE, { autoStart: 2 }),
      '--players',
      'Ann,Bob,Mallory',
      '--finish-timeout',
      '15',
    ]);
    const url = (
      await host.waitFor(/race \S+ is closed: .* on (mqtt:\/\/[\d.]+:\d+)/)
    )[1] as string;
    const invitations = JSON.parse(
      readFileSync(join(out, `race_${RACE}.invitations.json`), 'utf8'),
    ) as { playerId: string; name: string; code: string }[];
    expect(invitations.map((i) => i.playerId)).toEqual(['ann', 'bob', 'mallory']);
    const codeOf = (id: string) => invitations.find((i) => i.playerId === id)?.code as string;
    const keyOf = (id: string) => {
      const decoded = decodeInvitation(codeOf(id));
      if (!decoded.ok) throw decoded.error;
      return invitationKey(decoded.value);
    };

    // Squatting Ann's id: no credential, a will naming her, a wrong credential.
    expect(await connackOf(url, { clientId: 'squat-1', username: 'ann' })).toBe(5);
    const annWill = {
      topic: `race/${RACE}/presence`,
      payload: Buffer.from(encodeMessage('presence', { playerId: 'ann', event: 'disconnected' })),
      qos: 1 as const,
      retain: false,
    };
    expect(await connackOf(url, { clientId: 'squat-2', will: annWill })).toBe(5);
    const guessed = await connectCredential(randomBytes(32));
    expect(await connackOf(url, { clientId: 'squat-3', username: 'ann', password: guessed })).toBe(
      4,
    );
    // Mallory's credential does not open Ann's id.
    const mallory = await connectCredential(keyOf('mallory'));
    expect(await connackOf(url, { clientId: 'squat-4', username: 'ann', password: mallory })).toBe(
      4,
    );

    // A racer with a made-up code for Ann: refused, said so, exit 3.
    const fake = encodeInvitation({
      v: 1,
      hub: url,
      raceId: RACE,
      role: 'racer',
      playerId: 'ann',
      name: 'Ann',
      key: keyToHex(randomBytes(32)),
    });
    const impostor = start('impostor', RACER_CLI, [
      '--invite',
      fake,
      '--simulate',
      '--no-ntp',
      '--plain',
    ]);
    expect(await impostor.exited).toBe(3);
    expect(impostor.output()).toContain('the hub refused your invitation code:');

    // Mallory is invited but dishonest: connected with her own code, she watches everything.
    const attacker = await mqtt.connectAsync(url, {
      clientId: 'mallory-raw',
      protocolVersion: 4,
      username: 'mallory',
      password: mallory,
    });
    const captured = { pos: [] as Buffer[], ping: [] as Buffer[] };
    attacker.on('message', (topic, payload) => {
      if (topic === `race/${RACE}/pos/ann`) captured.pos.push(Buffer.from(payload));
      if (topic === `race/${RACE}/ping` && splitSignature(payload).mac && payload.includes('ann'))
        captured.ping.push(Buffer.from(payload));
    });
    await attacker.subscribeAsync([`race/${RACE}/pos/ann`, `race/${RACE}/ping`]);

    const racer = (name: string, id: string) =>
      start(`racer ${name}`, RACER_CLI, [
        '--invite',
        codeOf(id),
        '--simulate',
        '--no-ntp',
        '--plain',
        '--codec',
        'json',
      ]);
    const ann = racer('Ann', 'ann');
    const bob = racer('Bob', 'bob');
    await until(
      () => captured.pos.length >= 3 && captured.ping.length >= 2,
      "Ann's signed messages",
    );

    const publish = (topic: string, payload: Uint8Array) =>
      attacker.publishAsync(`race/${RACE}/${topic}`, Buffer.from(payload), { qos: 1 });
    // Unsigned, in Ann's name.
    await publish(
      'checkpoints',
      encodeMessage('checkpoint', { raceId: RACE, playerId: 'ann', cp: 4, ts: 1, seq: 9e15 }),
    );
    // Forged: in Ann's name, signed with Mallory's key.
    const signing = createSyncSigning((k, d) => createHmac('sha256', k).update(d).digest());
    await publish(
      'checkpoints',
      signing.encodeSigned(
        'checkpoint',
        `race/${RACE}/checkpoints`,
        { raceId: RACE, playerId: 'ann', cp: 4, ts: 1 },
        9e15,
        keyOf('mallory'),
      ),
    );
    // Moved: Ann's own signed position, on Mallory's topic.
    await publish('pos/mallory', captured.pos[0] as Buffer);
    // Replayed: Ann's first signed ping, sent again after her later ones.
    await publish('ping', captured.ping[0] as Buffer);

    await host.waitFor(/refused a message on race\/e2e-trust\/checkpoints \(unsigned\)/);
    await host.waitFor(/refused a message on race\/e2e-trust\/checkpoints \(forged\)/);
    await host.waitFor(
      /refused a message on race\/e2e-trust\/pos\/mallory \(moved\): signed for race\/e2e-trust\/pos\/ann/,
    );
    await host.waitFor(/refused a message on race\/e2e-trust\/ping \(replayed\)/);
    await host.waitFor(/Signatures: \d+ messages refused/);

    expect(await ann.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    await attacker.endAsync();
    expect(await host.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    for (const id of ['ann', 'bob']) {
      expect(results.ranking.find((e) => e.playerId === id)?.status, id).toBe('finished');
      // The honest racers' own judgement is untouched: no engine flag on either.
      expect(results.racers.find((r) => r.playerId === id)?.flags ?? [], id).toEqual([]);
    }
    expect(results.ranking.find((e) => e.playerId === 'mallory')).toBeUndefined();
    expect(host.output()).not.toMatch(
      /refused a message on race\/e2e-trust\/(pos\/(ann|bob)|presence) /,
    );
  }, 180_000);
});
