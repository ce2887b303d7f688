/**
 * Every way reading or writing a recording can go wrong. Each code is stable: tools may switch
 * on it. Readers report most of them as issues and carry on; only a missing or unreadable header
 * stops a read.
 */
export const REPLAY_ERROR_CODES = {
  /** The bytes are not a gw2race recording: no gzip member at the start, or no header line. */
  NOT_A_REPLAY: 'NOT_A_REPLAY',
  /** The header was written by a newer major version of the format than this reader knows. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** The header line is JSON but misses or mistypes a field the format requires. */
  INVALID_HEADER: 'INVALID_HEADER',
  /** The file ends inside a gzip member (the writer was killed or the copy was cut short). */
  TRUNCATED: 'TRUNCATED',
  /** A gzip member does not inflate, or its CRC-32 or length does not match its content. */
  CORRUPT_MEMBER: 'CORRUPT_MEMBER',
  /** Bytes between members that are not a gzip member; the reader skipped to the next member. */
  CORRUPT_BYTES: 'CORRUPT_BYTES',
  /**
   * Compressed data inflates to more than it claims or than a reader accepts: a member past the
   * size in its gzip trailer or past 256 MiB, gzip data without member lengths past 256 MiB in
   * all, a line of it past 64 MiB (a decompression bomb, or damage). Inflating stops at the limit;
   * the member or line is skipped, and every whole line read before it is kept.
   */
  TOO_LARGE: 'TOO_LARGE',
  /** A line is not JSON, or is a record of this format with a missing or malformed field. */
  CORRUPT_LINE: 'CORRUPT_LINE',
  /** An event line holds a message that does not match its kind's protocol schema. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /**
   * A position chunk continues from data that was lost (a corrupt line or member before it),
   * so it cannot be rebuilt; positions resume at that racer's next keyframe.
   */
  MISSING_KEYFRAME: 'MISSING_KEYFRAME',
  /** A line of a type this reader does not know (from a newer writer); it was skipped. */
  UNKNOWN_LINE: 'UNKNOWN_LINE',
  /** The index trailer disagrees with the members found by scanning; the scan wins. */
  INDEX_MISMATCH: 'INDEX_MISMATCH',
  /** A caller passed an invalid argument (a bad race id, a non-positive interval, ...). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A recording to carry on (`resumeReplayFile`) has its index trailer: it was closed, its race is over. */
  CLOSED: 'CLOSED',
  /** `append` or `flush` was called after `close`. */
  WRITER_CLOSED: 'WRITER_CLOSED',
  /** The byte sink failed to write or sync; `cause` holds its error. The recording stops. */
  SINK_FAILED: 'SINK_FAILED',
  /**
   * A file or source could not be opened, read or written: missing, already there (files are
   * never overwritten unless asked), a folder, no permission, a failed download. `cause` holds
   * the system error (its `code`, e.g. `ENOENT` or `EEXIST`, in Node).
   */
  IO_FAILED: 'IO_FAILED',
} as const;

/** One of {@link REPLAY_ERROR_CODES}. */
export type ReplayErrorCode = keyof typeof REPLAY_ERROR_CODES;

/** Options of {@link ReplayError}. */
export interface ReplayErrorOptions {
  /** Byte offset in the file of the gzip member concerned. */
  offset?: number;
  /** 1-based line number inside that member's text. */
  line?: number;
  /** 1-based line number in the whole file's text (what `zcat | sed -n Np` prints), when known. */
  fileLine?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@gw2race/replay-format`. Readers return it inside a failed `Result`
 * (fatal problems) or list it as an issue (a skipped line or member, with where it was); the
 * writer throws it for programming errors and sink failures.
 */
export class ReplayError extends Error {
  /** What kind of problem this is. */
  readonly code: ReplayErrorCode;
  /** Byte offset of the gzip member concerned, when the problem is in a file. */
  readonly offset: number | undefined;
  /** 1-based line inside that member, when the problem is one line. */
  readonly line: number | undefined;
  /**
   * 1-based line in the whole file's text, when the problem is one line and the reader knows
   * (a sequential read with nothing lost before it).
   */
  readonly fileLine: number | undefined;

  constructor(code: ReplayErrorCode, message: string, options: ReplayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReplayError';
    this.code = code;
    this.offset = options.offset;
    this.line = options.line;
    this.fileLine = options.fileLine;
  }
}

/** True when `value` is a {@link ReplayError} (also across bundled copies of this package). */
export function isReplayError(value: unknown): value is ReplayError {
  if (value instanceof ReplayError) return true;
  if (!(value instanceof Error) || value.name !== 'ReplayError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(REPLAY_ERROR_CODES, code);
}
