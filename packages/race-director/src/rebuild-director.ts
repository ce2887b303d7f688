import type { ReceivedMessage } from '@gw2race/protocol';
import { direct } from './direct';
import type { DirectorConfig } from './director-config';
import { createDirector, type DirectorState } from './director-state';

/**
 * The director a host had when it stopped, rebuilt from its recording: a fresh director fed
 * every recorded line in order (through the same `direct` the live race ran, with nothing
 * published or recorded again). Feed it `{ type: 'reopen', at: now }` to go on live. The
 * config must be the race's own, its `recording` the recording's header.
 *
 * @example
 * const entries = [];
 * for await (const entry of readReplay(resumed.recovered.bytes)) entries.push(entry);
 * let director = rebuildDirector({ ...config, recording: resumed.recovered.header }, entries);
 * [director, effects] = direct(director, { type: 'reopen', at: now() });
 */
export function rebuildDirector(
  config: DirectorConfig,
  entries: Iterable<ReceivedMessage | { readonly kind: string }>,
): DirectorState {
  let state = createDirector(config);
  for (const entry of entries) {
    if (isReceived(entry)) [state] = direct(state, { type: 'recorded', entry });
  }
  return state;
}

/** Lines of kinds this version does not know (a newer writer's) are not inputs. */
function isReceived(entry: ReceivedMessage | { readonly kind: string }): entry is ReceivedMessage {
  return entry.kind !== 'unknown' && 'at' in entry;
}
