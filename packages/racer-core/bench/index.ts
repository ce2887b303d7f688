/**
 * The per-sample cost of a racer core: one 60 Hz game sample through `handle`, racing on a
 * course (crossing detection, stamping), and a 10 Hz position tick. Printed beside the budget
 * of a racer client at 1 % of one core (60 samples and 10 positions a second), and beside a
 * baseline of the bare crossing detector fed the same samples.
 *
 * Run: pnpm --filter @gw2race/racer-core bench
 */
import { createSimulatedClock } from '@gw2race/clock-sync';
import { encodeMessage } from '@gw2race/protocol';
import { createCrossingDetector, trackFromState } from '@gw2race/race-engine';
import { Bench } from 'tinybench';
import { createRacerCore, type GameSample } from '../src/index';

const checkpoints = Array.from({ length: 40 }, (_, id) => ({ id, x: id * 200, y: 0, z: 0, r: 10 }));
const state = {
  raceId: 'bench',
  trackId: 'line',
  mapId: 24,
  stage: 'pre' as const,
  t0: null,
  checkpoints,
};
const clock = createSimulatedClock({ monotonicMs: 0 });
const core = createRacerCore({
  raceId: 'bench',
  playerId: 'p1',
  name: 'P1',
  mode: 'racer',
  software: 'bench',
  codec: 'json',
  clock,
});
const message = (channel: string, payload: Uint8Array) =>
  core.handle({ type: 'message', topic: `race/bench/${channel}`, payload });
core.handle({ type: 'hub', status: 'online' });
message('state', encodeMessage('state', state));
core.handle({ type: 'begin' });
message('control', encodeMessage('control', { cmd: 'START', t0: clock.trueMs() / 1000 }));

const detector = createCrossingDetector(trackFromState(state), { t0: clock.trueMs() / 1000 });
let tick = 0;
let previousPollAt: number | null = null;
let x = 0;
const nextSample = (): GameSample => {
  clock.advance(1000 / 60);
  x = (x + 0.5) % 7800;
  const now = clock.monotonicMs();
  const sample = {
    frame: { tick: ++tick, avatar: { position: { x, y: 0, z: 0 } }, context: { mapId: 24 } },
    receivedAt: now,
    previousPollAt,
    speed: 30,
  };
  previousPollAt = now;
  return sample;
};

const bench = new Bench({ time: 1000 });
bench
  .add('racer core: one sample (+ a tick when due)', () => {
    core.handle({ type: 'sample', sample: nextSample() });
    if (clock.monotonicMs() >= core.nextWakeAt()) core.handle({ type: 'tick' });
  })
  .add('baseline: the crossing detector alone', () => {
    const sample = nextSample();
    const p = sample.frame.avatar.position;
    detector.push({ t: clock.trueMs() / 1000, x: p.x, y: p.y, z: p.z, mapId: 24 });
  });
await bench.run();

const budgetUs = (0.01 * 1e6) / 60;
for (const task of bench.tasks) {
  const result = task.result as { latency?: { mean: number }; mean?: number } | undefined;
  const meanMs = result?.latency?.mean ?? result?.mean ?? Number.NaN;
  const us = meanMs * 1000;
  console.log(
    `${task.name}: ${us.toFixed(2)} µs per sample (budget at 1 % of a core, 60 Hz: ${budgetUs.toFixed(0)} µs; ${((us / budgetUs) * 100).toFixed(1)} % of it)`,
  );
}
