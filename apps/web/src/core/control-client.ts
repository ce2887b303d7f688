import { type ControlRequest, HTTP_API_PATHS, parseApiError } from '@gw2race/protocol';
import type { Fetch } from './host-info';

/** An organizer command, as `POST /api/control` takes it (protocol's `controlRequestSchema`). */
export type ControlCommand = ControlRequest;

/** What came of a command: done, or refused (with the HTTP status and the host's reason). */
export type ControlOutcome = { ok: true } | { ok: false; status: number; error: string };

/**
 * Sends an organizer command to the host with the token. Never throws: a refusal (401 without or
 * with a wrong token, 400 bad command, 409 not possible now) or a network failure comes back as
 * `{ ok: false }` with a sentence for the organizer.
 */
export async function sendControl(
  command: ControlCommand,
  token: string | undefined,
  fetcher: Fetch = (input, init) => fetch(input, init),
): Promise<ControlOutcome> {
  let response: Response;
  try {
    response = await fetcher(HTTP_API_PATHS.control, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(command),
    });
  } catch (error) {
    return { ok: false, status: 0, error: `the host did not answer (${(error as Error).message})` };
  }
  if (response.ok) return { ok: true };
  let reason = `HTTP ${response.status}`;
  try {
    reason = parseApiError(await response.json()) ?? reason;
  } catch {
    // not JSON: keep the status
  }
  const prefix =
    response.status === 401
      ? 'refused: '
      : response.status === 409
        ? 'not possible now: '
        : response.status === 400
          ? 'bad command: '
          : '';
  return { ok: false, status: response.status, error: `${prefix}${reason}` };
}

/** Words for a command, for the confirmation line. */
export function describeCommand(command: ControlCommand): string {
  switch (command.action) {
    case 'start':
      return `start in ${command.delay ?? 'the default'} s`;
    case 'message':
      return `message${command.to ? ` to ${command.to}` : ''}: “${command.text}”`;
    case 'ruling':
      return `${command.ruling.toUpperCase()} for ${command.playerId}`;
    default:
      return command.action;
  }
}
