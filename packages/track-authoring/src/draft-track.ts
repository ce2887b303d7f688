import { err, type Result, type Track, type TrackCheckpoint } from '@gw2race/protocol';
import { parseTrack, type TrackWarning, validateTrack } from '@gw2race/race-engine';
import { decimatePath, type PathRow } from './decimate-path';
import { TrackAuthoringError } from './errors';
import { type DroppedPoint, pathRows, type RecorderState, round } from './recorder-state';

/** What a saved track carries besides the checkpoints. */
export interface TrackMeta {
  readonly id: string;
  readonly name: string;
  readonly author?: string | undefined;
  readonly createdAt?: string | undefined;
  readonly laps?: number | undefined;
}

/**
 * What `track show` would say about the course so far (a course still open is a draft: its last
 * checkpoint is not the finish yet). The ridden path is left out: it is not finished either.
 */
export function draftWarnings(state: RecorderState): TrackWarning[] {
  if (state.checkpoints.length < 2) return [];
  return validateTrack(draftTrack(state, { id: 'draft', name: 'draft' }, false), {
    draft: state.end === 'open',
  });
}

/** The ridden path as a reference line: seconds from the start, centimetres, thinned. */
function referenceLineOf(state: RecorderState): PathRow[] | undefined {
  const rows = pathRows(state);
  if (!state.recordPath || rows.length < 2) return undefined;
  const t0 = rows[0]?.[0] ?? 0;
  return decimatePath(
    rows.map(
      ([ms, x, y, z]) =>
        [round((ms - t0) / 1000, 3), round(x, 2), round(y, 2), round(z, 2)] as PathRow,
    ),
  );
}

/** The recording as a track object, not checked yet; `withPath: false` leaves the line out. */
export function draftTrack(state: RecorderState, meta: TrackMeta, withPath = true): Track {
  const start = state.checkpoints[0] as DroppedPoint;
  const circuit = state.end === 'loop' || state.circuit;
  const last = state.checkpoints.length - 1;
  const checkpoints: TrackCheckpoint[] = state.checkpoints.map((cp, id) => ({
    id,
    role: id === 0 ? 'start' : id === last && !circuit ? 'finish' : 'checkpoint',
    x: cp.x,
    y: cp.y,
    z: cp.z,
    r: cp.r,
    ...(cp.mapId !== start.mapId ? { mapId: cp.mapId } : {}),
  }));
  const line = withPath ? referenceLineOf(state) : undefined;
  return {
    format: 'gw2race-track',
    version: 1,
    id: meta.id,
    name: meta.name,
    mapId: start.mapId,
    ...(meta.author ? { author: meta.author } : {}),
    ...(meta.createdAt ? { createdAt: meta.createdAt } : {}),
    ...(circuit ? { circuit: true } : {}),
    ...(meta.laps !== undefined ? { laps: meta.laps } : {}),
    checkpoints,
    ...(state.resets.length > 0
      ? { resets: state.resets.map(({ x, y, z, r }) => ({ x, y, z, r })) }
      : {}),
    ...(line ? { referenceLine: line } : {}),
    source: { kind: 'gw2race-host track record' },
  };
}

/**
 * The recording as a gw2race track, validated by the protocol schema. A course still open is
 * saved with its last checkpoint as the finish (or as a circuit with `--circuit`).
 */
export function recordedTrack(
  state: RecorderState,
  meta: TrackMeta,
): Result<Track, TrackAuthoringError> {
  if (state.checkpoints.length < 2) {
    return err(
      new TrackAuthoringError(
        'NOTHING_TO_SAVE',
        'nothing to save yet: a track needs the start and at least one more checkpoint',
      ),
    );
  }
  const parsed = parseTrack(draftTrack(state, meta));
  if (parsed.ok) return parsed;
  return err(
    new TrackAuthoringError('INVALID_TRACK', parsed.error.message, { cause: parsed.error }),
  );
}
