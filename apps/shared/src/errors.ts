/**
 * What went wrong in an app, as a person should read it, with the process exit code to use.
 * Apps print `message` (never a stack trace) and exit with `exitCode`.
 */
export const APP_ERROR_CODES = {
  /** Wrong or missing command-line arguments. Exit 2. */
  USAGE: 2,
  /** The hub could not be reached (refused, unknown host, timeout, TLS). Exit 3. */
  HUB_UNREACHABLE: 3,
  /** The hub refused our credentials. Exit 3. */
  HUB_AUTH: 3,
  /** A port the host wants to listen on is taken. Exit 4. */
  PORT_IN_USE: 4,
  /** No race with this server code on the hub (no retained state). Exit 5. */
  NO_RACE: 5,
  /** A file could not be read or is not what it should be. Exit 6. */
  BAD_FILE: 6,
  /** The hub refused this player id: another connection already races with it. Exit 7. */
  PLAYER_TAKEN: 7,
  /** Another host directs this race (on this hub, or with this results folder). Exit 8. */
  ANOTHER_HOST: 8,
  /** The user pressed Ctrl-C at a question. Exit 130, as a shell reports SIGINT. */
  INTERRUPTED: 130,
  /** Anything else. Exit 1. */
  FAILED: 1,
} as const;

/** One of {@link APP_ERROR_CODES}. */
export type AppErrorCode = keyof typeof APP_ERROR_CODES;

/** An error an app reports to its user and exits on. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  /** What the user can do about it, printed under the message. */
  readonly hint: string | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return APP_ERROR_CODES[this.code];
  }
}

/**
 * The error to report when listening on `host` failed for the address itself (not the port): an
 * address no interface of this machine has, or a name that does not resolve. Undefined for any
 * other failure (a port in use, say), which the caller words itself.
 */
export function listenAddressError(error: unknown, host: string): AppError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint =
    'use 0.0.0.0 for every network interface, 127.0.0.1 for this machine only, or one of its own addresses';
  if (code === 'EADDRNOTAVAIL')
    return new AppError(
      'USAGE',
      `cannot listen on ${host}: no network interface of this machine has that address`,
      { hint, cause: error },
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EINVAL')
    return new AppError('USAGE', `cannot listen on ${host}: not an address of this machine`, {
      hint,
      cause: error,
    });
  return undefined;
}

/** True when `value` is an {@link AppError}. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
