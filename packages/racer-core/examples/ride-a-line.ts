/**
 * A racer core driven by hand: a simulated clock, a pretend host that answers pings and starts
 * the race, and a racer riding a straight line at 50 m/s. Every effect the core asks for is
 * printed instead of published.
 *
 * Run: npx tsx packages/racer-core/examples/ride-a-line.ts
 */
import { createSimulatedClock } from '@gw2race/clock-sync';
import { encodeMessage, type MessageKind, type MessageOf } from '@gw2race/protocol';
import { createRacerCore, type GameSample, type RacerEffect } from '../src/index';

const clock = createSimulatedClock({ monotonicMs: 0 });
const core = createRacerCore({
  raceId: 'demo',
  playerId: 'p1',
  name: 'Pat',
  mode: 'racer',
  software: 'example/1.0',
  codec: 'json',
  clock,
});
const hostSeconds = () => clock.trueMs() / 1000;

/** The adapter's job: here it prints, and plays the host's part for pings. */
function run(effects: readonly RacerEffect[]): void {
  for (const effect of effects) {
    if (effect.type === 'publish' && effect.kind === 'ping') {
      const t = hostSeconds();
      const { id, t1 } = effect.message;
      deliver('pong/p1', 'pong', { playerId: 'p1', id, t1, t2: t, t3: t });
    } else if (effect.type === 'publish' && effect.kind === 'checkpoint') {
      const { cp, ts, uncertainty } = effect.message;
      console.log(`checkpoint ${cp} at +${(ts - t0).toFixed(2)} s ± ${uncertainty?.toFixed(3)} s`);
    } else if (effect.type === 'note' || effect.type === 'ended') {
      console.log(`${effect.type}: ${effect.type === 'note' ? effect.text : effect.reason}`);
    }
  }
}
function deliver<K extends MessageKind>(channel: string, kind: K, message: MessageOf<K>): void {
  const payload = encodeMessage(kind, message);
  run(core.handle({ type: 'message', topic: `race/demo/${channel}`, payload }));
}

// The hub is up and the race exists: the core joins and starts pinging.
console.log('subscribe to', Object.keys(core.subscriptions()).join(', '));
run(core.handle({ type: 'hub', status: 'online' }));
deliver('state', 'state', {
  raceId: 'demo',
  trackId: 'line',
  mapId: 24,
  stage: 'pre',
  t0: null,
  checkpoints: [0, 100, 200].map((x, id) => ({ id, x, y: 0, z: 0, r: 10 })),
});
run(core.handle({ type: 'begin' }));

// The organizer starts the race now; the racer rides, the game read at 60 Hz.
const t0 = hostSeconds();
deliver('control', 'control', { cmd: 'START', t0 });
let previousPollAt: number | null = null;
for (let tick = 1; tick <= 60 * 5; tick++) {
  clock.advance(1000 / 60);
  const now = clock.monotonicMs();
  const sample: GameSample = {
    frame: { tick, avatar: { position: { x: (tick / 60) * 50, y: 0, z: 0 } } },
    receivedAt: now,
    previousPollAt,
    speed: 50,
  };
  previousPollAt = now;
  run(core.handle({ type: 'sample', sample }));
  if (now >= core.nextWakeAt()) run(core.handle({ type: 'tick' }));
}
console.log(
  `crossings ${core.view.crossings}/${core.view.courseLength}, awaiting the host: ${core.view.unconfirmed}`,
);

// The host credits both crossings and publishes the final ranking: the core says to leave.
deliver('ranking', 'ranking', {
  raceId: 'demo',
  t: hostSeconds(),
  final: true,
  entries: [{ playerId: 'p1', position: 1, status: 'finished', lap: 1, checkpoints: 2, time: 3.8 }],
});
console.log(`awaiting the host: ${core.view.unconfirmed}`);
