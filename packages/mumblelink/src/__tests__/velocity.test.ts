import { describe, expect, it } from 'vitest';
import type { Vec3, VelocityEstimate } from '../index';
import { createVelocityEstimator } from '../index';

const POLL_MS = 1000 / 60;
const GAME_UPDATE_MS = 40; // the game moves the avatar at about 25 Hz

/** Polls at 60 Hz a game that updates the position every 40 ms; returns each poll's estimate. */
function drive(
  estimator: ReturnType<typeof createVelocityEstimator>,
  fromMs: number,
  toMs: number,
  positionAt: (gameTimeMs: number) => Vec3,
): { time: number; estimate: VelocityEstimate }[] {
  const out: { time: number; estimate: VelocityEstimate }[] = [];
  for (let poll = Math.ceil(fromMs / POLL_MS); poll * POLL_MS < toMs; poll++) {
    const time = poll * POLL_MS;
    const lastUpdate = Math.floor(time / GAME_UPDATE_MS) * GAME_UPDATE_MS;
    out.push({ time, estimate: estimator.update(positionAt(lastUpdate), time) });
  }
  return out;
}

describe('createVelocityEstimator', () => {
  it('reports a steady 25 m/s, never zero, while a 60 Hz poll often sees the same position twice', () => {
    const estimator = createVelocityEstimator();
    const samples = drive(estimator, 0, 3000, (t) => ({ x: 0.025 * t, y: 10, z: -5 }));
    const settled = samples.filter((sample) => sample.time >= 300);
    expect(settled.length).toBeGreaterThan(150);
    for (const { estimate } of settled) {
      expect(estimate.moving).toBe(true);
      expect(estimate.speed).toBeGreaterThan(25 * 0.9);
      expect(estimate.speed).toBeLessThan(25 * 1.1);
      expect(estimate.velocity.y).toBe(0);
    }
    const mean = settled.reduce((sum, { estimate }) => sum + estimate.speed, 0) / settled.length;
    expect(mean).toBeCloseTo(25, 0);
  });

  it('splits horizontal from vertical speed (Y is up)', () => {
    const estimator = createVelocityEstimator();
    const samples = drive(estimator, 0, 1000, (t) => ({ x: 0.003 * t, y: -0.004 * t, z: 0 }));
    const last = samples.at(-1)!.estimate;
    expect(last.horizontalSpeed).toBeCloseTo(3, 0);
    expect(last.speed).toBeCloseTo(5, 0);
    expect(last.velocity.y).toBeLessThan(0);
  });

  it('reports zero once the position has not changed for stationaryAfterMs, not before', () => {
    const estimator = createVelocityEstimator({ stationaryAfterMs: 250 });
    const stopAt = 1000;
    const samples = drive(estimator, 0, 2000, (t) => ({
      x: 0.01 * Math.min(t, stopAt),
      y: 0,
      z: 0,
    }));
    const lastChange = samples.findLast(({ estimate }) => estimate.moving)!.estimate
      .positionChangedAt!;
    for (const { time, estimate } of samples.filter(({ time }) => time > stopAt)) {
      if (time - lastChange < 250) expect(estimate.speed).toBeGreaterThan(5);
      else expect([estimate.speed, estimate.moving]).toEqual([0, false]);
    }
  });

  it('measures the first step from rest over one game update, not over the time spent still', () => {
    const estimator = createVelocityEstimator();
    estimator.update({ x: 0, y: 0, z: 0 }, 0);
    estimator.update({ x: 0, y: 0, z: 0 }, 5000);
    const first = estimator.update({ x: 0.8, y: 0, z: 0 }, 5000 + POLL_MS);
    expect(first.moving).toBe(true);
    expect(first.speed).toBeGreaterThan(10);
    expect(first.speed).toBeLessThan(40);
  });

  it('flags a teleport, reports no speed for it, and measures motion afresh after it', () => {
    const estimator = createVelocityEstimator();
    drive(estimator, 0, 500, (t) => ({ x: 0.01 * t, y: 0, z: 0 }));
    const jump = estimator.update({ x: 5000, y: 0, z: 0 }, 500 + POLL_MS);
    expect(jump).toMatchObject({ teleported: true, speed: 0, moving: false });
    const after = drive(estimator, 500 + 2 * POLL_MS, 1500, (t) => ({
      x: 5000 + 0.01 * (t - 500),
      y: 0,
      z: 0,
    }));
    expect(after.at(-1)!.estimate.speed).toBeCloseTo(10, 0);
    expect(after.every(({ estimate }) => !estimate.teleported)).toBe(true);
  });

  it('forgets its history on reset', () => {
    const estimator = createVelocityEstimator();
    drive(estimator, 0, 500, (t) => ({ x: 0.01 * t, y: 0, z: 0 }));
    estimator.reset();
    const first = estimator.update({ x: 900, y: 0, z: 0 }, 600);
    expect(first).toMatchObject({
      speed: 0,
      moving: false,
      teleported: false,
      positionChangedAt: 600,
    });
  });

  it('keeps its estimate when two different positions arrive at the same instant', () => {
    const estimator = createVelocityEstimator();
    estimator.update({ x: 0, y: 0, z: 0 }, 100);
    const a = estimator.update({ x: 1, y: 0, z: 0 }, 100);
    const b = estimator.update({ x: 2, y: 0, z: 0 }, 100);
    expect(Number.isFinite(a.speed) && Number.isFinite(b.speed)).toBe(true);
  });
});
