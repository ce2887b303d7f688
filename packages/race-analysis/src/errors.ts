/**
 * Every way race analysis refuses its input. Each code is stable: tools may switch on it.
 */
export const RACE_ANALYSIS_ERROR_CODES = {
  /**
   * A recording names no track: neither its header nor any race state it holds (recorded
   * `state` messages, the header's state) describes checkpoints, so it cannot be re-judged.
   */
  NO_TRACK: 'NO_TRACK',
} as const;

/** One of {@link RACE_ANALYSIS_ERROR_CODES}. */
export type RaceAnalysisErrorCode = keyof typeof RACE_ANALYSIS_ERROR_CODES;

/** Options of {@link RaceAnalysisError}. */
export interface RaceAnalysisErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The one error class of `@gw2race/race-analysis`, with a typed {@link RaceAnalysisError.code}. */
export class RaceAnalysisError extends Error {
  /** What kind of problem this is. */
  readonly code: RaceAnalysisErrorCode;

  constructor(
    code: RaceAnalysisErrorCode,
    message: string,
    options: RaceAnalysisErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RaceAnalysisError';
    this.code = code;
  }
}

/** True when `value` is a {@link RaceAnalysisError} (also across bundled copies of this package). */
export function isRaceAnalysisError(value: unknown): value is RaceAnalysisError {
  if (value instanceof RaceAnalysisError) return true;
  if (!(value instanceof Error) || value.name !== 'RaceAnalysisError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(RACE_ANALYSIS_ERROR_CODES, code);
}
