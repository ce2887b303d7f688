/**
 * Every way the standings refuse their input. Each code is stable: tools may switch on it.
 */
export const STANDINGS_ERROR_CODES = {
  /** A race id that is not a race of the tournament. */
  UNKNOWN_RACE: 'UNKNOWN_RACE',
} as const;

/** One of {@link STANDINGS_ERROR_CODES}. */
export type StandingsErrorCode = keyof typeof STANDINGS_ERROR_CODES;

/** Options of {@link StandingsError}. */
export interface StandingsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of `@gw2race/standings`, with a typed {@link StandingsError.code}. */
export class StandingsError extends Error {
  /** What kind of problem this is. */
  readonly code: StandingsErrorCode;

  constructor(code: StandingsErrorCode, message: string, options: StandingsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StandingsError';
    this.code = code;
  }
}

/** True when `value` is a {@link StandingsError} (also across bundled copies of this package). */
export function isStandingsError(value: unknown): value is StandingsError {
  if (value instanceof StandingsError) return true;
  if (!(value instanceof Error) || value.name !== 'StandingsError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(STANDINGS_ERROR_CODES, code);
}
