/**
 * Every way the race engine refuses an input. Each code is stable: tools may switch on it.
 */
export const RACE_ENGINE_ERROR_CODES = {
  /** The CSV text has no rows at all (or only blank lines). */
  CSV_EMPTY: 'CSV_EMPTY',
  /** The first line is not a Beetlerank header (`STEP,STEPNAME,X,Y,Z[,RADIUS[,ANGLE]]`). */
  CSV_HEADER: 'CSV_HEADER',
  /** A row has the wrong number of fields or a field that is not a valid number; `line` says which. */
  CSV_ROW: 'CSV_ROW',
  /** Steps are out of order, missing, or `start`/`end` are in the wrong place; `line` says where. */
  CSV_STEP: 'CSV_STEP',
  /** The track does not satisfy the protocol's track schema, or cannot be raced (e.g. no finish). */
  INVALID_TRACK: 'INVALID_TRACK',
  /** Engine or detector options are out of range (a programming error: thrown, not returned). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
} as const;

/** One of {@link RACE_ENGINE_ERROR_CODES}. */
export type RaceEngineErrorCode = keyof typeof RACE_ENGINE_ERROR_CODES;

/** Options of {@link RaceEngineError}. */
export interface RaceEngineErrorOptions {
  /** 1-based line of the input the error is about (CSV import). */
  line?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@gw2race/race-engine`. Importers return it inside a failed `Result`;
 * factories given invalid options by the program throw it.
 */
export class RaceEngineError extends Error {
  /** What kind of problem this is. */
  readonly code: RaceEngineErrorCode;
  /** 1-based line of the input the problem is on, when the input has lines. */
  readonly line: number | undefined;

  constructor(code: RaceEngineErrorCode, message: string, options: RaceEngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RaceEngineError';
    this.code = code;
    this.line = options.line;
  }
}

/** True when `value` is a {@link RaceEngineError} (also across bundled copies of this package). */
export function isRaceEngineError(value: unknown): value is RaceEngineError {
  if (value instanceof RaceEngineError) return true;
  if (!(value instanceof Error) || value.name !== 'RaceEngineError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(RACE_ENGINE_ERROR_CODES, code);
}
