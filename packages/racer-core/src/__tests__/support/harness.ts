import { createSimulatedClock, type SimulatedClock } from '@gw2race/clock-sync';
import {
  buildTopic,
  type Channel,
  encodeMessage,
  type MessageKind,
  type MessageOf,
  type StateMessage,
} from '@gw2race/protocol';
import type { GameSample } from '../../game-sample';
import { createRacerCore, type RacerCore, type RacerCoreOptions } from '../../index';
import type { PublishEffect, RacerEffect } from '../../racer-effect';

export const raceId = 'unit';
export const playerId = 'p1';

/** A straight line of four checkpoints 100 m apart: three crossings make the race. */
export const state: StateMessage = {
  raceId,
  trackId: 'line',
  trackName: 'Line',
  mapId: 24,
  stage: 'pre',
  t0: null,
  checkpoints: [0, 100, 200, 300].map((x, id) => ({ id, x, y: 0, z: 0, r: 10 })),
};

/**
 * A racer core on a simulated clock, with a host that answers pings at once (its clock is the
 * true time) and a game that reports positions at 60 Hz.
 */
export function createHarness(options: Partial<RacerCoreOptions> = {}) {
  const clock: SimulatedClock = createSimulatedClock({ monotonicMs: 10_000 });
  const core: RacerCore = createRacerCore({
    raceId,
    playerId,
    name: 'P1',
    mode: 'racer',
    software: 'test/1',
    codec: 'json',
    clock,
    ...options,
  });
  const effects: { at: number; effect: RacerEffect }[] = [];
  let answerPings = true;
  let tick = 1;
  let lastPollAt: number | null = null;

  const take = (produced: readonly RacerEffect[]) => {
    for (const effect of produced) {
      effects.push({ at: clock.monotonicMs(), effect });
      if (answerPings && effect.type === 'publish' && effect.kind === 'ping') {
        const t = clock.trueMs() / 1000;
        const pong = { playerId, id: effect.message.id, t1: effect.message.t1, t2: t, t3: t };
        deliver('pong', 'pong', pong);
      }
    }
    return produced;
  };
  function deliver<K extends MessageKind>(kind: K, channel: Channel, message: MessageOf<K>) {
    const topic =
      channel === 'pong' || channel === 'pos'
        ? buildTopic(raceId, channel, playerId)
        : buildTopic(raceId, channel as 'state');
    return take(core.handle({ type: 'message', topic, payload: encodeMessage(kind, message) }));
  }
  /** The game wrote a block since the last poll; the reader reads it now. */
  const sample = (x: number, speed = 0) => {
    const now = clock.monotonicMs();
    const game: GameSample = {
      frame: { tick: tick++, avatar: { position: { x, y: 0, z: 0 } }, context: { mapId: 24 } },
      receivedAt: now,
      previousPollAt: lastPollAt,
      speed,
    };
    lastPollAt = now;
    return take(core.handle({ type: 'sample', sample: game }));
  };
  /** Lets `ms` pass, ticking the core whenever it asked to wake (and moving along `position`). */
  const run = (ms: number, position?: (elapsedMs: number) => number) => {
    const start = clock.monotonicMs();
    for (let elapsed = 0; elapsed < ms; elapsed += 1000 / 60) {
      clock.advance(1000 / 60);
      if (position) sample(position(elapsed));
      if (clock.monotonicMs() >= core.nextWakeAt()) take(core.handle({ type: 'tick' }));
    }
    return clock.monotonicMs() - start;
  };
  const published = (kind?: MessageKind) =>
    effects
      .filter((e): e is { at: number; effect: PublishEffect } => e.effect.type === 'publish')
      .filter((e) => kind === undefined || e.effect.kind === kind);
  return {
    clock,
    core,
    effects,
    take,
    deliver,
    sample,
    run,
    published,
    connect: () => take(core.handle({ type: 'hub', status: 'online' })),
    begin: () => take(core.handle({ type: 'begin' })),
    stopAnsweringPings: () => {
      answerPings = false;
    },
    /** The organizer's clock now, epoch s. */
    hostNow: () => clock.trueMs() / 1000,
  };
}
