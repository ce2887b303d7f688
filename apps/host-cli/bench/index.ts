/**
 * The host at scale: the real built host (`dist/cli.js`, a child process) judging N simulated
 * racers at 10 Hz, through its embedded hub and through Mosquitto, beside Mosquitto alone
 * relaying the same traffic. Per case: positions offered vs judged (the host's own count),
 * crossings credited vs expected, crossing → ranking latency p50/p99, host CPU and peak RSS.
 * `pnpm bench` (builds first); `BENCH_RACERS=100,500,1000,2000` for more racers.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { trackSchema } from '@gw2race/protocol';
import mqtt from 'mqtt';
import {
  HOST_CLI,
  type Program,
  SHORT_TRACK,
  start,
  startMosquitto,
  stopAll,
  tempDir,
  which,
} from '../../../e2e/src/harness';
import { haveRabbitmq, startRabbitCluster } from '../../../e2e/src/rabbitmq';
import { openFleet } from './fleet';
import { cpuSeconds, createCrossingClock, peakRssMb, quantile } from './measure';

const sizes = (process.env.BENCH_RACERS ?? '100,500').split(',').map(Number);
/** Which hubs to run (`embedded,mosquitto,rabbitmq`); default all. */
const hubs = new Set((process.env.BENCH_HUBS ?? 'embedded,mosquitto,rabbitmq').split(','));
/** A directory for the host's CPU profiles (`--cpu-prof`), one per case; none by default. */
const profileDir = process.env.BENCH_PROFILE;
const JOIN_SECONDS = 20;
const CASE_SECONDS = 30;
const track = trackSchema.parse(JSON.parse(readFileSync(SHORT_TRACK, 'utf8')));

interface Row {
  hub: string;
  racers: number;
  offered: number;
  judged: number | undefined;
  credited: number;
  expected: number;
  p50: number;
  p99: number;
  cpu: number | undefined;
  rss: number | undefined;
  /** What went wrong, if anything. */
  note?: string;
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms),
    ),
  ]);

/** The head of the last screen the host printed (what it said about the race). */
function lastScreen(host: Program): string {
  const text = host.output();
  const at = text.lastIndexOf('gw2race-host ·');
  const ready = [...text.matchAll(/auto-start when \d+ racers are ready \(\d+\/\d+\)/g)].at(-1);
  const head = text
    .slice(Math.max(0, at), at + 800)
    .split('\n')
    .slice(0, 5)
    .join('\n');
  return `${head}\n  ${ready?.[0] ?? ''}`;
}

/** The host's own count of positions, from the last screen it printed. */
function judgedBy(host: Program): number | undefined {
  const counts = [...host.output().matchAll(/ (\d+) positions,/g)];
  const last = counts.at(-1);
  return last ? Number(last[1]) : undefined;
}

/** The host's command line for one case: ends at the last finisher or 20 s after t0. */
function hostArgs(raceId: string, racers: number, broker: string | undefined): string[] {
  const args = ['--exit-after-race', '--yes', '--no-ntp', '--plain', '--no-http', '--new'];
  args.push('--out', tempDir('gw2race-bench-'), '--race', raceId, '--track', SHORT_TRACK);
  args.push('--auto-start', String(racers), '--start-delay', '2', '--time-limit', '20');
  args.push('--finish-timeout', '5', '--rejoin-grace', '3');
  args.push(...(broker ? ['--broker', broker] : ['--port', '0']));
  return args;
}

/**
 * One race, until the final ranking: the host on the first of `brokers` (without them, on its
 * embedded hub), N racers spread over them all.
 */
async function hostCase(hub: string, racers: number, brokers?: readonly string[]): Promise<Row> {
  const broker = brokers?.[0];
  const raceId = `bench-${hub.toLowerCase().replace(/\W+/g, '')}-${racers}`;
  const host = profileDir
    ? start('host', process.execPath, [
        '--cpu-prof',
        `--cpu-prof-dir=${profileDir}`,
        HOST_CLI,
        ...hostArgs(raceId, racers, broker),
      ])
    : start('host', HOST_CLI, hostArgs(raceId, racers, broker));
  const pid = host.child.pid as number;
  const open = await host.waitFor(/is open on (mqtt:\/\/[\d.]+:\d+)/, 15_000);
  const url = broker ?? (open[1] as string);
  const observer = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await observer.subscribeAsync([`race/${raceId}/control`, `race/${raceId}/ranking`], { qos: 0 });
  // Subscribed first: START comes once the last racer is ready.
  const fleet = await openFleet(brokers ?? [url], raceId, racers, track);
  const clock = createCrossingClock(fleet.sent);
  let cpu0 = 0;
  let wall0 = 0;
  let rss: number | undefined;
  // The last CPU reading and when: the host may have exited by the time the case ends.
  let cpuNow = { cpu: 0, at: 0 };
  const sample = () => {
    rss = peakRssMb(pid) ?? rss;
    const cpu = cpuSeconds(pid);
    if (cpu !== undefined) cpuNow = { cpu, at: performance.now() };
  };
  const rssTimer = setInterval(sample, 250);
  let started: () => void = () => {};
  const startSeen = new Promise<void>((resolve) => (started = resolve));
  const final = new Promise<void>((resolve) => {
    observer.on('message', (topic, payload) => {
      const message = JSON.parse(payload.toString());
      if (topic.endsWith('/control') && message.cmd === 'START') {
        fleet.start(message.t0);
        cpu0 = cpuSeconds(pid) ?? 0;
        wall0 = performance.now();
        started();
      } else if (topic.endsWith('/ranking')) {
        clock.onRanking(message.entries ?? []);
        if (message.final) resolve();
      }
    });
  });
  // Bounded twice: every racer ready within JOIN_SECONDS, the race over CASE_SECONDS after START.
  const note = await within(startSeen, JOIN_SECONDS * 1000, 'START (all racers ready)')
    .then(() => within(final, CASE_SECONDS * 1000, 'final ranking'))
    .then(() => '')
    .catch((error: Error) => error.message)
    .finally(() => {
      sample();
      clearInterval(rssTimer);
    });
  const cpu =
    wall0 > 0 && cpuNow.at > wall0
      ? ((cpuNow.cpu - cpu0) / ((cpuNow.at - wall0) / 1000)) * 100
      : undefined;
  const offered = fleet.offered();
  fleet.stop();
  host.kill('SIGTERM'); // it has ended by itself unless the case ran out of time
  await within(host.exited, 15_000, 'host exit').catch(() => host.kill('SIGKILL'));
  await observer.endAsync(true);
  const latencies = [...clock.latencies].sort((a, b) => a - b);
  const credited = [...clock.credited.values()].reduce((a, b) => a + b, 0);
  // A mass start credits every checkpoint but the start line.
  const expected = racers * track.checkpoints.filter((c) => c.role !== 'start').length;
  if (note) console.log(`  ${hub}, ${racers} racers: the host's last screen:\n${lastScreen(host)}`);
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  return {
    hub,
    racers,
    offered,
    judged: judgedBy(host),
    credited,
    expected,
    p50,
    p99,
    cpu,
    rss,
    note,
  };
}

