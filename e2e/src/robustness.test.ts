import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  HOST_CLI,
  RACER_CLI,
  raceOptions,
  SHORT_TRACK,
  start,
  startHost,
  startRacer,
  stopAll,
} from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

describe.concurrent('bad input and bad situations', () => {
  it('counts and logs malformed, oversized and spoofed messages, and the race goes on', async () => {
    const { host, url, out } = await startHost([...raceOptions('e2e-junk', { autoStart: 1 })]);
    const vandal = await mqtt.connectAsync(url, { clientId: 'vandal', protocolVersion: 4 });
    await vandal.publishAsync('race/e2e-junk/pos/vandal', Buffer.from([0xff, 0x00, 0x13, 0x37]), {
      qos: 0,
    });
    await vandal.publishAsync('race/e2e-junk/checkpoints', '{"playerId":"vandal","cp":"one"}', {
      qos: 1,
    });
    await vandal.publishAsync(
      'race/e2e-junk/presence',
      `{"playerId":"vandal","event":"join","name":"${'x'.repeat(5000)}"}`,
      { qos: 1 },
    );
    await vandal.publishAsync('race/e2e-junk/ping', '{"playerId":"vandal","id":1}', { qos: 0 });
    await host.waitFor(
      /refused a message on race\/e2e-junk\/pos\/vandal: pos message must be a JSON object or a MessagePack map, but its first byte is 0xFF/,
    );
    await host.waitFor(
      /refused a message on race\/e2e-junk\/checkpoints: invalid checkpoint message at cp/,
    );
    await host.waitFor(
      // The embedded hub drops it before fan-out (the protocol's per-kind limit) and the host logs it.
      /refused a publish on race\/e2e-junk\/presence from vandal: presence message is \d+ bytes \(limit 2048/,
    );
    // Only the host may publish the race state; the hub refuses the forgery.
    vandal.publish(
      'race/e2e-junk/state',
      '{"raceId":"e2e-junk","trackId":"fake","checkpoints":[]}',
      { qos: 0 },
    );
    await vandal.endAsync();
    const racer = startRacer('e2e-junk', url, 'Survivor');
    expect(await host.exited).toBe(0);
    expect(await racer.exited).toBe(0);
    expect(host.output()).toMatch(/\d+ refused/);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking).toMatchObject([{ playerId: 'survivor', status: 'finished' }]);
  });

  it('tells a racer with a wrong server code, with exit code 5', async () => {
    const { host, url } = await startHost(['--race', 'e2e-right', '--track', SHORT_TRACK]);
    const lost = start('lost racer', RACER_CLI, [
      '--race',
      'e2e-wrong',
      '--broker',
      url,
      '--name',
      'Lost',
      '--no-ntp',
      '--plain',
      '--wait-for-race',
      '1',
    ]);
    expect(await lost.exited).toBe(5);
    expect(lost.output()).toContain(
      `gw2race-racer: no race "e2e-wrong" on ${url} (no race state there)`,
    );
    expect(lost.output()).not.toMatch(/at .*\.js:\d+/);
    host.kill('SIGINT');
    expect(await host.exited).toBe(0);
  });

  it('tells the racer and the host when the hub cannot be reached, with exit code 3', async () => {
    const port = await freePort();
    const racer = start('racer', RACER_CLI, [
      '--race',
      'x',
      '--broker',
      `mqtt://127.0.0.1:${port}`,
      '--name',
      'A',
      '--no-ntp',
      '--plain',
    ]);
    const host = start('host', HOST_CLI, [
      '--yes',
      '--no-ntp',
      '--plain',
      '--broker',
      `mqtt://127.0.0.1:${port}`,
      '--out',
      '/tmp',
    ]);
    expect(await racer.exited).toBe(3);
    expect(await host.exited).toBe(3);
    for (const program of [racer, host]) {
      expect(program.output()).toContain(
        `could not reach the hub at mqtt://127.0.0.1:${port}: connection refused`,
      );
      expect(program.output()).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('tells the organizer when the hub port is taken, with exit code 4', async () => {
    const { host: first, url } = await startHost(['--race', 'e2e-first', '--track', SHORT_TRACK]);
    const port = new URL(url).port;
    const second = start('second host', HOST_CLI, [
      '--yes',
      '--no-ntp',
      '--plain',
      '--port',
      port,
      '--http-port',
      '0',
      '--out',
      '/tmp',
    ]);
    expect(await second.exited).toBe(4);
    expect(second.output()).toContain(`gw2race-host: port ${port} on 127.0.0.1 is already in use`);
    first.kill('SIGINT');
    expect(await first.exited).toBe(0);
  });

  it('refuses bad options with a usage message and exit code 2', async () => {
    const racer = start('racer', RACER_CLI, ['--race', 'a/b', '--name', 'x']);
    expect(await racer.exited).toBe(2);
    expect(racer.output()).toContain(
      'gw2race-racer: --race: race id "a/b" contains "/", which MQTT topics reserve',
    );
    const host = start('host', HOST_CLI, ['--yes', '--laps', 'many']);
    expect(await host.exited).toBe(2);
    expect(host.output()).toContain(
      'gw2race-host: --laps must be a whole number ≥ 1 and ≤ 1000, got "many"',
    );
    // An unknown option: one line that says which, and where the usage is (not all of it).
    for (const [name, cli] of [
      ['host', HOST_CLI],
      ['racer', RACER_CLI],
    ] as const) {
      const unknown = start(name, cli, ['--foo']);
      expect(await unknown.exited).toBe(2);
      expect(unknown.output().trim()).toBe(`gw2race-${name}: unknown option --foo; see --help`);
    }
    const track = start('host', HOST_CLI, ['--yes', '--no-ntp', '--track', '/nope/track.csv']);
    expect(await track.exited).toBe(6);
    expect(track.output()).toContain(
      'gw2race-host: cannot read the track /nope/track.csv: no such file',
    );
    // An address that is not this machine's (TEST-NET-1), and a name that does not resolve.
    for (const [listen, problem] of [
      ['192.0.2.1', 'no network interface of this machine has that address'],
      ['no-such-host.invalid', 'not an address of this machine'],
    ]) {
      const elsewhere = start('host', HOST_CLI, [
        '--yes',
        '--no-ntp',
        '--plain',
        '--port',
        '0',
        '--listen',
        listen as string,
        '--out',
        '/tmp',
      ]);
      expect(await elsewhere.exited).toBe(2);
      expect(elsewhere.output()).toContain(`gw2race-host: cannot listen on ${listen}: ${problem}`);
      expect(elsewhere.output()).not.toContain('unexpected error');
    }
  });
});
