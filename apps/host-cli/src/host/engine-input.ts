import type { MessageKind } from '@gw2race/protocol';
import type { EngineInput, RulingInput } from '@gw2race/race-engine';
import type { ReplayEntry } from '@gw2race/replay-format';

/** Recorded kind of an organizer's ruling (DSQ, DNF, reinstate): not a wire message. */
export const RULING_KIND = 'ruling';

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
 * the engine exactly the same inputs in the same order.
 */
export function engineInputOf(entry: ReplayEntry): EngineInput | undefined {
  if (entry.kind === 'unknown') {
    if (entry.recordedKind !== RULING_KIND) return undefined;
    const ruling = entry.message as Partial<RulingInput> | null;
    if (
      !ruling ||
      typeof ruling.playerId !== 'string' ||
      (ruling.action !== 'dsq' && ruling.action !== 'dnf' && ruling.action !== 'reinstate')
    ) {
      return undefined;
    }
    return {
      kind: 'ruling',
      at: entry.at,
      playerId: ruling.playerId,
      action: ruling.action,
      ...(typeof ruling.reason === 'string' ? { reason: ruling.reason } : {}),
    };
  }
  return ENGINE_KINDS.has(entry.kind) ? entry : undefined;
}

/** The recorded entry of a ruling. */
export function rulingEntry(ruling: Omit<RulingInput, 'kind'>): ReplayEntry {
  return {
    kind: 'unknown',
    recordedKind: RULING_KIND,
    at: ruling.at,
    playerId: ruling.playerId,
    message: {
      playerId: ruling.playerId,
      action: ruling.action,
      ...(ruling.reason ? { reason: ruling.reason } : {}),
    },
  };
}
