// Watches a race's state on a hub: `npx tsx packages/hub-client/examples/watch-race.ts [HUB_URL] [RACE_ID]`.
// Without a URL it starts a local hub (@gw2race/hub) and plays the organizer itself, so it runs
// anywhere; with one (e.g. mqtt://127.0.0.1:1883 while gw2race-host runs) it watches that race.
import { startHub } from '@gw2race/hub';
import { buildTopic, decodeTopicMessage, encodeMessage } from '@gw2race/protocol';
import { closeClient, connectHub, isHubClientError, randomClientId } from '../src/index';

const [urlArg, raceId = 'r1'] = process.argv.slice(2);
const hub = urlArg ? undefined : await startHub({ port: 0 });
const url = urlArg ?? (hub?.url as string);

try {
  const watcher = await connectHub(url, {
    clientId: randomClientId('gw2race-watch'),
    onStatus: (status) => console.log(`hub: ${status}`),
  });
  watcher.on('message', (topic, payload) => {
    const decoded = decodeTopicMessage(topic, payload);
    if (!decoded.ok) return console.log(`ignored ${topic}: ${decoded.error.message}`);
    const state = decoded.value.message as { stage: string; trackName: string };
    console.log(`race ${raceId}: ${state.trackName}, stage ${state.stage}`);
  });
  // state is retained: a late joiner gets the current one at once.
  await watcher.subscribeAsync(buildTopic(raceId, 'state'), { qos: 1 });

  if (hub) {
    const organizer = await connectHub(url, { clientId: randomClientId('organizer') });
    const state = {
      raceId,
      trackId: 'line',
      trackName: 'Line',
      mapId: 24,
      stage: 'pre' as const,
      t0: null,
      checkpoints: [0, 100].map((x, id) => ({ id, x, y: 0, z: 0, r: 10 })),
    };
    await organizer.publishAsync(
      buildTopic(raceId, 'state'),
      Buffer.from(encodeMessage('state', state)),
      {
        qos: 1,
        retain: true,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closeClient(organizer);
    await closeClient(watcher);
    await hub.close();
  }
} catch (error) {
  // e.g. CONNECTION_REFUSED: could not reach the hub at mqtt://127.0.0.1:1883: connection refused
  if (isHubClientError(error)) console.error(`${error.code}: ${error.message}`);
  else throw error;
  await hub?.close();
  process.exitCode = 1;
}
