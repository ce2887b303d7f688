/**
 * Every way reading or writing MumbleLink can fail. Each code is stable: tools may switch on it.
 */
export const MUMBLE_LINK_ERROR_CODES = {
  /** The block is shorter than a LinkedMem (5460 bytes, or 1193 with `partial`); it was not decoded. */
  TRUNCATED: 'TRUNCATED',
  /** A frame given to the encoder cannot be written (a string too long for its field, a bad number). */
  INVALID_FRAME: 'INVALID_FRAME',
  /** Reading or writing the file failed for a reason other than "not there yet" (permissions, I/O). */
  IO_FAILED: 'IO_FAILED',
  /** A kernel32 call on the named shared memory failed; `win32Error` holds `GetLastError()`. */
  SHARED_MEMORY_FAILED: 'SHARED_MEMORY_FAILED',
  /** koffi (the FFI used for Windows shared memory) could not be loaded on this machine. */
  FFI_UNAVAILABLE: 'FFI_UNAVAILABLE',
  /** Windows shared memory was asked for on another operating system. */
  UNSUPPORTED_PLATFORM: 'UNSUPPORTED_PLATFORM',
  /**
   * The decoder threw on a block instead of returning a failed result (a bug in this package:
   * please report it with the block's length). The reader reports it and keeps polling.
   */
  DECODE_FAILED: 'DECODE_FAILED',
  /** A source or writer was used after `close()`. */
  CLOSED: 'CLOSED',
} as const;

/** One of {@link MUMBLE_LINK_ERROR_CODES}. */
export type MumbleLinkErrorCode = keyof typeof MUMBLE_LINK_ERROR_CODES;

/** Options of {@link MumbleLinkError}. */
export interface MumbleLinkErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** `GetLastError()` after the failed kernel32 call (only for `SHARED_MEMORY_FAILED`). */
  win32Error?: number;
}

/**
 * The one error class of `@gw2race/mumblelink`. Decoders return it inside a failed
 * {@link Result}; sources and writers throw it; the reader reports it as an `error` event.
 */
export class MumbleLinkError extends Error {
  /** What kind of problem this is. */
  readonly code: MumbleLinkErrorCode;
  /** `GetLastError()` of the failed kernel32 call, when there was one. */
  readonly win32Error: number | undefined;

  constructor(code: MumbleLinkErrorCode, message: string, options: MumbleLinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MumbleLinkError';
    this.code = code;
    this.win32Error = options.win32Error;
  }
}

/** True when `value` is a {@link MumbleLinkError} (also across bundled copies of this package). */
export function isMumbleLinkError(value: unknown): value is MumbleLinkError {
  if (value instanceof MumbleLinkError) return true;
  if (!(value instanceof Error) || value.name !== 'MumbleLinkError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(MUMBLE_LINK_ERROR_CODES, code);
}

/** The `message` of an error, or its text: for error messages that quote a cause. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
