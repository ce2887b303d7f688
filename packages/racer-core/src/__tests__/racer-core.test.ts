import type { PresenceMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import {
  createRacerCore,
  isRacerCoreError,
  PING_BURST,
  positionKeepAliveMs,
  RacerCoreError,
  racerSubscriptions,
} from '../index';
import { createHarness, playerId, raceId, state } from './support/harness';

const presences = (h: ReturnType<typeof createHarness>) =>
  h.published('presence').map((p) => p.effect.message as PresenceMessage);

describe('the racer core: joining', () => {
  it('subscribes to the racer role’s topics, its own pong only', () => {
    const h = createHarness();
    expect(h.core.subscriptions()).toEqual({
      'race/unit/state': { qos: 1 },
      'race/unit/control': { qos: 1 },
      'race/unit/ranking': { qos: 1 },
      'race/unit/pong/p1': { qos: 0 },
      'race/unit/chat': { qos: 1 },
    });
    expect(racerSubscriptions('r2', 'p9')).toHaveProperty(['race/r2/pong/p9']);
  });

  it('does nothing on its own before begin once it has the state, then joins and pings at once', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    expect(h.effects.map((e) => e.effect.type)).toEqual(['course']);
    h.effects.length = 0;
    expect(h.core.nextWakeAt()).toBe(Number.POSITIVE_INFINITY);
    expect(h.run(5000)).toBeGreaterThan(4900);
    expect(h.effects).toEqual([]);
    h.begin();
    const first = h.effects.map((e) =>
      e.effect.type === 'publish' ? e.effect.kind : e.effect.type,
    );
    expect(first).toEqual(['presence', 'ping']);
    expect(presences(h)[0]).toMatchObject({
      playerId,
      event: 'join',
      status: 'not-ready',
      name: 'P1',
      mode: 'racer',
      ver: 'test/1',
    });
    expect(h.published('presence')[0]?.effect).toMatchObject({
      topic: 'race/unit/presence',
      qos: 1,
      queueOffline: false,
      codec: 'json',
    });
  });

  it('pings every 250 ms at first, every 2 s until the start, every 10 s in the race', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(10_000);
    const times = h.published('ping').map((p) => p.at);
    const spacing = times.slice(1).map((t, i) => Math.round(t - (times[i] as number)));
    // The first ping, then the burst, 250 ms apart (to a 60 Hz tick), then 2 s.
    expect(spacing.slice(0, PING_BURST).every((ms) => ms >= 250 && ms <= 267)).toBe(true);
    expect(spacing.slice(PING_BURST).every((ms) => ms >= 2000 && ms <= 2017)).toBe(true);
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() - 1 });
    const startedAt = h.clock.monotonicMs();
    h.run(25_000);
    const racing = h
      .published('ping')
      .filter((p) => p.at > startedAt)
      .map((p) => p.at);
    // The ping already scheduled comes within 2 s; from then on one every 10 s.
    expect((racing[0] as number) - startedAt).toBeLessThanOrEqual(2017);
    expect(racing.slice(1).map((t, i) => Math.round((t - (racing[i] as number)) / 100))).toEqual([
      100, 100,
    ]);
  });

  it('heartbeats once a second and says ready once it sees the game and knows the clock', () => {
    const h = createHarness();
    h.connect();
    h.stopAnsweringPings();
    h.deliver('state', 'state', state);
    h.begin();
    h.take(h.core.handle({ type: 'game', status: 'live' }));
    h.run(2050);
    expect(presences(h).map((p) => p.status)).toEqual(['not-ready', 'waiting', 'waiting']);
    expect(presences(h).map((p) => p.event)).toEqual(['join', 'heartbeat', 'heartbeat']);
    expect(presences(h)[1]).toMatchObject({ game: 'live' });
    expect(presences(h)[1]).not.toHaveProperty('mapId');

    const ready = createHarness();
    ready.connect();
    ready.deliver('state', 'state', state);
    ready.begin();
    ready.take(ready.core.handle({ type: 'game', status: 'live' }));
    ready.sample(0);
    ready.run(1000);
    expect(presences(ready).at(-1)).toMatchObject({ status: 'ready', game: 'live', mapId: 24 });
    expect(ready.core.view.lastRttMs).toBe(0);
  });

  it('a spectator sends presence and pings, never positions', () => {
    const h = createHarness({ mode: 'spectator' });
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.sample(0);
    h.run(3000, () => 1);
    expect(presences(h)[0]).toMatchObject({ status: 'spectating', mode: 'spectator' });
    expect(presences(h)[0]).not.toHaveProperty('game');
    expect(h.published('pos')).toEqual([]);
    expect(h.published('ping').length).toBeGreaterThan(5);
  });

  it('refuses a position rate above the protocol’s ceiling', () => {
    const make = () =>
      createRacerCore({
        raceId,
        playerId,
        name: 'P1',
        mode: 'racer',
        software: 't',
        positionRate: 20,
      });
    expect(make).toThrow(RacerCoreError);
    try {
      make();
    } catch (error) {
      expect(isRacerCoreError(error) && error.code).toBe('INVALID_OPTIONS');
    }
  });
});