/** Mosquitto alone: the same racers, a subscriber to every position, for as long as a race. */
async function relayCase(hub: string, urls: readonly string[], racers: number): Promise<Row> {
  const url = urls[0] as string;
  const raceId = `bench-relay-${racers}`;
  const observer = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  const fleet = await openFleet(urls, raceId, racers, track);
  const latencies: number[] = [];
  let received = 0;
  observer.on('message', (_topic, payload) => {
    const now = performance.now();
    const { playerId, tick } = JSON.parse(payload.toString()) as { playerId: string; tick: number };
    const at = fleet.sent.get(playerId)?.perf[tick];
    received++;
    if (at !== undefined) latencies.push(now - at);
  });
  await observer.subscribeAsync(`race/${raceId}/pos/+`, { qos: 0 });
  fleet.start(Date.now() / 1000 + 2);
  await new Promise((resolve) => setTimeout(resolve, 14_000));
  const offered = fleet.offered();
  fleet.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await observer.endAsync(true);
  latencies.sort((a, b) => a - b);
  return {
    hub: `${hub} alone (pos → subscriber)`,
    racers,
    offered,
    judged: received,
    credited: 0,
    expected: 0,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpu: undefined,
    rss: undefined,
  };
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
function print(row: Row): void {
  const f = (n: number | undefined, digits = 1) =>
    n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
  const crossings = row.expected > 0 ? `${row.credited}/${row.expected}` : '-';
  console.log(
    `${row.hub.padEnd(36)} ${pad(row.racers, 6)} ${pad(row.offered, 8)} ${pad(row.judged ?? '-', 8)} ${pad(crossings, 11)} ${pad(f(row.p50), 7)} ${pad(f(row.p99), 7)} ${pad(f(row.cpu, 0), 5)} ${pad(f(row.rss, 0), 6)}${row.note ? `  (${row.note})` : ''}`,
  );
}

console.log(
  `host-cli bench: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `racers at 10 Hz on the ${track.checkpoints.length}-checkpoint e2e short course, 1 lap; latency in ms; CPU in % of one core from START to the final ranking`,
);
console.log(
  `${'hub'.padEnd(36)} racers  offered   judged   crossings  p50 ms  p99 ms  cpu%  rssMB`,
);
/** A RabbitMQ node, then a two-node cluster (racers over both, host on the first): 100 and 500. */
async function rabbitmqCases(racerCounts: readonly number[]): Promise<void> {
  if (racerCounts.length === 0 || !hubs.has('rabbitmq') || process.env.BENCH_RABBITMQ === '0')
    return;
  if (!haveRabbitmq()) {
    console.log('(rabbitmq-server is not installed: its rows are skipped)');
    return;
  }
  for (const count of [1, 2] as const) {
    const cluster = await startRabbitCluster(count);
    const name = count === 1 ? 'RabbitMQ 1 node' : 'RabbitMQ 2 nodes';
    try {
      const urls = cluster.nodes.map((n) => n.url);
      for (const racers of racerCounts) {
        print(await relayCase(name, urls, racers));
        print(await hostCase(`host on ${name}`, racers, urls));
      }
    } finally {
      await cluster.stop();
    }
  }
}

const mosquitto = hubs.has('mosquitto') && which('mosquitto') ? await startMosquitto() : undefined;
if (!mosquitto && hubs.has('mosquitto'))
  console.log('(Mosquitto is not installed: its rows are skipped; apt-get install mosquitto)');
try {
  for (const racers of sizes) {
    if (mosquitto) print(await relayCase('Mosquitto', [mosquitto.url], racers));
    if (hubs.has('embedded')) print(await hostCase('host, embedded hub', racers));
    if (mosquitto) print(await hostCase('host on Mosquitto', racers, [mosquitto.url]));
  }
  await rabbitmqCases(sizes.filter((n) => n <= 500));
} finally {
  await stopAll();
}
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exit(0);
