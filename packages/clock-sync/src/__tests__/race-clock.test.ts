import { describe, expect, it } from 'vitest';
import { isClockSyncError } from '../errors';
import { createOffsetEstimator } from '../offset-estimator';
import { createRaceClock } from '../race-clock';
import { createSimulatedClock, type SimulatedClock } from '../simulated-clock';
import { probe } from './support/probe';

const T0 = 1_724_312_300_000;

function racer(offsetMs: number, driftPpm: number, outMs: number, backMs: number) {
  const clock = createSimulatedClock({
    trueMs: T0,
    wallMs: T0 - offsetMs,
    driftPpm,
    monotonicMs: 777,
  });
  const estimator = createOffsetEstimator({ clock });
  for (let i = 0; i < 15; i++) {
    probe(clock, estimator, { outMs, backMs });
    clock.advance(2_000);
  }
  return { clock, estimator };
}

/** Runs `clock` forward until its monotonic clock reads `monotonicMs`; returns the true time then. */
function trueTimeAt(clock: SimulatedClock, monotonicMs: number, driftPpm: number): number {
  clock.advance((monotonicMs - clock.monotonicMs()) / (1 + driftPpm / 1e6));
  return clock.trueMs();
}

describe('createRaceClock', () => {
  it('counts down to t0 and times the race on the organizer clock', () => {
    const { clock, estimator } = racer(-2_500, 20, 12, 12);
    const t0 = (clock.trueMs() + 10_000) / 1000;
    const race = createRaceClock({ t0, estimator });
    const countdown = race.countdown();
    expect(countdown.started).toBe(false);
    expect(countdown.synchronized).toBe(true);
    expect(Math.abs(countdown.remainingMs - 10_000)).toBeLessThanOrEqual(countdown.boundMs);
    expect(countdown.remainingMs).toBeCloseTo(10_000, 1); // symmetric path: no error but drift's

    clock.advance(10_000 + 61_204.7);
    const crossing = race.raceTime();
    expect(race.countdown().started).toBe(true);
    expect(Math.abs(crossing.raceMs - 61_204.7)).toBeLessThanOrEqual(crossing.boundMs);
    expect(crossing.epochSeconds).toBeCloseTo(t0 + crossing.raceMs / 1000, 9);
  });

  it('gives the race time of a past monotonic instant', () => {
    const { clock, estimator } = racer(300, -35, 20, 20);
    const race = createRaceClock({ t0: clock.trueMs() / 1000, estimator });
    const crossedAt = clock.monotonicMs();
    clock.advance(45_000);
    const crossing = race.raceTime(crossedAt);
    expect(Math.abs(crossing.raceMs)).toBeLessThanOrEqual(crossing.boundMs);
    expect(race.raceTime().raceMs - crossing.raceMs).toBeCloseTo(45_000, 1);
  });

  it('does not move race time when the wall clock is stepped', () => {
    const { clock, estimator } = racer(0, 50, 15, 25);
    const race = createRaceClock({ t0: clock.trueMs() / 1000 + 5, estimator });
    const instant = clock.monotonicMs() + 7_000;
    const before = race.raceTime(instant).raceMs;
    clock.stepWall(-3_600_000);
    expect(race.raceTime(instant).raceMs).toBe(before);
    clock.advance(2_000);
    probe(clock, estimator, { outMs: 15, backMs: 25 }); // confirms: only the date changed
    expect(race.raceTime(instant).raceMs).toBeCloseTo(before, 3);
    clock.stepWall(86_400_000);
    expect(race.raceTime(instant).raceMs).toBeCloseTo(before, 3);
  });

  it('ends every racer’s countdown on the same millisecond', () => {
    const a = racer(-1_200, 80, 8, 8);
    const b = racer(45_000, -60, 35, 35);
    // Both machines share true time; the organizer picks t0 20 s ahead.
    const t0 = (a.clock.trueMs() + 20_000) / 1000;
    const raceA = createRaceClock({ t0, estimator: a.estimator });
    const raceB = createRaceClock({ t0, estimator: b.estimator });
    const goA = trueTimeAt(a.clock, raceA.startMonotonicMs(), 80);
    const goB = trueTimeAt(b.clock, raceB.startMonotonicMs(), -60);
    expect(Math.abs(goA - t0 * 1000)).toBeLessThanOrEqual(raceA.countdown().boundMs);
    expect(Math.abs(goB - t0 * 1000)).toBeLessThanOrEqual(raceB.countdown().boundMs);
    expect(Math.abs(goA - goB)).toBeLessThan(1);
  });

  it('says when it is not synchronised, and refuses a bad t0', () => {
    const estimator = createOffsetEstimator({ clock: createSimulatedClock() });
    const countdown = createRaceClock({ t0: 1_700_000_010, estimator }).countdown();
    expect(countdown).toMatchObject({ synchronized: false, boundMs: Number.POSITIVE_INFINITY });
    expect(countdown.remainingMs).toBeCloseTo(10_000, 6);
    for (const t0 of [Number.NaN, -1]) {
      try {
        createRaceClock({ t0, estimator });
        expect.unreachable();
      } catch (error) {
        expect(isClockSyncError(error) && error.code).toBe('INVALID_ARGUMENT');
      }
    }
  });
});
