import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitDrift, fitEnvelope } from '../fit-drift';
import { createRandom } from './support/simulated-network';

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

describe('fitEnvelope (lower envelope of the delays)', () => {
  /** Offsets of a clock drifting `slope`, seen through exponential queueing jitter both ways. */
  function jittered(seed: number, slope: number, jitterMeanMs: number) {
    const random = createRandom(seed);
    const exp = () => -jitterMeanMs * Math.log(1 - random());
    const points = [];
    for (let i = 0; i < 30; i++) {
      const timeMs = i * 2_000;
      const out = exp();
      const back = exp();
      // The offset is off by half the difference of the jitters; the excess delay is their sum.
      points.push({
        timeMs,
        offsetMs: 7 + slope * timeMs + (out - back) / 2,
        excessMs: out + back,
      });
    }
    const least = Math.min(...points.map((p) => p.excessMs));
    return points.map((p) => ({ ...p, halfWidthMs: (p.excessMs - least) / 2 }));
  }

  it('recovers an exact line', () => {
    const points = [0, 1000, 2000, 3000, 4000].map((t) => ({
      timeMs: t,
      offsetMs: 10 - 50e-6 * t,
      halfWidthMs: t === 2000 ? 5 : 0,
    }));
    const fit = fitEnvelope(points, 200e-6);
    expect(fit?.slope).toBeCloseTo(-50e-6, 10);
    expect(fit?.offsetMs).toBeCloseTo(10, 6);
    expect(fit?.slackMs).toBeCloseTo(0, 6);
  });

  it('rests on the fast samples where least squares lets the congested ones pull', () => {
    let envelopeError = 0;
    let squaresError = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const points = jittered(seed, 40e-6, 4);
      const envelope = fitEnvelope(points, 200e-6);
      const squares = fitDrift(
        points.map((p) => ({ ...p, sigmaMs: (2 * p.halfWidthMs + 0.02) / (2 * Math.sqrt(3)) })),
      );
      expect(envelope && squares).toBeTruthy();
      envelopeError += Math.abs((envelope?.slope ?? 0) - 40e-6);
      squaresError += Math.abs((squares?.slope ?? 0) - 40e-6);
    }
    // Same points, same weights' information: the envelope's slope is markedly closer.
    expect(envelopeError).toBeLessThan(0.8 * squaresError);
    expect(envelopeError / 40).toBeLessThan(10e-6);
  });

  it('takes the middle of the slopes the intervals leave room for', () => {
    // Two exact points and a loose one: every slope between the loose interval's edges fits.
    const fit = fitEnvelope(
      [
        { timeMs: 0, offsetMs: 0, halfWidthMs: 1 },
        { timeMs: 10_000, offsetMs: 0, halfWidthMs: 0 },
        { timeMs: 20_000, offsetMs: 0, halfWidthMs: 1 },
      ],
      1e-3,
    );
    expect(fit?.slackMs).toBeCloseTo(0, 9);
    expect(fit?.slopeLow).toBeCloseTo(-1e-4, 9);
    expect(fit?.slopeHigh).toBeCloseTo(1e-4, 9);
    expect(fit?.slope).toBeCloseTo(0, 9);
  });

  it('needs three points and a positive slope range', () => {
    expect(fitEnvelope([], 1e-4)).toBeUndefined();
    expect(
      fitEnvelope(
        [0, 1, 2].map((t) => ({ timeMs: t, offsetMs: 1, halfWidthMs: 0 })),
        0,
      ),
    ).toBeUndefined();
  });
});
