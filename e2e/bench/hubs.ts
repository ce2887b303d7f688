/**
 * What a race needs from each hub, measured on 127.0.0.1: N racers' positions at 10 Hz (raw TCP
 * sockets, QoS 0) for a few seconds, a host on the first node subscribed to all of them; sent,
 * delivered, p50/p99 latency. Beside it, what the hub does with a retained message (seen on the
 * other node?) and large payloads (1 MiB, 16 MiB). Hubs: Mosquitto (the baseline), a RabbitMQ
 * node, and a two-node RabbitMQ cluster with the racers spread over both nodes. Those not
 * installed are skipped. `pnpm --filter @gw2race/e2e bench`; `RACERS=100,500`, `SECONDS=3`.
 * (The embedded hub's own relay figures are the hub package's bench.)
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { needs, startMosquitto, stopAll } from '../src/harness';
import { haveRabbitmq, type RabbitCluster, startRabbitCluster } from '../src/rabbitmq';
import { connectPacket, publishPacket } from './mqtt-wire';

const sizes = (process.env.RACERS ?? '100,500').split(',').map(Number);
const seconds = Number(process.env.SECONDS ?? '3');

interface Hub {
  readonly name: string;
  /** Node URLs: the host is on the first, racers go round them all. */
  readonly urls: readonly string[];
}

async function openRacer(url: string, i: number): Promise<Socket> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(connectPacket(`bench-racer-${i}`));
  await new Promise((resolve) => socket.once('data', resolve)); // CONNACK
  return socket;
}

/** One relay run: N racers over the hub's nodes, the host on the first. */
async function relay(hub: Hub, racers: number) {
  const latencies: number[] = [];
  const host = await mqtt.connectAsync(hub.urls[0] as string, {
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  host.on('message', (_topic, payload) => {
    latencies.push(performance.now() - Number(payload.toString().slice(5, -1)));
  });
  await host.subscribeAsync('race/bench/pos/+', { qos: 0 });
  const sockets: Socket[] = [];
  for (let i = 0; i < racers; i += 50)
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, racers - i) }, (_, j) =>
          openRacer(hub.urls[(i + j) % hub.urls.length] as string, i + j),
        ),
      )),
    );
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  sockets.forEach((socket, i) => {
    timers.push(
      setTimeout(
        () => {
          timers.push(
            setInterval(() => {
              sent++;
              socket.write(publishPacket(`race/bench/pos/r${i}`, `{"t":${performance.now()}}`));
            }, 100),
          );
        },
        (i * 100) / racers,
      ),
    );
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  for (const timer of timers) clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const socket of sockets) socket.destroy();
  await host.endAsync();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { sent, delivered: latencies.length, p50: at(0.5), p99: at(0.99) };
}

/** A retained message published on the first node: does a subscriber on the last get it? */
async function retainedAcross(hub: Hub): Promise<boolean> {
  const topic = `race/bench/state-${Math.random().toString(36).slice(2)}`;
  const publisher = await mqtt.connectAsync(hub.urls[0] as string, { protocolVersion: 4 });
  await publisher.publishAsync(topic, 'retained', { qos: 1, retain: true });
  await publisher.endAsync();
  const reader = await mqtt.connectAsync(hub.urls.at(-1) as string, { protocolVersion: 4 });
  const got = new Promise<boolean>((resolve) => {
    reader.on('message', () => resolve(true));
    setTimeout(() => resolve(false), 3000);
  });
  await reader.subscribeAsync(topic, { qos: 1 });
  const result = await got;
  await reader.endAsync();
  return result;
}

/** Largest of the payload sizes that a subscriber on the last node receives from the first. */
async function payloadCarried(hub: Hub, bytes: number): Promise<boolean> {
  const topic = `race/bench/big-${bytes}`;
  const reader = await mqtt.connectAsync(hub.urls.at(-1) as string, {
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  reader.on('error', () => {});
  await reader.subscribeAsync(topic, { qos: 1 });
  const got = new Promise<boolean>((resolve) => {
    reader.on('message', (_t, payload) => resolve(payload.length === bytes));
    setTimeout(() => resolve(false), 10_000);
  });
  const writer = await mqtt.connectAsync(hub.urls[0] as string, {
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  writer.on('error', () => {});
  writer.publish(topic, Buffer.alloc(bytes, 97), { qos: 0 });
  const result = await got;
  writer.end(true);
  reader.end(true);
  return result;
}

const hubs: { hub: Hub; stop(): Promise<void> }[] = [];
if (needs('mosquitto')) {
  const mosquitto = await startMosquitto();
  hubs.push({ hub: { name: 'Mosquitto', urls: [mosquitto.url] }, stop: stopAll });
}
const clusters: RabbitCluster[] = [];
if (haveRabbitmq()) {
  for (const count of [1, 2] as const) {
    const cluster = await startRabbitCluster(count);
    clusters.push(cluster);
    console.log(`RabbitMQ, ${count} node(s): up in ${cluster.startSeconds.toFixed(1)} s`);
    hubs.push({
      hub: {
        name: count === 1 ? 'RabbitMQ 1 node' : 'RabbitMQ 2 nodes',
        urls: cluster.nodes.map((n) => n.url),
      },
      stop: () => cluster.stop(),
    });
  }
}

try {
  console.log(
    `positions at 10 Hz for ${seconds} s, QoS 0, racers on raw sockets spread over the nodes, host on the first (127.0.0.1)`,
  );
  console.log('hub                racers    sent  delivered  p50 ms  p99 ms');
  for (const { hub } of hubs)
    for (const racers of sizes) {
      const r = await relay(hub, racers);
      console.log(
        `${hub.name.padEnd(18)} ${String(racers).padStart(6)} ${String(r.sent).padStart(7)} ${String(r.delivered).padStart(10)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)}`,
      );
    }
  console.log('\nhub                retained seen on the other node  1 MiB  16 MiB');
  for (const { hub } of hubs) {
    const retained = await retainedAcross(hub);
    const mib = await payloadCarried(hub, 1024 * 1024);
    const big = await payloadCarried(hub, 16 * 1024 * 1024);
    console.log(
      `${hub.name.padEnd(18)} ${(hub.urls.length === 1 ? `(one node) ${retained ? 'yes' : 'no'}` : retained ? 'yes' : 'no').padEnd(32)} ${(mib ? 'yes' : 'no').padEnd(6)} ${big ? 'yes' : 'no'}`,
    );
  }
} finally {
  for (const cluster of clusters) await cluster.stop();
  await stopAll();
}
process.exit(0);
