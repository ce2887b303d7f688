import type { MessageKind } from '@gw2race/protocol';
import type { EngineInput } from '@gw2race/race-engine';
import type { ReplayEntry } from '@gw2race/replay-format';

/** Kinds the race engine judges; the host's own outputs (ranking, flags, pongs) are not inputs. */
const ENGINE_KINDS: ReadonlySet<MessageKind> = new Set([
  'state',
  'control',
  'presence',
  'pos',
  'checkpoint',
  'ping',
]);

/**
 * The engine input a recorded entry stands for, or `undefined` when the engine does not take it.
 * The live host and `gw2race-host results FILE` both go through this one function, so they feed
 * the engine exactly the same inputs in the same order. Organizer rulings travel as `RULING`
 * control commands, so they are recorded and re-applied like every other command.
 */
export function engineInputOf(entry: ReplayEntry): EngineInput | undefined {
  if (entry.kind === 'unknown') return undefined;
  return ENGINE_KINDS.has(entry.kind) ? entry : undefined;
}