describe('the racer core: positions', () => {
  it('stamps a sample at the middle of its poll window, ± half of it plus the clock bound', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(1000);
    h.sample(0); // the first block: never timed
    h.clock.advance(20);
    const polledAt = h.hostNow();
    h.sample(1);
    h.run(100);
    const pos = h.published('pos').at(-1)?.effect.message as { t: number; u: number; x: number };
    expect(pos.x).toBe(1);
    // The block was written in the 20 ms before the poll: stamped 10 ms before it, ± 10 ms.
    expect(pos.t).toBeCloseTo(polledAt - 0.01, 3);
    expect(pos.u).toBeGreaterThanOrEqual(0.01);
    expect(pos.u).toBeLessThan(0.012);
  });

  it('re-sends a still position every half gap, and none while offline', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.sample(0);
    h.run(3000);
    const times = h.published('pos').map((p) => p.at);
    expect(times.length).toBeGreaterThanOrEqual(5);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(positionKeepAliveMs() + 100);
    expect(positionKeepAliveMs(2)).toBe(1000);

    h.take(h.core.handle({ type: 'hub', status: 'offline' }));
    const sent = h.effects.length;
    h.run(3000, (ms) => ms / 100);
    const offline = h.effects.slice(sent).map((e) => e.effect);
    expect(offline.filter((e) => e.type === 'publish')).toEqual([]);
  });

  it('sends a moving racer at the position rate, each position once', () => {
    const h = createHarness({ positionRate: 5 });
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(2000, (ms) => ms / 100);
    const count = h.published('pos').length;
    expect(count).toBeGreaterThanOrEqual(9);
    expect(count).toBeLessThanOrEqual(10);
    const ticks = h.published('pos').map((p) => (p.effect.message as { tick: number }).tick);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('answers a sample that changes nothing with the same empty array', () => {
    const h = createHarness();
    h.connect();
    const a = h.sample(0);
    const b = h.sample(0);
    expect(a).toBe(b);
    expect(a).toHaveLength(0);
  });
});

describe('the racer core: asking for the state', () => {
  const requests = (h: ReturnType<typeof createHarness>) => h.published('request');

  it('asks after a moment without the state, then less and less often, until one comes', () => {
    const h = createHarness();
    h.connect();
    h.run(900);
    expect(requests(h)).toEqual([]);
    h.run(20_000);
    const times = requests(h).map((r) => r.at - 10_000);
    // 1 s after connecting, then 2 s, 4 s, then every 5 s (to a 60 Hz tick).
    const spacing = times.slice(1).map((t, i) => Math.round((t - (times[i] as number)) / 100));
    expect(Math.round((times[0] as number) / 100)).toBe(10);
    expect(spacing.slice(0, 4)).toEqual([20, 40, 50, 50]);
    expect(requests(h)[0]?.effect).toMatchObject({
      kind: 'request',
      channel: 'request',
      topic: 'race/unit/request',
      message: { playerId: 'p1', want: 'state' },
      qos: 0,
      queueOffline: false,
    });
    h.deliver('state', 'state', state);
    const count = requests(h).length;
    h.run(20_000);
    expect(requests(h)).toHaveLength(count);
    expect(h.core.view.state).toEqual(state);
  });

  it('does not ask when the retained state comes at once', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(10_000);
    expect(requests(h)).toEqual([]);
  });

  it('asks nothing while offline, and asks again after a reconnect that brings no state', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(2000);
    h.take(h.core.handle({ type: 'hub', status: 'offline' }));
    h.run(10_000);
    expect(requests(h)).toEqual([]);
    // Back through another broker node: no retained state there, no republish yet.
    h.connect();
    h.run(1500);
    expect(requests(h)).toHaveLength(1);
    h.deliver('state', 'state', { ...state, stage: 'active', t0: h.hostNow() - 5 });
    h.run(10_000);
    expect(requests(h)).toHaveLength(1);
    expect(h.core.view.clock).toBeDefined();
  });

  it('a spectator asks too', () => {
    const h = createHarness({ mode: 'spectator' });
    h.connect();
    h.run(1100);
    expect(requests(h).map((r) => r.effect.message)).toEqual([{ playerId: 'p1', want: 'state' }]);
  });
});
