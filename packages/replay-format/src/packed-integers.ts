/**
 * Integer columns packed into a JSON-safe ASCII string.
 *
 * Each value is zigzag-mapped (0, -1, 1, -2, … → 0, 1, 2, 3, …) and written in base 32, most
 * significant digit first: every digit but the last is a *continuation* character (code 93 + d,
 * `]` … `|`), the last digit a *terminal* character (code 48 + d, `0` … `O`). A missing value is
 * `~`. Small values, the common case after delta coding, take one character, and gzip's Huffman
 * stage then spends close to their entropy on them; decimal text with separators costs about
 * twice as much. No character needs escaping in JSON.
 */

/** Largest magnitude a packed value may have (2^51), so every step stays an exact double. */
export const MAX_PACKED_MAGNITUDE = 2 ** 51;

/** First terminal character code (`0`): digit d is `48 + d`. */
export const TERMINAL_BASE = 48;
/** First continuation character code (`]`): digit d is `93 + d`. */
export const CONTINUATION_BASE = 93;
/** The character of a missing value (`~`). */
export const ABSENT_CODE = 126;
const MAX_DIGITS = 11;

/**
 * Appends the characters of one value to `out` (as char codes). `undefined` writes `~`.
 * Throws a `RangeError` if |value| > {@link MAX_PACKED_MAGNITUDE} or it is not an integer: the
 * encoders check their inputs first, so this is a programming error.
 */
export function pushPackedInteger(out: number[], value: number | undefined): void {
  if (value === undefined) {
    out.push(ABSENT_CODE);
    return;
  }
  if (!Number.isInteger(value) || Math.abs(value) > MAX_PACKED_MAGNITUDE) {
    throw new RangeError(`cannot pack ${value}: not an integer within ±2^51`);
  }
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  if (z < 32) {
    out.push(TERMINAL_BASE + z);
    return;
  }
  const start = out.length;
  out.push(TERMINAL_BASE + (z % 32));
  z = Math.floor(z / 32);
  while (z > 0) {
    out.push(CONTINUATION_BASE + (z % 32));
    z = Math.floor(z / 32);
  }
  // Digits were pushed least significant first; the format is most significant first.
  for (let i = start, j = out.length - 1; i < j; i++, j--) {
    const swap = out[i]!;
    out[i] = out[j]!;
    out[j] = swap;
  }
}

/** Turns char codes into a string without blowing the argument limit of `fromCharCode`. */
export function charCodesToString(codes: readonly number[]): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) {
    text += String.fromCharCode.apply(null, codes.slice(i, i + 8192) as number[]);
  }
  return text;
}

/**
 * Packs integers (and `undefined` for missing values) into a string.
 *
 * @example
 * encodePackedIntegers([0, -1, 1, 100, undefined]); // '012c8~'
 */
export function encodePackedIntegers(values: ArrayLike<number | undefined>): string {
  const codes: number[] = [];
  for (let i = 0; i < values.length; i++) pushPackedInteger(codes, values[i]);
  return charCodesToString(codes);
}

/**
 * Unpacks exactly `count` values from `text` starting at character `start` into `out` from
 * index `outStart` (missing values become `NaN`). Returns the index of the character after the
 * last value, or -1 if the text is malformed there (a character outside the alphabet, a value
 * cut short, a leading zero digit, more than 11 digits, a magnitude beyond 2^51, or fewer than
 * `count` values). Never throws.
 */
export function unpackIntegers(
  text: string,
  start: number,
  count: number,
  out: Float64Array,
  outStart = 0,
): number {
  const bytes = asciiBytes(text);
  return unpackIntegerBytes(bytes, start, bytes.length, count, out, outStart);
}

/**
 * A string's characters as bytes, one each, for {@link unpackIntegerBytes}: anything beyond
 * ASCII is outside the alphabet and becomes 0xff.
 */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[i] = c < 0x80 ? c : 0xff;
  }
  return bytes;
}

/**
 * {@link unpackIntegers} over bytes (the packed text as ASCII, e.g. straight from the inflated
 * member), from `start` up to `end`: what readers use, with no string built.
 */
export function unpackIntegerBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  out: Float64Array,
  outStart = 0,
): number {
  let i = start;
  let k = outStart;
  const stop = outStart + count;
  while (k < stop) {
    // The common case, in a tight loop: runs of small values of one character each. The
    // zigzag is branch-free: the sign of a residual is a coin toss, a branch on it mispredicts.
    const run = Math.min(stop - k, end - i);
    let j = 0;
    for (; j < run; j++) {
      const z = bytes[i + j]! - TERMINAL_BASE;
      if (z >>> 0 >= 32) break;
      out[k + j] = (z >>> 1) ^ -(z & 1);
    }
    i += j;
    k += j;
    if (k >= stop) break;
    if (i >= end) return -1;
    let c = bytes[i++]!;
    if (c === ABSENT_CODE) {
      out[k++] = Number.NaN;
      continue;
    }
    if ((c - CONTINUATION_BASE) >>> 0 >= 32 || c === CONTINUATION_BASE) return -1;
    let acc = c - CONTINUATION_BASE;
    let digits = 1;
    for (;;) {
      if (i >= end) return -1;
      c = bytes[i++]!;
      if ((c - TERMINAL_BASE) >>> 0 < 32) {
        acc = acc * 32 + (c - TERMINAL_BASE);
        break;
      }
      if ((c - CONTINUATION_BASE) >>> 0 >= 32 || ++digits >= MAX_DIGITS) return -1;
      acc = acc * 32 + (c - CONTINUATION_BASE);
    }
    const value = acc % 2 === 0 ? acc / 2 : -(acc + 1) / 2;
    // Values beyond ±2^51 never come from a writer; treat them as corruption.
    if (Math.abs(value) > MAX_PACKED_MAGNITUDE) return -1;
    out[k++] = value;
  }
  return i;
}

/** Counts the values packed in `text`, or -1 if it is malformed. Never throws. */
function countPacked(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c - TERMINAL_BASE) >>> 0 < 32 || c === ABSENT_CODE) count++;
    else if ((c - CONTINUATION_BASE) >>> 0 >= 32) return -1;
  }
  return count;
}

/**
 * Unpacks a string written by {@link encodePackedIntegers}. Missing values come back as
 * `undefined`; malformed text gives `undefined` for the whole result. Never throws.
 */
export function decodePackedIntegers(text: string): (number | undefined)[] | undefined {
  const count = countPacked(text);
  if (count < 0) return undefined;
  const out = new Float64Array(count);
  if (unpackIntegers(text, 0, count, out) !== text.length) return undefined;
  const values: (number | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const value = out[i]!;
    values[i] = Number.isNaN(value) ? undefined : value;
  }
  return values;
}
