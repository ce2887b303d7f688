/**
 * simulator benchmark: what 1,000 simulated racers cost, for a load bench of the host.
 *
 * - Build: creating 1,000 bots (each integrates its drive once, at 20 ms steps).
 * - Step: one position of every racer (`bot.at`), as a 10 Hz publisher asks for it, beside the
 *   budget: 1,000 racers at 10 Hz leave 100 µs of one core per racer step.
 * - Frames: one MumbleLink block of every racer (`createBotFrames().next()`), as a 50 Hz writer.
 *
 * Run: pnpm --filter @gw2race/simulator bench
 */
import type { Track } from '@gw2race/protocol';
import { createBot, createBotFrames } from '../src/index';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'bench',
  name: 'Bench',
  mapId: 24,
  checkpoints: Array.from({ length: 20 }, (_, i) => ({
    id: i,
    x: Math.cos(i / 3) * 400 + i * 40,
    y: 10 + (i % 4),
    z: Math.sin(i / 3) * 400,
    r: 12,
  })),
};
const RACERS = 1000;

const time = (work: () => void) => {
  const started = performance.now();
  work();
  return performance.now() - started;
};

let bots = [] as ReturnType<typeof createBot>[];
const buildMs = time(() => {
  bots = Array.from({ length: RACERS }, (_, i) => createBot(track, { seed: i + 1 }));
});
let sink = 0;
const rounds = 200;
const stepMs = time(() => {
  for (let r = 0; r < rounds; r++) {
    const t = (r / rounds) * (bots[0]?.duration ?? 60);
    for (const bot of bots) sink += bot.at(t).position.x;
  }
});
let seconds = 0;
const frames = Array.from({ length: RACERS }, (_, i) =>
  createBotFrames({ track, seed: i + 1, name: `Bot ${i}`, seconds: () => seconds }),
);
const frameMs = time(() => {
  for (let r = 0; r < 100; r++) {
    seconds = r * 0.02;
    for (const f of frames) sink += f.next().tick;
  }
});

const perStepUs = (stepMs * 1000) / (rounds * RACERS);
const perFrameUs = (frameMs * 1000) / (100 * RACERS);
console.log(
  `build ${RACERS} bots: ${buildMs.toFixed(0)} ms (${(buildMs / RACERS).toFixed(2)} ms each)`,
);
console.log(
  `bot.at: ${perStepUs.toFixed(2)} µs per racer step; budget at 10 Hz for ${RACERS} racers: 100 µs`,
);
console.log(
  `frames.next: ${perFrameUs.toFixed(2)} µs per racer frame; budget at 50 Hz for ${RACERS} racers: 20 µs`,
);
if (sink === Number.NEGATIVE_INFINITY) console.log('unreachable');
