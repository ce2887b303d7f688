/**
 * One run of the relay bench: N racers on raw TCP sockets publish positions at 10 Hz through a
 * hub on 127.0.0.1, a host and `spectators` subscribers (mqtt.js) receive them. Prints one JSON
 * line: sent, received per subscriber, drops, delivery latency p50/p99 (ms). Stops by itself.
 * Run: `tsx bench/relay.ts hardened|unhardened RACERS [SECONDS] [SPECTATORS]`.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import { createRaceAccess } from '../src/race-access';
import { startHub } from '../src/start-hub';
import { connectPacket, publishPacket } from './mqtt-bytes';

const [config = 'hardened', racersText = '100', secondsText = '3', spectatorsText = '2'] =
  process.argv.slice(2);
const racers = Number(racersText);
const seconds = Number(secondsText);
const spectators = Number(spectatorsText);
const hub = await startHub({
  port: 0,
  unhardened: config === 'unhardened',
  access: createRaceAccess({ raceId: 'bench', hostToken: 'token' }),
});

const latencies: number[] = [];
let received = 0;
const subscribers: MqttClient[] = [];
for (let i = 0; i <= spectators; i++) {
  const c = await mqtt.connectAsync(hub.url, { protocolVersion: 4, reconnectPeriod: 0 });
  c.on('message', (_topic, payload) => {
    received++;
    if (i === 0) latencies.push(performance.now() - Number(payload.toString().slice(5, -1)));
  });
  await c.subscribeAsync('race/bench/pos/+', { qos: 0 });
  subscribers.push(c);
}

async function openRacer(i: number): Promise<Socket> {
  const socket = connect(hub.port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(connectPacket(`racer-${i}`));
  await new Promise((resolve) => socket.once('data', resolve));
  return socket;
}
const sockets: Socket[] = [];
// They join together, as at a race's start.
for (let i = 0; i < racers; i += 100)
  sockets.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(100, racers - i) }, (_, j) => openRacer(i + j)),
    )),
  );

let sent = 0;
const timers = sockets.map((socket, i) =>
  setTimeout(
    () => {
      timers[i] = setInterval(() => {
        sent++;
        socket.write(publishPacket(`race/bench/pos/r${i}`, `{"t":${performance.now()}}`));
      }, 100);
    },
    (i * 100) / racers,
  ),
);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
for (const timer of timers) clearInterval(timer);
await new Promise((resolve) => setTimeout(resolve, 1000));

latencies.sort((a, b) => a - b);
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const expected = sent * (spectators + 1);
process.stdout.write(
  `${JSON.stringify({
    config,
    racers,
    spectators,
    sent,
    delivered: received,
    drops: expected - received,
    p50: Number(at(0.5).toFixed(2)),
    p99: Number(at(0.99).toFixed(2)),
    stats: hub.stats(),
  })}\n`,
);
for (const socket of sockets) socket.destroy();
for (const c of subscribers) c.end(true);
await hub.close();
process.exit(0);
