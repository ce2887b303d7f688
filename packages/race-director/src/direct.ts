import { checkCommand, runCommand } from './commands';
import { DIRECTOR_DEFAULTS } from './director-config';
import type { DirectorEffect } from './director-effect';
import type { DirectorInput } from './director-input';
import type { DirectorState } from './director-state';
import { onMessage } from './on-message';
import { onRefused } from './on-refused';
import { onRecorded, onReopen } from './rebuild';
import { onTick } from './tick';
import { publishControl, publishState, type Work } from './work';

/**
 * The race director's transition: takes the state and one input, returns the next state and the
 * effects to carry out (publish, record, flush, log, schedule, follow, reply, ended, amended).
 * Executes nothing and reads no clock but the input's, so feeding the same inputs to a fresh
 * director gives the same states and effects.
 *
 * @example
 * let [state, effects] = direct(createDirector(config), { type: 'open', at: now() });
 * run(effects);
 * [state, effects] = direct(state, { type: 'message', received: { kind, at: now(), message } });
 */
export function direct(
  state: DirectorState,
  input: DirectorInput,
): readonly [DirectorState, readonly DirectorEffect[]] {
  const at =
    input.type === 'message'
      ? input.received.at
      : input.type === 'recorded'
        ? input.entry.at
        : input.at;
  const w: Work = { s: { ...state }, at, effects: [], replaying: input.type === 'recorded' };
  switch (input.type) {
    case 'open':
      publishState(w);
      publishControl(w, { cmd: 'SYNC_T0', serverClock: at });
      w.effects.push({ type: 'schedule', at: at + DIRECTOR_DEFAULTS.tickInterval });
      break;
    case 'message':
      onMessage(w, input.received);
      break;
    case 'tick':
      onTick(w);
      break;
    case 'recorded':
      onRecorded(w, input.entry);
      break;
    case 'reopen':
      onReopen(w);
      break;
    case 'refused':
      onRefused(w, input);
      break;
    case 'command': {
      const result = checkCommand(state, input.command);
      if (result.ok) runCommand(w, input.command);
      w.effects.push({ type: 'reply', result });
      break;
    }
  }
  return [w.s, w.replaying ? [] : w.effects];
}
