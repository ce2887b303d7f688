import type { Track } from '@gw2race/protocol';
import { validateTrack } from '@gw2race/race-engine';
import type { Notice, RecorderState } from './recorder-state';

/** Where a recording was saved, as the notice names it. */
export interface SavedFiles {
  /** The track JSON. */
  readonly out: string;
  /** The Beetlerank CSV written beside it, if any. */
  readonly csv?: string | undefined;
}

/**
 * What to tell the organizer after saving `track` (from `state`): how many checkpoints and
 * line points went where, that an open course ends on its last checkpoint for now, and how many
 * warnings `track show` would give (a warning notice when there are some).
 */
export function savedNotice(track: Track, state: RecorderState, files: SavedFiles): Notice {
  const found = validateTrack(track);
  const open =
    state.end === 'open' && !track.circuit
      ? ' (the course is open: its last checkpoint is the finish for now)'
      : '';
  return {
    level: found.length > 0 ? 'warning' : 'info',
    text: `saved ${track.checkpoints.length} checkpoints${
      track.referenceLine ? ` and a ${track.referenceLine.length}-point reference line` : ''
    } to ${files.out}${files.csv ? ` and ${files.csv}` : ''}${open}${
      found.length > 0
        ? `; ${found.length} warning${found.length === 1 ? '' : 's'} (see the screen or track show)`
        : ''
    }`,
  };
}
