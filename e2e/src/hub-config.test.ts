import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectCredential, decodeInvitation, invitationKey } from '@gw2race/protocol';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { connackOf, until } from './checks';
import {
  freePort,
  HOST_CLI,
  needs,
  RACER_CLI,
  raceOptions,
  restartMosquitto,
  start,
  stopAll,
  tempDir,
} from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

const RACE = 'e2e-hubcfg';
const haveMosquitto = needs('mosquitto');

describe.skipIf(!haveMosquitto)('gw2race-host hub-config on a real Mosquitto', () => {
  it('its accounts and ACL keep each racer to its own topics, and an invited race runs to the finish', async () => {
    const out = tempDir();
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const config = start('hub-config', HOST_CLI, [
      'hub-config',
      '--for',
      'mosquitto',
      '--race',
      RACE,
      '--players',
      'Ann,Bob',
      '--out',
      out,
      '--broker',
      url,
    ]);
    expect(await config.exited).toBe(0);
    // Mosquitto started as root reads its files as the mosquitto user.
    chmodSync(out, 0o755);
    chmodSync(join(out, `race_${RACE}.mosquitto.passwd`), 0o644);
    const conf = join(out, 'mosquitto.conf');
    const generated = readFileSync(join(out, `race_${RACE}.mosquitto.conf`), 'utf8');
    writeFileSync(
      conf,
      `${generated}persistence false\nlog_dest stdout\nlistener ${port} 127.0.0.1\n`,
    );
    await restartMosquitto(conf, port);

    const invitations = JSON.parse(
      readFileSync(join(out, `race_${RACE}.invitations.json`), 'utf8'),
    ) as { playerId: string; code: string }[];
    const codeOf = (id: string) => invitations.find((i) => i.playerId === id)?.code as string;
    const credentialOf = async (id: string) => {
      const decoded = decodeInvitation(codeOf(id));
      if (!decoded.ok) throw decoded.error;
      expect(decoded.value.hub).toBe(url);
      return connectCredential(invitationKey(decoded.value));
    };
    const hostPassword = readFileSync(join(out, `race_${RACE}.host-password.txt`), 'utf8').trim();

    // Wrong and missing passwords, and Bob's credential under Ann's name, are refused.
    const ann = await credentialOf('ann');
    const bob = await credentialOf('bob');
    expect(await connackOf(url, { username: 'ann', password: 'guess' })).toBe(5);
    expect(await connackOf(url, { username: 'ann', password: bob })).toBe(5);
    expect(await connackOf(url, { username: 'ann', password: ann })).toBe(0);

    // Ann publishes as Bob, on control and on the state: Mosquitto drops them; her own position
    // (sent last, on the same connection, so delivered after them if at all) arrives.
    const watcher = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      username: 'gw2race-host',
      password: hostPassword,
    });
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync(`race/${RACE}/#`, { qos: 1 });
    const mallory = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      username: 'ann',
      password: ann,
    });
    await mallory.publishAsync(`race/${RACE}/pos/bob`, 'forged', { qos: 1 });
    await mallory.publishAsync(`race/${RACE}/control`, 'forged', { qos: 1 });
    await mallory.publishAsync(`race/${RACE}/state`, 'forged', { qos: 1, retain: true });
    await mallory.publishAsync(`race/other/control`, 'forged', { qos: 1 });
    await mallory.publishAsync(`race/${RACE}/pos/ann`, 'marker', { qos: 1 });
    await until(() => seen.includes(`race/${RACE}/pos/ann`), "Ann's own position");
    expect(seen).toEqual([`race/${RACE}/pos/ann`]);
    await mallory.endAsync();
    await watcher.endAsync();

    // The race: the host with the host account, the racers with nothing but their codes.
    const host = start('host', HOST_CLI, [
      '--yes',
      '--exit-after-race', // the test waits for the host to exit once the results are written
      '--no-ntp',
      '--plain',
      '--out',
      out,
      '--broker',
      url,
      ...raceOptions(RACE, { autoStart: 2 }),
      '--players',
      'Ann,Bob',
      '--username',
      'gw2race-host',
      '--password-file',
      join(out, `race_${RACE}.host-password.txt`),
    ]);
    await host.waitFor(/race \S+ is closed/);
    const racers = ['ann', 'bob'].map((id) =>
      start(`racer ${id}`, RACER_CLI, [
        '--invite',
        codeOf(id),
        '--simulate',
        '--no-ntp',
        '--plain',
      ]),
    );
    expect(await host.exited).toBe(0);
    for (const racer of racers) expect(await racer.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking.map((e) => [e.playerId, e.status]).sort()).toEqual([
      ['ann', 'finished'],
      ['bob', 'finished'],
    ]);
    expect(host.output()).not.toMatch(/Signatures: [1-9]/);
  }, 180_000);
});
