/** Every way track authoring refuses. Each code is stable: tools may switch on it. */
export const TRACK_AUTHORING_ERROR_CODES = {
  /** A recording without the start and at least one more checkpoint cannot be saved yet. */
  NOTHING_TO_SAVE: 'NOTHING_TO_SAVE',
  /** The recorded track does not pass the protocol's track schema; `cause` is the engine's error. */
  INVALID_TRACK: 'INVALID_TRACK',
} as const;

/** One of {@link TRACK_AUTHORING_ERROR_CODES}. */
export type TrackAuthoringErrorCode = keyof typeof TRACK_AUTHORING_ERROR_CODES;

/** The one error class of `@gw2race/track-authoring`, returned inside a failed `Result`. */
export class TrackAuthoringError extends Error {
  /** What kind of problem this is. */
  readonly code: TrackAuthoringErrorCode;

  constructor(code: TrackAuthoringErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrackAuthoringError';
    this.code = code;
  }
}

/** True when `value` is a {@link TrackAuthoringError} (also across bundled copies of this package). */
export function isTrackAuthoringError(value: unknown): value is TrackAuthoringError {
  if (value instanceof TrackAuthoringError) return true;
  if (!(value instanceof Error) || value.name !== 'TrackAuthoringError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(TRACK_AUTHORING_ERROR_CODES, code);
}
