import type { ControlMessage } from '@gw2race/protocol';

/** A line for the racer's screen. */
export interface Note {
  /** What to show. */
  readonly text: string;
  /** How to show it. */
  readonly level: 'info' | 'warning' | 'important';
}

const RULINGS = { dsq: 'disqualified', dnf: 'retired (DNF)', reinstate: 'reinstated' } as const;

/**
 * What an organizer command tells this racer, or `undefined` when it says nothing to them
 * (`SYNC_T0`, `END`, whose reason the end of the race shows, a message to someone else).
 */
export function controlNote(control: ControlMessage, playerId: string): Note | undefined {
  switch (control.cmd) {
    case 'START':
      return { text: 'START: the race begins when the countdown reaches zero', level: 'important' };
    case 'PAUSE':
      return { text: `PAUSE${control.reason ? `: ${control.reason}` : ''}`, level: 'warning' };
    case 'RESUME':
      return { text: 'RESUME', level: 'important' };
    case 'ABORT':
      return { text: `ABORT: ${control.reason}`, level: 'warning' };
    case 'MSG':
      return control.to === undefined || control.to === playerId
        ? { text: control.text, level: control.level ?? 'info' }
        : undefined;
    case 'RULING': {
      const mine = control.playerId === playerId;
      const reason = control.reason ? ` (${control.reason})` : '';
      return {
        text: `Ruling: ${mine ? 'you were' : `${control.playerId} was`} ${RULINGS[control.action]}${reason}`,
        level: mine ? 'important' : 'info',
      };
    }
    default:
      return undefined;
  }
}
