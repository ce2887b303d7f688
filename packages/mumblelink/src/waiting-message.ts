import type { ReaderStatus } from './reader-types';

/** The sentence for the `waiting` status. */
export function waitingMessage(description: string): string {
  return `waiting for Guild Wars 2 (no MumbleLink data yet) — watching ${description}`;
}

/** The sentence of a {@link StatusChange} to `status`, naming what is watched. */
export function statusMessage(status: ReaderStatus, description: string): string {
  switch (status) {
    case 'waiting':
      return waitingMessage(description);
    case 'live':
      return `receiving MumbleLink data from ${description}`;
    case 'stale':
      return `MumbleLink data stopped changing (loading screen, or the game was closed) — watching ${description}`;
    case 'starting':
      return `reading ${description}`;
    case 'stopped':
      return `stopped reading ${description}`;
  }
}
