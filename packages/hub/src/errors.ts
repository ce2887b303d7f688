/**
 * Every way the hub refuses to start. Each code is stable: tools may switch on it.
 */
export const HUB_ERROR_CODES = {
  /** The TCP port is taken by another program (`EADDRINUSE`) or not allowed (`EACCES`). */
  PORT_IN_USE: 'PORT_IN_USE',
  /** The listen address is not one of this machine's, or does not resolve. */
  BAD_ADDRESS: 'BAD_ADDRESS',
  /** Options out of range (a programming error: thrown by {@link startHub}). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
} as const;

/** One of {@link HUB_ERROR_CODES}. */
export type HubErrorCode = keyof typeof HUB_ERROR_CODES;

/** The one error class of `@gw2race/hub`. */
export class HubError extends Error {
  /** What kind of problem this is. */
  readonly code: HubErrorCode;

  constructor(code: HubErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
  }
}

/** True when `value` is a {@link HubError} (also across bundled copies of this package). */
export function isHubError(value: unknown): value is HubError {
  if (value instanceof HubError) return true;
  if (!(value instanceof Error) || value.name !== 'HubError') return false;
  const code: unknown = (value as unknown as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(HUB_ERROR_CODES, code);
}
