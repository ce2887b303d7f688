/**
 * A tour of the gw2race wire contract: what a host and a racer exchange, encoded, signed and
 * decoded with @gw2race/protocol. Run: pnpm --filter @gw2race/protocol example
 */
import {
  buildTopic,
  decodeMessage,
  decodeTopicMessage,
  decodeVerifiedMessage,
  derivePlayerKey,
  encodeMessage,
  encodeSignedMessage,
  type MessageKind,
  type MessageOf,
  TOPIC_SETTINGS,
} from '../src/index';

const raceId = 'abc123';
const now = 1_724_312_300;
const text = new TextDecoder();

function show<K extends MessageKind>(kind: K, topic: string, message: MessageOf<K>): void {
  const json = encodeMessage(kind, message);
  const packed = encodeMessage(kind, message, { codec: 'msgpack' });
  const channel = topic.split('/')[2] as keyof typeof TOPIC_SETTINGS;
  const { qos, retain } = TOPIC_SETTINGS[channel];
  console.log(
    `\n${topic}  (QoS ${qos}${retain ? ', retained' : ''}; ${json.byteLength} B JSON, ${packed.byteLength} B MessagePack)`,
  );
  console.log(`  ${text.decode(json)}`);
  const back = decodeTopicMessage(topic, packed);
  if (!back.ok) throw back.error;
}

console.log('# The host sets up the race');
show('state', buildTopic(raceId, 'state'), {
  raceId,
  trackId: 'gendarran',
  trackName: 'TYRIA GENDARRAN',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 233.2, y: 8.56, z: 477.77, r: 15, role: 'start' },
    { id: 1, x: -108.6, y: 16.91, z: 340.13, r: 15 },
    { id: 2, x: 289.73, y: 12.3, z: 464.36, r: 15, role: 'finish' },
  ],
  laps: 1,
  t0: null,
  serverClock: now,
  stage: 'pre',
  participants: [{ playerId: 'p1', name: 'Guillermo' }],
});
show('control', buildTopic(raceId, 'control'), { cmd: 'SYNC_T0', serverClock: now });

console.log('\n# A racer joins and measures its clock offset');
show('presence', buildTopic(raceId, 'presence'), {
  playerId: 'p1',
  event: 'join',
  clientClock: now - 0.5,
  ver: '1.2.0',
});
show('ping', buildTopic(raceId, 'ping'), { playerId: 'p1', id: 1, t1: now + 0.4991 });
show('pong', buildTopic(raceId, 'pong', 'p1'), {
  playerId: 'p1',
  id: 1,
  t1: now + 0.4991,
  t2: now + 0.012,
  t3: now + 0.0121,
});

console.log('\n# The race starts and runs');
show('control', buildTopic(raceId, 'control'), { cmd: 'START', t0: now + 60 });
show('pos', buildTopic(raceId, 'pos', 'p1'), {
  playerId: 'p1',
  t: now + 70.1,
  x: Math.fround(101.5),
  y: Math.fround(20.25),
  z: Math.fround(-33),
  v: 21.3,
});
show('checkpoint', buildTopic(raceId, 'checkpoints'), {
  raceId,
  playerId: 'p1',
  cp: 1,
  ts: now + 75.842,
  speed: 21.3,
});

console.log('\n# Signed, as the README specifies');
const playerKey = await derivePlayerKey(
  new Uint8Array(32).map((_, i) => i),
  'p1',
);
const topic = buildTopic(raceId, 'checkpoints');
const signed = await encodeSignedMessage(
  'checkpoint',
  topic,
  { raceId, playerId: 'p1', cp: 5, ts: 1724312355.842 },
  3,
  playerKey,
);
console.log(`  ${text.decode(signed)}`);
const verified = await decodeVerifiedMessage(topic, signed, playerKey);
console.log(`  verified: ${verified.ok}`);

console.log('\n# Bad input gets a clear error, never an exception');
for (const [kind, payload] of [
  ['pos', '{"playerId":"p1","t":"soon","x":1,"y":2,"z":3}'],
  ['control', '{"cmd":"LAUNCH"}'],
  ['presence', '{"playerId":"p/1","status":"ready"}'],
  ['pos', '{"playerId":'],
] as const) {
  const result = decodeMessage(kind, payload);
  console.log(
    `  ${payload}\n    -> ${result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`}`,
  );
}
