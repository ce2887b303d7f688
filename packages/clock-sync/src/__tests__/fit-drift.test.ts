import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitDrift } from '../fit-drift';

describe('fitDrift (weighted regression)', () => {
  it('recovers an exact line', () => {
    const points = [0, 1000, 2000, 3000, 4000].map((t) => ({
      timeMs: t,
      offsetMs: 10 - 50e-6 * t,
      sigmaMs: 1,
    }));
    const fit = fitDrift(points);
    expect(fit?.slope).toBeCloseTo(-50e-6, 12);
    expect(fit?.offsetMs).toBeCloseTo(10 - 50e-6 * 2000, 9);
    expect(fit?.timeMs).toBeCloseTo(2000, 9);
    expect(fit?.spanMs).toBe(4000);
    expect(fit?.used).toBe(5);
    // The sigmas set a floor under the standard error: a clean window is not trusted beyond them.
    expect(fit?.slopeStandardError).toBeCloseTo(1 / Math.sqrt(10_000_000), 12);
  });

  it('lets precise points outweigh noisy ones, and leaves a wild point out', () => {
    const points = [];
    for (let i = 0; i < 20; i++) {
      const t = i * 1000;
      points.push({ timeMs: t, offsetMs: 5 + 20e-6 * t, sigmaMs: 0.1 });
      points.push({
        timeMs: t + 500,
        offsetMs: 5 + 20e-6 * (t + 500) + (i % 2 ? 3 : -3),
        sigmaMs: 3,
      });
    }
    points.push({ timeMs: 19_900, offsetMs: 400, sigmaMs: 0.1 });
    const fit = fitDrift(points);
    expect(fit?.used).toBe(40);
    expect(fit?.slope).toBeCloseTo(20e-6, 6); // within 0.5 ppm
  });

  it('needs three points at two instants at least', () => {
    expect(fitDrift([])).toBeUndefined();
    expect(
      fitDrift([
        { timeMs: 0, offsetMs: 1, sigmaMs: 1 },
        { timeMs: 1, offsetMs: 1, sigmaMs: 1 },
      ]),
    ).toBeUndefined();
    expect(
      fitDrift([0, 0, 0].map((t) => ({ timeMs: t, offsetMs: 1, sigmaMs: 1 }))),
    ).toBeUndefined();
  });

  it('finds any slope from noiseless points, whatever their weights', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 600_000 }),
            sigma: fc.double({ min: 0.01, max: 100, noNaN: true }),
          }),
          { minLength: 3, maxLength: 40 },
        ),
        (slope, intercept, raw) => {
          fc.pre(new Set(raw.map((p) => p.t)).size >= 2);
          const fit = fitDrift(
            raw.map((p) => ({ timeMs: p.t, offsetMs: intercept + slope * p.t, sigmaMs: p.sigma })),
          );
          expect(fit).toBeDefined();
          expect(Math.abs((fit?.slope ?? 0) - slope)).toBeLessThan(1e-9);
        },
      ),
    );
  });
});
