import { describe, expect, it } from 'vitest';
import { isClockSyncError } from '../errors';
import { createSimulatedClock } from '../simulated-clock';

describe('createSimulatedClock', () => {
  it('advances both clocks at the drifting rate and knows the true time', () => {
    const clock = createSimulatedClock({ trueMs: 1_000_000, monotonicMs: 5, driftPpm: 50 });
    clock.advance(1_000_000);
    expect(clock.trueMs()).toBe(2_000_000);
    expect(clock.monotonicMs()).toBeCloseTo(5 + 1_000_050, 6);
    expect(clock.wallMs()).toBeCloseTo(2_000_050, 6);
    clock.setDriftPpm(0);
    clock.advance(10);
    expect(clock.monotonicMs()).toBeCloseTo(5 + 1_000_060, 6);
  });

  it('steps the wall clock alone, and suspends the monotonic clock alone', () => {
    const clock = createSimulatedClock({ trueMs: 0, wallMs: 0, monotonicMs: 0 });
    clock.stepWall(-3_600_000);
    expect(clock.wallMs()).toBe(-3_600_000);
    expect(clock.monotonicMs()).toBe(0);
    clock.suspend(60_000);
    expect(clock.trueMs()).toBe(60_000);
    expect(clock.wallMs()).toBe(-3_540_000);
    expect(clock.monotonicMs()).toBe(0);
  });

  it('refuses to go backwards', () => {
    const clock = createSimulatedClock();
    for (const move of [() => clock.advance(-1), () => clock.suspend(-5)]) {
      try {
        move();
        expect.unreachable();
      } catch (error) {
        expect(isClockSyncError(error) && error.code).toBe('CLOCK_WENT_BACKWARDS');
      }
    }
    expect(() => clock.advance(Number.NaN)).toThrow(/finite/);
    expect(clock.monotonicMs()).toBe(0);
  });
});
