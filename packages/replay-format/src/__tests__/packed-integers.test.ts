import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePackedIntegers,
  encodePackedIntegers,
  MAX_PACKED_MAGNITUDE,
  unpackIntegers,
} from '../packed-integers';

const packable = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.integer(),
  fc.maxSafeInteger().filter((v) => Math.abs(v) <= MAX_PACKED_MAGNITUDE),
  fc.constant(MAX_PACKED_MAGNITUDE),
  fc.constant(-MAX_PACKED_MAGNITUDE),
  fc.constant(undefined),
);

describe('packed integers', () => {
  it('writes the documented characters', () => {
    expect(encodePackedIntegers([0, -1, 1, 100, undefined])).toBe('012c8~');
    // 15 → zigzag 30 → one terminal character; -16 → 31; 16 → 32 → two characters.
    expect(encodePackedIntegers([15, -16, 16])).toBe('NO^0');
  });

  it('round-trips any integers within ±2^51 and missing values', () => {
    fc.assert(
      fc.property(fc.array(packable, { maxLength: 200 }), (values) => {
        const text = encodePackedIntegers(values);
        expect(decodePackedIntegers(text)).toEqual(values);
        // Only characters that need no escaping in JSON.
        expect(JSON.stringify(text)).toBe(`"${text}"`);
      }),
    );
  });

  it('never throws on arbitrary text, and refuses what a writer cannot produce', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const decoded = decodePackedIntegers(text);
        if (decoded !== undefined) expect(encodePackedIntegers(decoded)).toBe(text);
      }),
    );
    expect(decodePackedIntegers('^')).toBeUndefined(); // cut short
    expect(decodePackedIntegers(']0')).toBeUndefined(); // leading zero digit
    expect(decodePackedIntegers('"')).toBeUndefined();
    expect(decodePackedIntegers('||||||||||||0')).toBeUndefined(); // beyond 2^51
  });

  it('unpacks an exact count from a position and says where it stopped', () => {
    const out = new Float64Array(3);
    expect(unpackIntegers('12c8~9', 2, 2, out)).toBe(5);
    expect([...out.subarray(0, 2)]).toEqual([100, Number.NaN]);
    expect(unpackIntegers('12', 0, 3, out)).toBe(-1);
  });

  it('refuses integers it cannot pack', () => {
    expect(() => encodePackedIntegers([0.5])).toThrow(RangeError);
    expect(() => encodePackedIntegers([2 ** 52])).toThrow(RangeError);
  });
});
