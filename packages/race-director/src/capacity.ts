import type { MessageKind, ReceivedMessage } from '@gw2race/protocol';
import { getClient } from './client-table';
import { maxPlayersOf } from './director-state';
import { log, type Work } from './work';

/** The kinds that make a player known to the race (the client table, the engine). */
const PLAYER_KINDS: ReadonlySet<MessageKind> = new Set(['presence', 'pos', 'checkpoint', 'ping']);

/** The player a message speaks for: its topic's, else its body's. */
function playerOf(received: ReceivedMessage): string | undefined {
  if (received.playerId !== undefined) return received.playerId;
  const { playerId } = received.message as { playerId?: unknown };
  return typeof playerId === 'string' ? playerId : undefined;
}

/**
 * @internal Whether `received` comes from a player new to a race that has its `maxPlayers`
 * already: then it is refused, neither recorded nor judged (a re-judgement sees the same race),
 * counted, and said on the log at the first and every hundredth refusal. Known players are never
 * refused.
 */
export function overCapacity(w: Work, received: ReceivedMessage): boolean {
  if (!PLAYER_KINDS.has(received.kind)) return false;
  const playerId = playerOf(received);
  if (playerId === undefined) return false;
  if (w.s.engine.index.has(playerId) || getClient(w.s.clients, playerId) !== undefined)
    return false;
  const max = maxPlayersOf(w.s.config);
  if (Math.max(w.s.engine.index.size, w.s.clients.index.size) < max) return false;
  w.s.fullRefusals += 1;
  if (w.s.fullRefusals === 1 || w.s.fullRefusals % 100 === 0)
    log(
      w,
      `the race is full (${max} players): refused ${playerId}'s ${received.kind} (${w.s.fullRefusals} refused so far)`,
    );
  return true;
}
