/**
 * Prints where you are in Guild Wars 2: position, map, mount and speed, four times a second.
 *
 *   tsx examples/watch.ts                 # Windows: shared memory "MumbleLink"; Linux: /dev/shm/MumbleLink
 *   tsx examples/watch.ts Racer2          # the game was started with -mumble Racer2
 *   tsx examples/watch.ts /tmp/link.bin   # any file a bridge or a simulation writes
 */
import { createMumbleLinkReader } from '../src/index';

const target = process.argv[2];
const reader = createMumbleLinkReader(
  target === undefined ? {} : target.includes('/') ? { path: target } : { name: target },
);
reader.on('waiting', (change) => console.log(change.message));
reader.on('live', (change) => console.log(change.message));
reader.on('stale', (change) => console.log(change.message));
reader.on('mapChange', ({ previousMapId, mapId }) =>
  console.log(`map ${previousMapId ?? '-'} -> ${mapId}`),
);
reader.on('tickReset', ({ reason }) => console.log(`the game restarted (${reason})`));
reader.on('error', (error) => console.error(`${error.code}: ${error.message}`));
process.once('SIGINT', () => reader.stop());

let printedAt = Number.NEGATIVE_INFINITY;
for await (const sample of reader) {
  if (sample.receivedAt - printedAt < 250) continue;
  printedAt = sample.receivedAt;
  const { frame } = sample;
  const { x, y, z } = frame.avatar.position;
  console.log(
    `${frame.identity?.name ?? '(no character)'} on map ${frame.context.mapId}` +
      ` at x ${x.toFixed(2)} y ${y.toFixed(2)} z ${z.toFixed(2)} m` +
      `, mount ${frame.context.mount ?? 'none'}, ${sample.speed.toFixed(1)} m/s`,
  );
}
