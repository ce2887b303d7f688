import { Gunzip } from 'fflate';
import { MAX_MEMBER_TEXT } from './gzip-member';
import { ReplayError } from './replay-error';

/** Limits on gzip data without member lengths, whose claimed sizes nothing checks. */
export interface PlainGzipLimits {
  /** Most bytes inflated in all; past it inflating stops (default 256 MiB, a member's limit). */
  readonly maxText: number;
  /** Longest line kept; a longer one is skipped (default 64 MiB). */
  readonly maxLine: number;
}

/** The default {@link PlainGzipLimits}. */
export const PLAIN_GZIP_LIMITS: PlainGzipLimits = {
  maxText: MAX_MEMBER_TEXT,
  maxLine: 64 * 1024 * 1024,
};

/** What {@link inflatePlainGzip} read. */
export interface PlainGzipText {
  /** Every whole line inflated (each ending in `\n`), lines over the line limit left out. */
  readonly text: Uint8Array;
  /** Bytes inflated, kept or not: never much more than `maxText`. */
  readonly inflated: number;
  /** Why inflating stopped early: damaged or cut-off data (`TRUNCATED`), or `TOO_LARGE`. */
  readonly error: ReplayError | undefined;
  /** Lines skipped for their length (`TOO_LARGE`). */
  readonly issues: readonly ReplayError[];
}

/**
 * Compressed bytes handed to the inflater at a time: deflate inflates at most ~1032 times its
 * input, so one step adds at most ~4 MiB before the running total is checked.
 */
const STEP = 4 * 1024;

/** Collects whole lines from inflated pieces, leaving out those longer than `maxLine`. */
class LineCollector {
  private readonly lines: Uint8Array[] = [];
  private size = 0;
  private partial: Uint8Array[] = [];
  private partialSize = 0;
  /** Skipping the rest of a line found too long. */
  private skipping = false;
  /** Lines seen, for messages. */
  private line = 1;
  readonly issues: ReplayError[] = [];

  constructor(
    private readonly maxLine: number,
    private readonly fileOffset: number,
  ) {}

  add(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length) {
      const newline = chunk.indexOf(0x0a, from);
      const end = newline < 0 ? chunk.length : newline + 1;
      this.extend(chunk.subarray(from, end));
      if (newline >= 0) this.endLine();
      from = end;
    }
  }

  private extend(piece: Uint8Array): void {
    if (this.skipping) return;
    if (this.partialSize + piece.length > this.maxLine) {
      this.issues.push(
        new ReplayError(
          'TOO_LARGE',
          `gzip data from byte ${this.fileOffset}, line ${this.line}: longer than ${this.maxLine} bytes; skipped`,
          { offset: this.fileOffset, line: this.line },
        ),
      );
      this.skipping = true;
      this.partial = [];
      this.partialSize = 0;
      return;
    }
    // fflate hands over a fresh copy each time: a view of it is safe to keep.
    this.partial.push(piece);
    this.partialSize += piece.length;
  }

  private endLine(): void {
    if (!this.skipping) {
      for (const piece of this.partial) this.lines.push(piece);
      this.size += this.partialSize;
    }
    this.skipping = false;
    this.partial = [];
    this.partialSize = 0;
    this.line++;
  }

  /** The whole lines collected, as one text. */
  text(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const piece of this.lines) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

/**
 * Inflates gzip members from `offset` to the end with fflate's multi-member stream, for data
 * without our `GR` field (no sizes to check it against): a few KiB of input at a time, with a
 * running total that stops inflating past `limits.maxText`, and lines past `limits.maxLine`
 * skipped, so a crafted file cannot inflate to gigabytes. Returns the whole lines inflated
 * before any error, and the error. `fileOffset`: where `offset` is in the file, for messages.
 * Never throws.
 */
export function inflatePlainGzip(
  bytes: Uint8Array,
  offset: number,
  fileOffset = offset,
  limits: PlainGzipLimits = PLAIN_GZIP_LIMITS,
): PlainGzipText {
  const lines = new LineCollector(limits.maxLine, fileOffset);
  let inflated = 0;
  const stream = new Gunzip((chunk) => {
    const room = limits.maxText - inflated;
    inflated += chunk.length;
    if (room > 0) lines.add(room >= chunk.length ? chunk : chunk.subarray(0, room));
  });
  let error: ReplayError | undefined;
  try {
    for (let at = offset; at < bytes.length && inflated <= limits.maxText; at += STEP) {
      const end = Math.min(bytes.length, at + STEP);
      stream.push(bytes.subarray(at, end), end === bytes.length);
    }
    if (inflated > limits.maxText) {
      error = new ReplayError(
        'TOO_LARGE',
        `gzip data from byte ${fileOffset} (without member lengths) inflates to more than ${limits.maxText} bytes; the rest is not read`,
        { offset: fileOffset },
      );
    }
  } catch (cause) {
    error = new ReplayError(
      'TRUNCATED',
      `gzip data from byte ${fileOffset} (without member lengths) ends early or is damaged`,
      { offset: fileOffset, cause },
    );
  }
  return { text: lines.text(), inflated, error, issues: lines.issues };
}
