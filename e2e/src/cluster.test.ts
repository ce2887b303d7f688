import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exitCodes,
  HOST_CLI,
  needs,
  type Program,
  raceOptions,
  start,
  startHost,
  startHostOnBroker,
  startMosquitto,
  startProxy,
  startRacer,
  stopAll,
} from './harness';
import { needsRabbitmq, type RabbitCluster, type RabbitNode, startRabbitCluster } from './rabbitmq';
import { raceFiles, readResults } from './results';

/**
 * The same race on three hubs, one row each, so a difference between hubs shows as a failing
 * row: the embedded hub, Mosquitto, and a two-node RabbitMQ cluster, which keeps retained
 * messages per node (node B never has the race state the host retained on node A).
 */

let cluster: Promise<RabbitCluster> | undefined;

afterAll(async () => {
  // The cluster first: stopAll would kill its nodes without a word to rabbitmqctl.
  if (cluster) await (await cluster.catch(() => undefined))?.stop();
  await stopAll();
});

/** Where racers connect (nodes A and B: the same broker but for the cluster) and the host. */
interface Hubs {
  readonly a: string;
  readonly b: string;
  host(args: string[]): Promise<{ host: Program; out: string }>;
}

interface Row {
  readonly hub: string;
  readonly run: boolean;
  open(): Promise<Hubs>;
}

const ROWS: Row[] = [
  {
    hub: 'the embedded hub',
    run: true,
    async open() {
      let url = '';
      return {
        get a() {
          return url;
        },
        get b() {
          return url;
        },
        async host(args) {
          const started = await startHost(args);
          url = started.url;
          return started;
        },
      };
    },
  },
  {
    hub: 'Mosquitto',
    run: needs('mosquitto'),
    async open() {
      const { url } = await startMosquitto();
      return { a: url, b: url, host: (args) => startHostOnBroker(url, args) };
    },
  },
  {
    hub: 'a two-node RabbitMQ cluster',
    run: needsRabbitmq(),
    async open() {
      cluster ??= startRabbitCluster();
      const [a, b] = (await cluster).nodes as [RabbitNode, RabbitNode];
      return { a: a.url, b: b.url, host: (args) => startHostOnBroker(a.url, args) };
    },
  },
];

const portOf = (url: string) => Number(new URL(url).port);

/** Requests for the state seen on node B, by player. */
async function watchRequests(
  url: string,
  raceId: string,
): Promise<{ seen: string[]; close(): Promise<void> }> {
  const watcher = await mqtt.connectAsync(url, {
    clientId: `e2e-watch-${raceId}`,
    protocolVersion: 4,
  });
  const seen: string[] = [];
  watcher.on('message', (_topic, payload) => {
    seen.push((JSON.parse(payload.toString()) as { playerId: string }).playerId);
  });
  await watcher.subscribeAsync(`race/${raceId}/request`, { qos: 0 });
  return { seen, close: () => watcher.endAsync() };
}

describe.concurrent('one race on every kind of hub', () => {
  it.each(ROWS.filter((row) => row.run))(
    'on $hub: racers on nodes A and B, one joining B after START, one moving from A to B mid-race: all finish, no checkpoint lost, the recording re-judges to the live results',
    async (row) => {
      const raceId = `e2e-clu-${ROWS.indexOf(row)}`;
      const hubs = await row.open();
      // No steady republish: a racer on node B finds the race only by asking for it.
      const { host, out } = await hubs.host([
        // Room in the countdown for the racer who joins after START: a bot that joins once the
        // race runs starts where its timeline is, perhaps past the start line.
        ...raceOptions(raceId, { autoStart: 3, startDelay: 10 }),
        '--state-every',
        '0',
        '--finish-timeout',
        '60',
      ]);
      const requests = await watchRequests(hubs.b, raceId);
      const proxy = await startProxy(portOf(hubs.a));
      const slow = ['--sim-speed', '15'];
      const racers = [
        startRacer(raceId, hubs.a, 'Ann', slow),
        startRacer(raceId, hubs.b, 'Ben', slow),
        startRacer(raceId, `mqtt://127.0.0.1:${proxy.port}`, 'Cy', slow),
      ];
      const mover = racers[2] as Program;
      // After START the state on node A's retained store is not the one Dee could find on B.
      await host.waitFor(/START: the race starts in/, 60_000);
      const late = startRacer(raceId, hubs.b, 'Dee');
      // Cy, mid-race: its connection to node A drops, it reconnects through the proxy to node B.
      await mover.waitFor(/Checkpoints [1-3]\/4/, 60_000);
      proxy.switchTo(portOf(hubs.b));
      await mover.waitFor(/reconnected to the hub/, 30_000);

      expect(await exitCodes([host, ...racers, late])).toEqual([0, 0, 0, 0, 0]);
      await requests.close();
      await proxy.close();
      const files = raceFiles(out);
      const live = readResults(files.resultsJson);
      const outputs = [host, ...racers, late].map(
        (p) => `--- ${p.name}:\n${p.output().slice(-2500)}`,
      );
      expect(
        live.ranking.map((e) => [e.playerId, e.status, e.checkpoints]).sort(),
        outputs.join('\n'),
      ).toEqual([
        ['ann', 'finished', 4],
        ['ben', 'finished', 4],
        ['cy', 'finished', 4],
        ['dee', 'finished', 4],
      ]);
      expect(late.output()).toContain('Checkpoints 4/4');
      expect(mover.output()).toContain('Checkpoints 4/4');
      // On the cluster the late joiner had no retained state on node B: it asked for it.
      if (hubs.a !== hubs.b) expect(requests.seen).toContain('dee');

      const rejudged = start('results', HOST_CLI, ['results', files.recording, '--format', 'json']);
      expect(await rejudged.exited).toBe(0);
      expect(JSON.parse(rejudged.output())).toEqual(
        JSON.parse(readFileSync(files.resultsJson, 'utf8')),
      );
    },
  );

  it('refuses a bad --state-every with a clear line and exit code 2', async () => {
    const host = start('host', HOST_CLI, ['--yes', '--no-ntp', '--state-every', 'often']);
    expect(await host.exited).toBe(2);
    expect(host.output().trim()).toBe(
      'gw2race-host: --state-every must be a number ≥ 0 and ≤ 3600, got "often"',
    );
  });
});
