/**
 * Protocol benchmark: bytes per message and encode/decode rates, JSON vs MessagePack, with the
 * cost of plain JSON.parse (no validation) measured in the same run as the baseline.
 * Run: pnpm --filter @gw2race/protocol bench
 */
import { Bench } from 'tinybench';
import {
  buildTopic,
  decodeMessage,
  decodeVerifiedMessage,
  derivePlayerKey,
  encodeMessage,
  encodeSignedMessage,
  importSigningKey,
  type MessageOf,
} from '../src/index';

const f = Math.fround;
// A realistic 10 Hz sample: float32 position from MumbleLink, speed rounded to mm/s, epoch time.
const pos: MessageOf<'pos'> = {
  playerId: 'p17',
  t: 1_724_312_355.842,
  x: f(-1234.5678),
  y: f(87.125),
  z: f(2345.0625),
  v: 28.417,
  mapId: 24,
  mount: 6,
};
const checkpoint: MessageOf<'checkpoint'> = {
  raceId: 'abc123',
  playerId: 'p17',
  cp: 5,
  ts: 1_724_312_355.842,
  lap: 1,
  pos: { x: -1234.57, y: 87.13, z: 2345.06 },
  speed: 28.4,
};

const json = encodeMessage('pos', pos);
const packed = encodeMessage('pos', pos, { codec: 'msgpack' });
const jsonText = new TextDecoder().decode(json);
const topic = buildTopic('abc123', 'pos', 'p17');
const key = await importSigningKey(await derivePlayerKey(new Uint8Array(32).fill(3), 'p17'));
const signed = await encodeSignedMessage('pos', topic, pos, 1, key);

// What a JSON client in another language typically sends: coordinates rounded to the millimetre.
const rounded = { ...pos, x: -1234.568, y: 87.125, z: 2345.063 };

console.log('bytes per message');
console.table([
  {
    message: 'pos (float32, as MumbleLink gives)',
    json: json.byteLength,
    msgpack: packed.byteLength,
    'json signed': signed.byteLength,
  },
  {
    message: 'pos, coordinates rounded to mm',
    json: encodeMessage('pos', rounded).byteLength,
    msgpack: encodeMessage('pos', rounded, { codec: 'msgpack' }).byteLength,
    'json signed': (await encodeSignedMessage('pos', topic, rounded, 1, key)).byteLength,
  },
  {
    message: 'checkpoint',
    json: encodeMessage('checkpoint', checkpoint).byteLength,
    msgpack: encodeMessage('checkpoint', checkpoint, { codec: 'msgpack' }).byteLength,
    'json signed': (
      await encodeSignedMessage(
        'checkpoint',
        buildTopic('abc123', 'checkpoints'),
        checkpoint,
        1,
        key,
      )
    ).byteLength,
  },
]);

const bench = new Bench({ time: 400, warmupTime: 100 });
bench
  .add('baseline: JSON.parse only (no validation)', () => {
    JSON.parse(jsonText);
  })
  .add('pos decode JSON (parse + validate)', () => {
    decodeMessage('pos', json);
  })
  .add('pos decode msgpack (parse + validate)', () => {
    decodeMessage('pos', packed);
  })
  .add('baseline: JSON.stringify only', () => {
    JSON.stringify(pos);
  })
  .add('pos encode JSON', () => {
    encodeMessage('pos', pos);
  })
  .add('pos encode msgpack', () => {
    encodeMessage('pos', pos, { codec: 'msgpack' });
  });

const asyncBench = new Bench({ time: 400, warmupTime: 100 });
let seq = 2;
asyncBench
  .add('pos sign (HMAC-SHA256, WebCrypto)', async () => {
    await encodeSignedMessage('pos', topic, pos, seq++, key);
  })
  .add('pos verify + decode', async () => {
    await decodeVerifiedMessage(topic, signed, key);
  });

await bench.run();
await asyncBench.run();

console.log('\nmessages per second (one core)');
console.table(
  [...bench.tasks, ...asyncBench.tasks].map((task) => {
    const result = task.result as { throughput?: { mean?: number }; hz?: number } | undefined;
    const hz = result?.throughput?.mean ?? result?.hz ?? Number.NaN;
    return { task: task.name, 'msg/s': Math.round(hz).toLocaleString('en-US') };
  }),
);
