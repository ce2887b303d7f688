/**
 * Every way clock synchronisation can fail. Each code is stable: tools may switch on it.
 */
export const CLOCK_SYNC_ERROR_CODES = {
  /** A function was given a value it cannot use (a non-finite time, a negative window, ...). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A simulated clock was asked to move backwards; monotonic time never does. */
  CLOCK_WENT_BACKWARDS: 'CLOCK_WENT_BACKWARDS',
  /** An SNTP server sent nothing usable before the last attempt timed out. */
  TIMEOUT: 'TIMEOUT',
  /** Replies arrived but none was a valid answer to our request (garbage, wrong mode, wrong origin). */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** The server answered with a kiss-o'-death (stratum 0); `kissCode` says why (`RATE`, `DENY`, ...). */
  KISS_OF_DEATH: 'KISS_OF_DEATH',
  /** The server says its own clock is not synchronised (leap 3, stratum 16+, or a huge root distance). */
  UNSYNCHRONIZED: 'UNSYNCHRONIZED',
  /** The server name did not resolve. */
  LOOKUP_FAILED: 'LOOKUP_FAILED',
  /** A socket could not be opened, bound or written to. */
  NETWORK: 'NETWORK',
  /** The caller's `AbortSignal` fired. */
  ABORTED: 'ABORTED',
  /** Servers answered but no majority of them agrees on the time (Marzullo's intersection is empty). */
  NO_MAJORITY: 'NO_MAJORITY',
} as const;

/** One of {@link CLOCK_SYNC_ERROR_CODES}. */
export type ClockSyncErrorCode = keyof typeof CLOCK_SYNC_ERROR_CODES;

/** Options of {@link ClockSyncError}. */
export interface ClockSyncErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The server concerned (`host:port`), for network errors. */
  server?: string;
  /** The kiss code of a {@link CLOCK_SYNC_ERROR_CODES.KISS_OF_DEATH}. */
  kissCode?: string;
}

/** The one error class of `@gw2race/clock-sync`. */
export class ClockSyncError extends Error {
  /** What kind of problem this is. */
  readonly code: ClockSyncErrorCode;
  /** The server concerned, for network errors. */
  readonly server: string | undefined;
  /** The kiss code, for `KISS_OF_DEATH`. */
  readonly kissCode: string | undefined;

  constructor(code: ClockSyncErrorCode, message: string, options: ClockSyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClockSyncError';
    this.code = code;
    this.server = options.server;
    this.kissCode = options.kissCode;
  }
}

/** True when `value` is a {@link ClockSyncError} (also across bundled copies of this package). */
export function isClockSyncError(value: unknown): value is ClockSyncError {
  if (value instanceof ClockSyncError) return true;
  if (!(value instanceof Error) || value.name !== 'ClockSyncError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(CLOCK_SYNC_ERROR_CODES, code);
}

/** Throws `INVALID_ARGUMENT` unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new ClockSyncError('INVALID_ARGUMENT', `${name} must be a finite number, got ${value}`);
  }
}
