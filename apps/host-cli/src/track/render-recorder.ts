import { formatTable } from '@gw2race/app-shared';
import type { ReaderStatus } from '@gw2race/mumblelink';
import type { TrackWarning } from '@gw2race/race-engine';
import {
  distanceTo,
  dropName,
  type Here,
  type Notice,
  nextDrop,
  type RecorderState,
} from '@gw2race/track-authoring';

/** What the recorder's screen shows. */
export interface RecorderView {
  readonly state: RecorderState;
  readonly here: Here;
  readonly status: ReaderStatus;
  /** m/s, from the reader. */
  readonly speed: number | undefined;
  /** The MumbleLink source. */
  readonly where: string;
  readonly out: string;
  readonly csv: string | undefined;
  readonly warnings: readonly TrackWarning[];
  readonly unsaved: boolean;
  readonly savedAt: Date | undefined;
  readonly notice: Notice | undefined;
  readonly sourceNote: string | undefined;
  readonly pathSamples: number;
}

const KEYS_LINE =
  'keys: space/c checkpoint · f finish · l close loop · r reset point · u undo · +/- 1-9 0 radius · w save · q quit · ? help';

/** The status lines: MumbleLink, position and speed, the next drop, the path. */
function statusLines(view: RecorderView): string[] {
  const { state, here } = view;
  const lines: string[] = [];
  const game =
    view.status === 'live'
      ? 'live'
      : view.status === 'stale'
        ? 'not updating (loading screen, or the game closed)'
        : view.status === 'waiting'
          ? 'waiting for Guild Wars 2'
          : view.status;
  lines.push(`MumbleLink  ${game} · ${view.where}`);
  if (here.known) {
    const speed = view.speed ?? 0;
    lines.push(
      `position    map ${here.mapId} · x ${here.x.toFixed(1)} y ${here.y.toFixed(1)} z ${here.z.toFixed(1)} · ${speed.toFixed(1)} m/s (${(speed * 3.6).toFixed(0)} km/h)`,
    );
  } else {
    lines.push(`position    unknown: ${here.why}`);
  }
  const last = state.checkpoints[state.checkpoints.length - 1];
  const from = last ? distanceTo(last, here) : undefined;
  lines.push(
    `next        ${nextDrop(state)}${state.end === 'open' ? `, radius ${state.radius} m` : ''}${
      last
        ? from === undefined
          ? ` · ${dropName(state, state.checkpoints.length - 1)} is on map ${last.mapId}`
          : ` · ${from.toFixed(1)} m from ${dropName(state, state.checkpoints.length - 1)}`
        : ''
    }`,
  );
  if (state.recordPath) {
    lines.push(
      `path        ${view.pathSamples} sample${view.pathSamples === 1 ? '' : 's'}${
        state.checkpoints.length === 0
          ? ' (recording starts at the start)'
          : state.end === 'open'
            ? ' (recording)'
            : ' (course closed)'
      }`,
    );
  }
  return lines;
}

/** The drops so far as a table (checkpoints, reset points, the closed loop). */
function dropsTable(state: RecorderState): string {
  if (state.checkpoints.length === 0 && state.resets.length === 0)
    return 'nothing dropped yet: ride to the start and press space';
  const rows = state.checkpoints.map((cp, index) => {
    const previous = state.checkpoints[index - 1];
    const leg =
      previous && previous.mapId === cp.mapId
        ? `${Math.hypot(cp.x - previous.x, cp.y - previous.y, cp.z - previous.z).toFixed(1)} m`
        : previous
          ? 'other map'
          : '';
    return [
      index,
      dropName(state, index),
      cp.x.toFixed(1),
      cp.y.toFixed(1),
      cp.z.toFixed(1),
      `${cp.r} m`,
      leg,
      String(cp.mapId),
    ];
  });
  state.resets.forEach((reset, n) => {
    rows.push([
      '',
      `reset ${n + 1}`,
      reset.x.toFixed(1),
      reset.y.toFixed(1),
      reset.z.toFixed(1),
      `${reset.r} m`,
      '',
      String(reset.mapId),
    ]);
  });
  if (state.end === 'loop') rows.push(['', 'loop → start', '', '', '', '', '', '']);
  return formatTable(['#', 'drop', 'x', 'y', 'z', 'r', 'leg', 'map'], rows);
}

/** The recorder's screen: MumbleLink, position, speed, distance, the drops so far, warnings, keys. */
export function renderRecorder(view: RecorderView): string {
  const lines: string[] = [];
  lines.push(`gw2race track recorder → ${view.out}${view.csv ? ` + ${view.csv}` : ''}`);
  if (view.sourceNote) lines.push(view.sourceNote);
  lines.push(...statusLines(view), '', dropsTable(view.state));
  if (view.warnings.length > 0) {
    lines.push('');
    for (const warning of view.warnings) lines.push(`! ${warning.message}`);
  }
  lines.push('');
  lines.push(
    view.unsaved
      ? 'unsaved changes (w saves)'
      : view.savedAt
        ? `saved at ${view.savedAt.toLocaleTimeString()}`
        : 'not saved yet',
  );
  if (view.notice)
    lines.push(
      `${view.notice.level === 'info' ? '' : `${view.notice.level}: `}${view.notice.text}`,
    );
  lines.push(KEYS_LINE);
  return lines.join('\n');
}
