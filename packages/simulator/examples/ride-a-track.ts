/**
 * A bot rides a track: where it is every two seconds, when it finishes, and the MumbleLink
 * blocks a reader would see (one per 20 ms game tick). Nothing is written anywhere: give the
 * frames to a MumbleLink writer (or use startMumbleBot from '@gw2race/simulator/node') to play
 * the game for a real reader.
 *
 *   tsx examples/ride-a-track.ts
 */
import type { Track } from '@gw2race/protocol';
import { createBot, createBotFrames } from '../src/index';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'example',
  name: 'Example sprint',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, x: 200, y: 12, z: 150, r: 12 },
  ],
};

const bot = createBot(track, { seed: 7 });
console.log(`path ${bot.length.toFixed(1)} m, ridden in ${bot.duration.toFixed(2)} s`);
for (let t = 0; t < bot.duration; t += 2) {
  const { position, speed } = bot.at(t);
  console.log(
    `t=${t.toFixed(0).padStart(2)} s  x ${position.x.toFixed(1).padStart(6)}  z ${position.z.toFixed(1).padStart(6)}  ${speed.toFixed(1)} m/s`,
  );
}
console.log(`finished: ${bot.at(bot.duration + 0.1).finished}`);

// The same ride as MumbleLink blocks: 50 ticks are one second of game time.
let tick = 0;
const frames = createBotFrames({ track, seed: 7, name: 'Example Bot', seconds: () => tick / 50 });
let frame = frames.next();
for (tick = 1; tick < 250; tick++) frame = frames.next();
const p = frame.avatar.position;
console.log(
  `after ${frames.tick} ticks: ${frame.identity?.name} on map ${frame.context.mapId}, mount ${frame.context.mount}, at x ${p.x.toFixed(1)} z ${p.z.toFixed(1)}`,
);
