/**
 * Plays the game: a roller beetle lapping a 100 m circle at 20 m/s, written as GW2 would (the
 * tick every 20 ms, the position every 40 ms) into a MumbleLink block that examples/watch.ts
 * (or any reader) can read. Without a name it writes "MumbleLink-sim" (a mapping on Windows,
 * /dev/shm/MumbleLink-sim on Linux), so it never overwrites the real game's block.
 *
 *   tsx examples/simulate.ts [name-or-path]    then    tsx examples/watch.ts MumbleLink-sim
 */
import { createFrame, openMumbleLinkWriter } from '../src/index';

const target = process.argv[2] ?? 'MumbleLink-sim';
const writer = await openMumbleLinkWriter(
  target.includes('/') ? { path: target } : { name: target },
);
console.log(`writing ${writer.description} (Ctrl-C to stop)`);

const radius = 100;
const speed = 20;
let tick = 0;
let position = { x: radius, y: 25, z: 0 };
const started = performance.now();
const timer = setInterval(() => {
  tick++;
  const seconds = (performance.now() - started) / 1000;
  if (tick % 2 === 0) {
    const angle = (seconds * speed) / radius;
    position = { x: Math.cos(angle) * radius, y: 25, z: Math.sin(angle) * radius };
  }
  writer.write(
    createFrame({
      tick,
      avatar: { position },
      identity: { name: 'Sim Racer' },
      context: { mapId: 1206, mount: 'roller-beetle', processId: process.pid },
    }),
  );
}, 20);

process.once('SIGINT', () => {
  clearInterval(timer);
  writer.close();
});
