import type { MessageKind, ReceivedMessage } from '@gw2race/protocol';
import type { EngineInput } from './race-state';

/** Kinds of messages the engine judges. The host's own outputs (ranking, flags, pongs) and chat are not inputs. */
export const JUDGED_KINDS: ReadonlySet<MessageKind> = new Set([
  'state',
  'control',
  'presence',
  'pos',
  'checkpoint',
  'ping',
]);

/**
 * The engine input a received or recorded message stands for, or `undefined` when the engine
 * does not judge it (rankings, flags, pongs, chat, kinds from a newer writer). A live host and
 * anything that re-judges its recording (the host's `results` command, the viewer) filter with
 * this one rule, so they feed the engine the same inputs.
 *
 * @example
 * const inputs = entries.map(engineInputOf).filter((input) => input !== undefined);
 * const results = adjudicate(track, inputs, { raceId });
 */
export function engineInputOf(
  entry: ReceivedMessage | { readonly kind: string },
): EngineInput | undefined {
  return JUDGED_KINDS.has(entry.kind as MessageKind) ? (entry as ReceivedMessage) : undefined;
}
