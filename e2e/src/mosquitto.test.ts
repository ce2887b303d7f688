import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HOST_CLI,
  makeTestCa,
  needs,
  raceOptions,
  start,
  startHostOnBroker,
  startMosquitto,
  startRacer,
  stopAll,
  which,
} from './harness';
import { raceFiles, readResults } from './results';
import { cheaterRace, externalHub, spectatorRace } from './scenarios';

afterAll(stopAll);

const haveMosquitto = needs('mosquitto') && needs('mosquitto_pub');
const haveOpenssl = needs('openssl');

/** Runs mosquitto_sub until it has `count` messages; resolves with their payloads. */
async function subscribe(port: number, topic: string, count: number): Promise<string[]> {
  const sub = start('mosquitto_sub', which('mosquitto_sub') as string, [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    topic,
    '-C',
    String(count),
    '-W',
    '30',
  ]);
  expect(await sub.exited).toBe(0);
  return sub.output().trim().split('\n');
}

describe.skipIf(!haveMosquitto).concurrent('on a real Mosquitto broker', () => {
  it('runs a whole race with gw2race-host --broker, position streams spread over two more connections', async () => {
    const mosquitto = await startMosquitto();
    const { host, out } = await startHostOnBroker(mosquitto.url, [
      ...raceOptions('e2e-mosq', { autoStart: 2 }),
      '--hub-connections',
      '2',
    ]);
    const racers = [
      startRacer('e2e-mosq', mosquitto.url, 'Ann'),
      startRacer('e2e-mosq', mosquitto.url, 'Ben'),
    ];
    expect(await host.exited).toBe(0);
    for (const racer of racers) expect(await racer.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking.map((e) => e.status)).toEqual(['finished', 'finished']);
    // The final ranking stays retained on the hub for late joiners.
    const [retained] = await subscribe(mosquitto.port, 'race/e2e-mosq/ranking', 1);
    expect(JSON.parse(retained as string)).toMatchObject({ raceId: 'e2e-mosq', final: true });
  });

  it('flags a teleporting racer on Mosquitto as on the embedded hub', async () => {
    const mosquitto = await startMosquitto();
    await cheaterRace(externalHub(mosquitto.url), 'e2e-mosq-cheat');
  });

  it('a spectator on Mosquitto sends nothing but presence (and clock pings)', async () => {
    const mosquitto = await startMosquitto();
    await spectatorRace(externalHub(mosquitto.url), 'e2e-mosq-spec');
  });

  it.skipIf(!haveOpenssl)(
    'runs a race over TLS (mqtts://) with a private CA and a password file; wrong credentials and a missing CA are clear errors',
    async () => {
      const ca = makeTestCa();
      const mosquitto = await startMosquitto({
        tls: ca,
        users: { organizer: 'organizer-secret', ann: 'ann-secret' },
      });
      const hub = `mqtts://127.0.0.1:${mosquitto.tlsPort}`;
      const ann = ['--ca', ca.caFile, '--username', 'ann'];

      // A wrong password: the hub refuses, exit code 3 (HUB_AUTH), for the racer and the host.
      const wrong = startRacer('e2e-tls', hub, 'Ann', [...ann, '--password', 'guess']);
      const wrongHost = start('host', HOST_CLI, [
        '--yes',
        '--no-ntp',
        '--plain',
        '--out',
        '/tmp',
        '--broker',
        hub,
        '--ca',
        ca.caFile,
        '--username',
        'organizer',
        '--password',
        'guess',
      ]);
      expect(await wrong.exited).toBe(3);
      expect(wrong.output()).toContain(`gw2race-racer: the hub at ${hub} refused our credentials`);
      expect(await wrongHost.exited).toBe(3);
      expect(wrongHost.output()).toContain(
        `gw2race-host: the hub at ${hub} refused our credentials`,
      );
      // The right password but not the private CA: TLS fails, and the hint names --ca.
      const noCa = startRacer('e2e-tls', hub, 'Ann', [
        '--username',
        'ann',
        '--password',
        'ann-secret',
      ]);
      expect(await noCa.exited).toBe(3);
      expect(noCa.output()).toContain(`TLS with the hub at ${hub} failed`);
      expect(noCa.output()).toContain('--ca FILE');
      for (const program of [wrong, wrongHost, noCa])
        expect(program.output()).not.toMatch(/at .*\.js:\d+/);

      const { host, out } = await startHostOnBroker(hub, [
        ...raceOptions('e2e-tls', { autoStart: 1, startDelay: 1 }),
        '--ca',
        ca.caFile,
        '--username',
        'organizer',
        '--password',
        'organizer-secret',
      ]);
      const racer = startRacer('e2e-tls', hub, 'Ann', [...ann, '--password', 'ann-secret']);
      expect(await host.exited).toBe(0);
      expect(await racer.exited).toBe(0);
      const results = readResults(raceFiles(out).resultsJson);
      expect(results.ranking).toMatchObject([
        { playerId: 'ann', status: 'finished', checkpoints: 4 },
      ]);
    },
  );

  it('ranks a client that only uses mosquitto_pub and mosquitto_sub with the documented JSON', async () => {
    const mosquitto = await startMosquitto();
    const { host, out } = await startHostOnBroker(mosquitto.url, [
      ...raceOptions('e2e-shell', { autoStart: 1, startDelay: 1 }),
    ]);
    const port = String(mosquitto.port);
    const pub = which('mosquitto_pub') as string;

    // 1. Read the race (retained state), 2. say we are here and ready.
    const [stateText] = await subscribe(mosquitto.port, 'race/e2e-shell/state', 1);
    const state = JSON.parse(stateText as string) as {
      checkpoints: { x: number; y: number; z: number }[];
    };
    const presence = start('pub presence', pub, [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-q',
      '1',
      '-t',
      'race/e2e-shell/presence',
      '-m',
      '{"playerId":"shell1","event":"join","status":"ready","name":"Shell","mode":"racer"}',
    ]);
    expect(await presence.exited).toBe(0);

    // 3. Wait for START: the retained state carries t0.
    let t0: number | null = null;
    while (t0 === null) {
      const [again] = await subscribe(mosquitto.port, 'race/e2e-shell/state', 1);
      t0 = (JSON.parse(again as string) as { t0: number | null }).t0;
      if (t0 === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // 4. Drive through the checkpoints at 25 m/s, one JSON position per line, 10 per second, in real time.
    const path = state.checkpoints;
    const stream = spawn(pub, [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-q',
      '0',
      '-t',
      'race/e2e-shell/pos/shell1',
      '-l',
    ]);
    const heartbeat = setInterval(() => {
      spawn(pub, [
        '-h',
        '127.0.0.1',
        '-p',
        port,
        '-q',
        '1',
        '-t',
        'race/e2e-shell/presence',
        '-m',
        '{"playerId":"shell1","status":"racing"}',
      ]);
    }, 1000);
    while (Date.now() / 1000 < (t0 as number) + 0.3)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const speed = 25;
    let leg = 0;
    let along = 0;
    for (;;) {
      const a = path[leg] as { x: number; y: number; z: number };
      const b = path[leg + 1];
      if (!b) break;
      const length = Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
      const f = Math.min(1, along / length);
      const line = JSON.stringify({
        playerId: 'shell1',
        t: Date.now() / 1000,
        x: a.x + (b.x - a.x) * f,
        y: a.y + (b.y - a.y) * f,
        z: a.z + (b.z - a.z) * f,
        v: speed,
      });
      stream.stdin.write(`${line}\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      along += speed * 0.1;
      if (along >= length) {
        along -= length;
        leg++;
      }
    }
    const last = path[path.length - 1] as { x: number; y: number; z: number };
    for (let i = 0; i < 5; i++) {
      stream.stdin.write(
        `${JSON.stringify({ playerId: 'shell1', t: Date.now() / 1000, x: last.x + 8 + i, y: last.y, z: last.z + 8 + i })}\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stream.stdin.end();
    clearInterval(heartbeat);

    // 5. The host ranks the shell client and ends the race when everyone has finished.
    expect(await host.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking).toMatchObject([
      { playerId: 'shell1', position: 1, status: 'finished', checkpoints: 4 },
    ]);
    const [final] = await subscribe(mosquitto.port, 'race/e2e-shell/ranking', 1);
    expect(JSON.parse(final as string)).toMatchObject({
      final: true,
      entries: [{ playerId: 'shell1', status: 'finished' }],
    });
  });
});

it.runIf(process.env.CI)(
  'CI has Mosquitto installed (the e2e tests above must not be skipped there)',
  () => {
    expect(which('mosquitto')).toBeDefined();
    expect(which('mosquitto_pub')).toBeDefined();
  },
);
