import { pingMessageSchema, pongMessageSchema } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { isClockSyncError } from '../errors';
import { createOffsetEstimator } from '../offset-estimator';
import { createPingSync } from '../ping-sync';
import { createPong, createPongResponder } from '../pong';
import { createSimulatedClock } from '../simulated-clock';
import { createRandom } from './support/simulated-network';

const T0 = 1_724_312_300_000;

/** A racer 1.5 s behind the organizer, drifting 30 ppm, and the organizer keeping true time. */
function setup(timeoutMs?: number) {
  const clock = createSimulatedClock({ trueMs: T0, wallMs: T0 - 1_500, driftPpm: 30 });
  const estimator = createOffsetEstimator({ clock });
  const sync = createPingSync({
    playerId: 'p1',
    estimator,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const answer = createPongResponder({ now: () => clock.trueMs() });
  /** One ping through a network with `outMs`/`backMs` one-way delays, as JSON on the wire. */
  const exchange = (outMs: number, backMs: number) => {
    const ping = pingMessageSchema.parse(JSON.parse(JSON.stringify(sync.createPing())));
    clock.advance(outMs);
    const receivedMs = clock.trueMs();
    clock.advance(0.3);
    const pong = pongMessageSchema.parse(JSON.parse(JSON.stringify(answer(ping, receivedMs))));
    clock.advance(backMs);
    return { ping, pong, outcome: sync.receivePong(pong) };
  };
  return { clock, estimator, sync, exchange };
}

describe('createPingSync + createPongResponder', () => {
  it('refers the racer to the organizer clock over ping/pong', () => {
    const { clock, estimator, exchange } = setup();
    for (let i = 0; i < 12; i++) {
      const { outcome } = exchange(20 + (i % 3) * 7, 26 + (i % 4) * 5);
      expect(outcome.used).toBe(true);
      clock.advance(2_000);
    }
    const reference = estimator.referenceTime();
    expect(reference.synchronized).toBe(true);
    const error = Math.abs(reference.timeMs - clock.trueMs());
    expect(error).toBeLessThanOrEqual(reference.boundMs);
    // The best exchange (20 out, 26 back) is 3 ms off: half its asymmetry, nothing more.
    expect(error).toBeLessThan(3.1);
  });

  it('reports what it measured so far in every ping', () => {
    const { clock, exchange, sync } = setup();
    const first = exchange(10, 10);
    expect(first.ping).not.toHaveProperty('offsetMs');
    expect(first.ping).not.toHaveProperty('rttMs');
    expect(first.ping).toMatchObject({ playerId: 'p1', id: 0 });
    clock.advance(1_000);
    const second = sync.createPing();
    expect(second.id).toBe(1);
    expect(second.rttMs).toBeCloseTo(20, 2); // epoch seconds on the wire: sub-µs rounding
    expect(second.offsetMs).toBeCloseTo(1_500, 0);
    expect(second.boundMs).toBeGreaterThanOrEqual(10);
    expect(second.t1).toBeCloseTo((T0 - 1_500 + 1_020.3) / 1000, 2);
  });

  it('uses the arrival instant the transport reports', () => {
    const { clock, estimator, sync } = setup();
    const ping = sync.createPing();
    clock.advance(10);
    const pong = createPong(ping, { receivedMs: clock.trueMs(), sentMs: clock.trueMs() });
    clock.advance(10);
    const arrived = clock.monotonicMs();
    clock.advance(500); // the app got round to it half a second later
    const outcome = sync.receivePong(pong, arrived);
    expect(outcome.used && outcome.verdict.delayMs).toBeCloseTo(20, 2);
    expect(estimator.estimate()?.delayMs).toBeCloseTo(20, 2);
  });

  it('ignores pongs that do not answer a pending ping', () => {
    const { clock, sync } = setup(5_000);
    const ping = sync.createPing();
    const pong = createPong(ping, { receivedMs: clock.trueMs(), sentMs: clock.trueMs() });
    clock.advance(20);
    expect(sync.receivePong({ ...pong, playerId: 'p2' })).toMatchObject({
      used: false,
      reason: 'wrong-player',
    });
    expect(sync.receivePong({ ...pong, id: 99 })).toMatchObject({
      used: false,
      reason: 'unknown-id',
    });
    expect(sync.receivePong({ ...pong, t1: pong.t1 + 1 })).toMatchObject({
      used: false,
      reason: 't1-mismatch',
    });
    expect(sync.receivePong({ ...pong, t2: Number.NaN })).toMatchObject({
      used: false,
      reason: 'invalid',
    });
    expect(sync.receivePong(pong).used).toBe(true);
    // A duplicate (QoS retransmission, a replay) finds nothing pending.
    expect(sync.receivePong(pong)).toMatchObject({ used: false, reason: 'unknown-id' });

    const late = sync.createPing();
    const latePong = createPong(late, { receivedMs: clock.trueMs(), sentMs: clock.trueMs() });
    clock.advance(6_000);
    expect(sync.receivePong(latePong)).toMatchObject({ used: false, reason: 'unknown-id' });
    expect(sync.pending()).toBe(0);
  });

  it('passes the estimator verdict on when it refuses the sample', () => {
    const { clock, sync } = setup();
    const ping = sync.createPing();
    clock.advance(10);
    // The host claims it held the ping 50 ms in a 10 ms round trip: its clock is broken.
    const pong = createPong(ping, { receivedMs: clock.trueMs() - 50, sentMs: clock.trueMs() });
    const outcome = sync.receivePong(pong);
    expect(outcome).toMatchObject({ used: false, reason: 'negative-delay' });
    expect(outcome.verdict?.accepted).toBe(false);
  });

  it('counts the host clock precision into the bound (a host stamping whole milliseconds)', () => {
    /** A LAN racer pinging a host whose clock reads whole ms (`Date.now()`-like). */
    const run = (precisionMs: number | undefined) => {
      const clock = createSimulatedClock({ trueMs: T0 + 0.9, wallMs: T0 - 700, driftPpm: 0 });
      const estimator = createOffsetEstimator({ clock });
      const sync = createPingSync({ playerId: 'p1', estimator });
      const answer = createPongResponder({
        now: () => Math.floor(clock.trueMs()),
        ...(precisionMs === undefined ? {} : { precisionMs }),
      });
      const random = createRandom(7);
      let worstExcessMs = Number.NEGATIVE_INFINITY;
      let used = 0;
      for (let i = 0; i < 40; i++) {
        const ping = pingMessageSchema.parse(JSON.parse(JSON.stringify(sync.createPing())));
        clock.advance(0.2 + 0.3 * random());
        const receivedMs = Math.floor(clock.trueMs());
        clock.advance(0.05 + 0.3 * random());
        const pong = pongMessageSchema.parse(JSON.parse(JSON.stringify(answer(ping, receivedMs))));
        clock.advance(0.2 + 0.3 * random());
        if (sync.receivePong(pong).used) used++;
        const reference = estimator.referenceTime();
        if (reference.synchronized) {
          const error = Math.abs(reference.timeMs - clock.trueMs());
          worstExcessMs = Math.max(worstExcessMs, error - reference.boundMs);
        }
        clock.advance(500 + 37 * random());
      }
      return { worstExcessMs, used };
    };
    const honest = run(1);
    expect(honest.used).toBe(40);
    expect(honest.worstExcessMs).toBeLessThanOrEqual(0);
    // The same host without saying so: its whole-ms stamps put the truth outside the bound.
    expect(run(undefined).worstExcessMs).toBeGreaterThan(0);
  });

  it('sends the host precision in the pong and refuses a bad one', () => {
    const ping = { playerId: 'p', id: 1, t1: 1 };
    const answer = createPongResponder({ now: () => 5_000, precisionMs: 1 });
    const pong = answer(ping);
    expect(pong.precisionMs).toBe(1);
    expect(pongMessageSchema.safeParse(pong).success).toBe(true);
    expect(createPong(ping, { receivedMs: 1, sentMs: 2, precisionMs: 0.1 }).precisionMs).toBe(0.1);
    expect(createPong(ping, { receivedMs: 1, sentMs: 2 })).not.toHaveProperty('precisionMs');
    for (const precisionMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createPongResponder({ now: () => 0, precisionMs })).toThrow(/precisionMs/);
      expect(() => createPong(ping, { receivedMs: 1, sentMs: 2, precisionMs })).toThrow(
        /precisionMs/,
      );
    }
    // An unchecked pong with a nonsensical precision is ignored, not fed to the estimator.
    const { clock, sync } = setup();
    const sent = sync.createPing();
    clock.advance(10);
    const bad = { ...createPong(sent, { receivedMs: clock.trueMs(), sentMs: clock.trueMs() }) };
    clock.advance(10);
    expect(sync.receivePong({ ...bad, precisionMs: -1 })).toMatchObject({
      used: false,
      reason: 'invalid',
    });
    expect(sync.receivePong({ ...bad, precisionMs: 1 }).used).toBe(true);
  });

  it('forgets the oldest ping when too many are pending', () => {
    const clock = createSimulatedClock();
    const sync = createPingSync({
      playerId: 'p1',
      estimator: createOffsetEstimator({ clock }),
      maxPending: 2,
      firstId: 7,
    });
    const pings = [sync.createPing(), sync.createPing(), sync.createPing()];
    expect(pings.map((p) => p.id)).toEqual([7, 8, 9]);
    expect(sync.pending()).toBe(2);
    const pong = createPong(pings[0]!, { receivedMs: 1, sentMs: 1 });
    expect(sync.receivePong(pong)).toMatchObject({ used: false, reason: 'unknown-id' });
    expect(() =>
      createPingSync({ playerId: 'p1', estimator: createOffsetEstimator({ clock }), timeoutMs: 0 }),
    ).toThrow(/timeoutMs/);
  });
});

describe('createPong', () => {
  it('echoes the ping and stamps the host times in epoch seconds', () => {
    const pong = createPong(
      { playerId: 'racer-1', id: 42, t1: 1_724_312_299.5, rttMs: 30 },
      { receivedMs: 1_724_312_300_000.25, sentMs: 1_724_312_300_001.5 },
    );
    expect(pong).toEqual({
      playerId: 'racer-1',
      id: 42,
      t1: 1_724_312_299.5,
      t2: 1_724_312_300.00025,
      t3: 1_724_312_300.0015,
    });
    expect(pongMessageSchema.safeParse(pong).success).toBe(true);
  });

  it('never sends before it received, and refuses non-finite times', () => {
    const ping = { playerId: 'p', id: 1, t1: 1 };
    expect(createPong(ping, { receivedMs: 5_000, sentMs: 4_000 }).t3).toBe(5);
    try {
      createPong(ping, { receivedMs: Number.POSITIVE_INFINITY, sentMs: 1 });
      expect.unreachable();
    } catch (error) {
      expect(isClockSyncError(error) && error.code).toBe('INVALID_ARGUMENT');
    }
  });
});
