/**
 * Every way the racer core refuses something. Each code is stable: tools may switch on it.
 */
export const RACER_CORE_ERROR_CODES = {
  /** Options of {@link createRacerCore} are out of range (a programming error: thrown). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
} as const;

/** One of {@link RACER_CORE_ERROR_CODES}. */
export type RacerCoreErrorCode = keyof typeof RACER_CORE_ERROR_CODES;

/** Options of {@link RacerCoreError}. */
export interface RacerCoreErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of `@gw2race/racer-core`. */
export class RacerCoreError extends Error {
  /** What kind of problem this is. */
  readonly code: RacerCoreErrorCode;

  constructor(code: RacerCoreErrorCode, message: string, options: RacerCoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RacerCoreError';
    this.code = code;
  }
}

/** True when `value` is a {@link RacerCoreError} (also across bundled copies of this package). */
export function isRacerCoreError(value: unknown): value is RacerCoreError {
  if (value instanceof RacerCoreError) return true;
  if (!(value instanceof Error) || value.name !== 'RacerCoreError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(RACER_CORE_ERROR_CODES, code);
}
