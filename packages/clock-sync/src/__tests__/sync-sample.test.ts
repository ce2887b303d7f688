import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeOffsetDelay } from '../sync-sample';

describe('computeOffsetDelay (NTP on-wire formulas)', () => {
  it('matches hand-computed cases', () => {
    // Host 1 000 ms ahead; 10 ms out, 30 ms back, 5 ms in the host.
    // t1 = 0, t2 = 0 + 10 + 1000 = 1010, t3 = 1015, t4 = 1015 − 1000 + 30 = 45.
    expect(computeOffsetDelay({ t1: 0, t2: 1010, t3: 1015, t4: 45 })).toEqual({
      offsetMs: 990, // ((1010 − 0) + (1015 − 45)) / 2: off by half the 20 ms asymmetry
      delayMs: 40, // (45 − 0) − (1015 − 1010)
    });
    // Symmetric 25 ms each way, host 250 ms behind, no processing time: exact.
    // t2 = 100 + 25 − 250 = −125, t4 = 100 + 50 = 150.
    expect(computeOffsetDelay({ t1: 100, t2: -125, t3: -125, t4: 150 })).toEqual({
      offsetMs: -250,
      delayMs: 50,
    });
    // RFC 5905-style epoch values: a client 2.5 s slow on a 12 ms round trip.
    const t1 = 1_724_312_300_000;
    expect(computeOffsetDelay({ t1, t2: t1 + 2_506, t3: t1 + 2_507, t4: t1 + 13 })).toEqual({
      offsetMs: 2_500,
      delayMs: 12,
    });
  });

  it('always lands within delay / 2 of the true offset, whatever the one-way delays', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.double({ min: 0, max: 1_000, noNaN: true }),
        (offset, out, back, processing) => {
          const t1 = 1_000_000;
          const t2 = t1 + out + offset;
          const t3 = t2 + processing;
          const t4 = t3 - offset + back;
          const { offsetMs, delayMs } = computeOffsetDelay({ t1, t2, t3, t4 });
          expect(delayMs).toBeCloseTo(out + back, 6);
          expect(offsetMs).toBeCloseTo(offset + (out - back) / 2, 6);
          expect(Math.abs(offsetMs - offset)).toBeLessThanOrEqual(delayMs / 2 + 1e-6);
        },
      ),
    );
  });
});
