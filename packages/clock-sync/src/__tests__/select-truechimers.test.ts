import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectTruechimers } from '../select-truechimers';

describe('selectTruechimers (Marzullo)', () => {
  it('leaves out the server that disagrees with the majority', () => {
    expect(
      selectTruechimers([
        { offsetMs: 10, boundMs: 5 },
        { offsetMs: 12, boundMs: 5 },
        { offsetMs: 900, boundMs: 5 },
      ]),
    ).toEqual({ truechimers: [0, 1], falsetickers: [2], lowMs: 7, highMs: 15 });
  });

  it('finds the region covered by the most intervals', () => {
    const selection = selectTruechimers([
      { offsetMs: 0, boundMs: 10 }, // [-10, 10]
      { offsetMs: 8, boundMs: 4 }, // [4, 12]
      { offsetMs: 6, boundMs: 1 }, // [5, 7]
      { offsetMs: 30, boundMs: 1 }, // [29, 31]
    ]);
    expect(selection).toEqual({ truechimers: [0, 1, 2], falsetickers: [3], lowMs: 5, highMs: 7 });
  });

  it('counts touching intervals as agreeing, and gives up without a strict majority', () => {
    expect(
      selectTruechimers([
        { offsetMs: 0, boundMs: 1 },
        { offsetMs: 2, boundMs: 1 },
      ]),
    ).toEqual({
      truechimers: [0, 1],
      falsetickers: [],
      lowMs: 1,
      highMs: 1,
    });
    expect(
      selectTruechimers([
        { offsetMs: 0, boundMs: 1 },
        { offsetMs: 50, boundMs: 1 },
      ]),
    ).toBe(undefined);
    expect(selectTruechimers([])).toBe(undefined);
    expect(selectTruechimers([{ offsetMs: 3, boundMs: 0 }])?.truechimers).toEqual([0]);
  });

  it('keeps every interval that contains a point shared by a majority', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.array(
          fc.record({
            shift: fc.double({ min: -1, max: 1, noNaN: true }),
            bound: fc.double({ min: 0.001, max: 100, noNaN: true }),
          }),
          { minLength: 3, maxLength: 9 },
        ),
        fc.array(fc.double({ min: 1e4, max: 1e6, noNaN: true }), { maxLength: 1 }),
        (truth, honest, liars) => {
          // Honest intervals all contain `truth`; the liar (at most one) is far away.
          const intervals = [
            ...honest.map(({ shift, bound }) => ({
              offsetMs: truth + shift * bound,
              boundMs: bound,
            })),
            ...liars.map((far) => ({ offsetMs: truth + far, boundMs: 1 })),
          ];
          const selection = selectTruechimers(intervals);
          expect(selection).toBeDefined();
          expect(selection?.truechimers).toEqual(honest.map((_, i) => i));
          expect(selection!.lowMs).toBeLessThanOrEqual(truth + 1e-9);
          expect(selection!.highMs).toBeGreaterThanOrEqual(truth - 1e-9);
        },
      ),
    );
  });
});
