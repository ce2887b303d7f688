/**
 * Why {@link HubClientError} was thrown. Each message names the hub (its URL without the
 * password); a program that talks to people adds its own advice per code.
 */
export const HUB_CLIENT_ERROR_CODES = {
  /** The hub address is not a URL at all. */
  INVALID_URL: 'INVALID_URL',
  /** The hub URL's scheme is not one of mqtt://, mqtts://, ws://, wss://. */
  UNSUPPORTED_SCHEME: 'UNSUPPORTED_SCHEME',
  /** The CA file given as `caFile` could not be read. */
  CA_FILE_UNREADABLE: 'CA_FILE_UNREADABLE',
  /** Nothing listens at the hub's host and port (ECONNREFUSED). */
  CONNECTION_REFUSED: 'CONNECTION_REFUSED',
  /** The hub's host name does not resolve. */
  UNKNOWN_HOST: 'UNKNOWN_HOST',
  /** The hub did not answer CONNECT within `timeoutMs`. */
  TIMEOUT: 'TIMEOUT',
  /** The TLS handshake failed (certificate not trusted, wrong protocol). */
  TLS_FAILED: 'TLS_FAILED',
  /** The hub refused the credentials given (bad user name or password). */
  BAD_CREDENTIALS: 'BAD_CREDENTIALS',
  /** The hub wants credentials this client does not have (not authorized). */
  NOT_AUTHORIZED: 'NOT_AUTHORIZED',
  /**
   * The hub refused this client's identity (CONNACK: identifier rejected): gw2race hubs do this
   * when the player is already connected.
   */
  CLIENT_ID_REJECTED: 'CLIENT_ID_REJECTED',
  /** Any other failure of the first connection. */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
} as const;

/** One of {@link HUB_CLIENT_ERROR_CODES}. */
export type HubClientErrorCode = keyof typeof HUB_CLIENT_ERROR_CODES;

/** An error of `@gw2race/hub-client`, with a typed `code` and the underlying `cause`. */
export class HubClientError extends Error {
  /** What went wrong, one of {@link HUB_CLIENT_ERROR_CODES}. */
  readonly code: HubClientErrorCode;

  constructor(code: HubClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubClientError';
    this.code = code;
  }
}

/** True when `value` is a {@link HubClientError}. */
export function isHubClientError(value: unknown): value is HubClientError {
  return value instanceof HubClientError;
}
