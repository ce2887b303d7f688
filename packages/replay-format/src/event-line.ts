import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';

/**
 * The event line of a message, exactly as received (without the newline). Throws
 * {@link ReplayError} `INVALID_ARGUMENT` for a message JSON cannot hold.
 */
export function eventLine(entry: ReplayEntry): string {
  const kind = entry.kind === 'unknown' ? entry.recordedKind : entry.kind;
  const line: Record<string, unknown> = { type: 'event', at: entry.at, kind };
  if (entry.playerId !== undefined) line.playerId = entry.playerId;
  line.message = entry.message;
  try {
    return JSON.stringify(line);
  } catch (cause) {
    throw new ReplayError('INVALID_ARGUMENT', `a ${kind} message cannot be written as JSON`, {
      cause,
    });
  }
}
