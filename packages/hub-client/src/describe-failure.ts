import { HubClientError } from './errors';

/**
 * The {@link HubClientError} for a failed connection attempt: `error` as mqtt.js or the socket
 * reported it, `shown` the redacted hub URL, `playerId` the player named when the hub refuses a
 * second connection for it, `sentCredentials` whether the client gave a password (a
 * hub that answers "not authorized" to those refused them; to none, it wants some).
 */
export function describeFailure(
  error: unknown,
  shown: string,
  playerId?: string,
  sentCredentials = false,
): HubClientError {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const cause = { cause: error };
  if (code === 2 || /Identifier rejected/i.test(message)) {
    // gw2race hubs refuse a second connection for a player who is already connected.
    return new HubClientError(
      'CLIENT_ID_REJECTED',
      playerId !== undefined
        ? `player id "${playerId}" is already in this race on ${shown} (the hub refused a second connection for it)`
        : `the hub at ${shown} refused this client's identity (identifier rejected): is this player already connected?`,
      cause,
    );
  }
  if (code === 'ECONNREFUSED')
    return new HubClientError(
      'CONNECTION_REFUSED',
      `could not reach the hub at ${shown}: connection refused`,
      cause,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new HubClientError(
      'UNKNOWN_HOST',
      `could not reach the hub at ${shown}: unknown host`,
      cause,
    );
  if (
    code === 4 ||
    code === 5 ||
    code === 134 ||
    code === 135 ||
    /Not authorized|Bad username/i.test(message)
  ) {
    const missing =
      !sentCredentials && (code === 5 || code === 135 || /Not authorized/i.test(message));
    return missing
      ? new HubClientError(
          'NOT_AUTHORIZED',
          `the hub at ${shown} did not let us in (not authorized): a closed race needs your player id and its credential`,
          cause,
        )
      : new HubClientError(
          'BAD_CREDENTIALS',
          `the hub at ${shown} refused our credentials (${message})`,
          cause,
        );
  }
  if (
    /certificate|self[- ]signed|SSL|TLS/i.test(message) ||
    (typeof code === 'string' && code.startsWith('ERR_TLS'))
  )
    return new HubClientError(
      'TLS_FAILED',
      `TLS with the hub at ${shown} failed: ${message}`,
      cause,
    );
  return new HubClientError(
    'CONNECTION_FAILED',
    `could not connect to the hub at ${shown}: ${message}`,
    cause,
  );
}
