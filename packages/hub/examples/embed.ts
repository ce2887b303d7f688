/**
 * Starts a race hub on 127.0.0.1, connects the host and a racer with mqtt.js, relays one
 * position, shows a refusal, and closes. Run: `npx tsx packages/hub/examples/embed.ts`.
 */
import { lastWill } from '@gw2race/protocol';
import mqtt from 'mqtt';
import { createRaceAccess, HOST_USERNAME, startHub } from '../src/index';

const hostToken = 'a-long-random-token';
const hub = await startHub({
  port: 0,
  access: createRaceAccess({ raceId: 'r1', hostToken }),
  onRefused: (clientId, topic, reason) =>
    console.log(`refused ${topic} from ${clientId}: ${reason}`),
});

const host = await mqtt.connectAsync(hub.url, {
  protocolVersion: 4,
  username: HOST_USERNAME,
  password: hostToken,
});
host.on('message', (topic, payload) => console.log(`host got ${topic} ${payload.toString()}`));
await host.subscribeAsync('race/r1/pos/+', { qos: 0 });
await host.publishAsync('race/r1/state', '{"raceId":"r1"}', { qos: 1, retain: true });

const will = lastWill('r1', 'p1', { mode: 'racer' });
const racer = await mqtt.connectAsync(hub.url, {
  protocolVersion: 4,
  will: { ...will, payload: Buffer.from(will.payload) },
});
await racer.publishAsync('race/r1/pos/p1', '{"playerId":"p1","t":1,"pos":[0,0,0]}', { qos: 0 });
// Refused: the racer is bound to p1, and only the host publishes the state.
await racer.publishAsync('race/r1/pos/p2', '{}', { qos: 0 });
await racer.publishAsync('race/r1/state', '{}', { qos: 1 });

await new Promise((resolve) => setTimeout(resolve, 200));
console.log(hub.stats());
await racer.endAsync();
await host.endAsync();
await hub.close();
