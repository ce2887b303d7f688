/**
 * Reproduces aedes' `RangeError: Maximum call stack size exceeded` with one client's burst on
 * 127.0.0.1, and shows the hardened hub holding it. Run: `tsx bench/stack-burst.ts [unhardened]`.
 *
 * After CONNECT, one TCP write carries 300 positions someone subscribes to (each delivery finishes on a
 * later turn, so mqemitter's 100 slots fill and the rest queue) and then `count` pings nobody
 * subscribes to: mqemitter finishes each of those synchronously and starts the next queued one
 * from inside that call, one stack frame chain per message.
 */
import { connect } from 'node:net';
import mqtt from 'mqtt';
import { startHub } from '../src/start-hub';
import { connectPacket, publishPacket } from './mqtt-bytes';

const unhardened = process.argv.includes('unhardened');
const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
// `no-rates`: hardened but without rate limits, to show the stack fix on its own.
const free = { perSecond: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY };
const hub = await startHub({
  port: 0,
  unhardened,
  ...(process.argv.includes('no-rates') ? { limits: { rates: {}, otherRate: free } } : {}),
});
const watcher = await mqtt.connectAsync(hub.url, { protocolVersion: 4, reconnectPeriod: 0 });
let positions = 0;
watcher.on('message', () => positions++);
await watcher.subscribeAsync('race/r1/pos/+', { qos: 0 });
const burst: Buffer[] = [];
for (let i = 0; i < 300; i++) burst.push(publishPacket('race/r1/pos/a', `{"i":${i}}`));
for (let i = 0; i < count; i++) burst.push(publishPacket('race/r1/ping', '{}'));
const socket = connect(hub.port, '127.0.0.1');
socket.on('error', () => {});
socket.write(connectPacket('burst'));
await new Promise((resolve) => socket.once('data', resolve)); // CONNACK
socket.write(Buffer.concat(burst));
/** Waits (bounded) until `done()`: a loaded CI machine may take seconds to relay the burst. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const start = performance.now();
  while (!done() && performance.now() - start < timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, 50));
}
await until(() => positions >= 300, 20_000);
// The hub still relays: a message from another client reaches the watcher.
const before = positions;
await watcher.publishAsync('race/r1/pos/b', '{}', { qos: 0 });
await until(() => positions > before, 10_000);
process.stdout.write(
  `${JSON.stringify({ unhardened, count, burstPositions: before, stillRelays: positions > before, stats: hub.stats() })}\n`,
);
socket.destroy();
watcher.end(true);
await hub.close();
process.exit(0);
