import type { PresenceStatus } from '@gw2race/protocol';

/** Whether the client sees the game, as its screen and presence say it. */
export type GameStatus = 'live' | 'stale' | 'absent' | 'simulated' | 'spectating';

/** What {@link presenceStatus} looks at. */
export interface PresenceFacts {
  /** Racing, or only watching. */
  readonly mode: 'racer' | 'spectator';
  /** The race is over for this client (final ranking, END, ABORT, stage `post`). */
  readonly ended: boolean;
  /** The race has started for this racer (a start is known and the racer has left the line). */
  readonly racing: boolean;
  /** The game telemetry. */
  readonly game: GameStatus;
  /** The client has an offset estimate of the organizer's clock. */
  readonly synced: boolean;
}

/**
 * The status a client announces in its presence: a spectator spectates; a racer is finished
 * once the race ended, racing once started, ready when it sees the game (or its bot) and knows
 * the organizer's clock, waiting while it only sees the game, and not ready without it.
 */
export function presenceStatus(facts: PresenceFacts): PresenceStatus {
  if (facts.mode === 'spectator') return 'spectating';
  if (facts.ended) return 'finished';
  if (facts.racing) return 'racing';
  if (facts.game === 'live' || facts.game === 'simulated')
    return facts.synced ? 'ready' : 'waiting';
  return 'not-ready';
}
