/** Every way the race director refuses. Each code is stable: tools may switch on it. */
export const RACE_DIRECTOR_ERROR_CODES = {
  /** The director's configuration is out of range (a programming error: thrown by `createDirector`). */
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;

/** One of {@link RACE_DIRECTOR_ERROR_CODES}. */
export type RaceDirectorErrorCode = keyof typeof RACE_DIRECTOR_ERROR_CODES;

/** The one error class of `@gw2race/race-director`. */
export class RaceDirectorError extends Error {
  /** What kind of problem this is. */
  readonly code: RaceDirectorErrorCode;

  constructor(code: RaceDirectorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RaceDirectorError';
    this.code = code;
  }
}

/** True when `value` is a {@link RaceDirectorError} (also across bundled copies of this package). */
export function isRaceDirectorError(value: unknown): value is RaceDirectorError {
  if (value instanceof RaceDirectorError) return true;
  if (!(value instanceof Error) || value.name !== 'RaceDirectorError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(RACE_DIRECTOR_ERROR_CODES, code);
}
