import { err, type Result, type Track, type TrackCheckpoint } from '@gw2race/protocol';
import { parseTrack, type TrackWarning, validateTrack } from '@gw2race/race-engine';
import { decimatePath, type PathRow } from './decimate-path';

/** Where the organizer is, as the recorder needs it; or why that is not known. */
export type Here =
  | {
      readonly known: true;
      readonly x: number;
      readonly y: number;
      readonly z: number;
      readonly mapId: number;
      /** Monotonic time of the sample, ms. */
      readonly at: number;
    }
  | { readonly known: false; readonly why: string };

/** A checkpoint as dropped. */
export interface DroppedPoint {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
  readonly mapId: number;
}

/** What the recorder does on a key. */
export type RecorderAction =
  | { readonly type: 'checkpoint' }
  | { readonly type: 'finish' }
  | { readonly type: 'loop' }
  | { readonly type: 'reset' }
  | { readonly type: 'undo' }
  | { readonly type: 'radius'; readonly delta: number }
  | { readonly type: 'radius-set'; readonly value: number | 'default' };

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** Radius of checkpoints until changed, metres (`--radius`, default 15). */
  readonly radius?: number;
  /** Allow checkpoints on other maps than the start's (`--multi-map`). */
  readonly multiMap?: boolean;
  /** The course is a circuit (`--circuit`): the finish key closes the loop. */
  readonly circuit?: boolean;
  /** Record the ridden path as the track's reference line (`--path`). */
  readonly path?: boolean;
}

/** Smallest and largest radius the keys can set, metres. */
export const RADIUS_LIMITS = { min: 1, max: 200 } as const;

/** The recording so far. Never mutated: every step returns a new state. */
export interface RecorderState {
  readonly defaultRadius: number;
  readonly multiMap: boolean;
  readonly circuit: boolean;
  readonly recordPath: boolean;
  /** Radius of the next checkpoints, metres. */
  readonly radius: number;
  readonly checkpoints: readonly DroppedPoint[];
  readonly resets: readonly DroppedPoint[];
  /** `finish`: the last checkpoint is the finish; `loop`: the start ends every lap. */
  readonly end: 'open' | 'finish' | 'loop';
  /** What undo takes back, last first. */
  readonly history: readonly ('checkpoint' | 'reset' | 'end')[];
  /**
   * The ridden path since the start: `[monotonic ms, x, y, z]` rows, the first `pathLength` of
   * `path` (see {@link pathRows}). The array is shared between states and appended to in place
   * when this state is its latest user, so recording a long ride costs no copies.
   */
  readonly path: readonly PathRow[];
  readonly pathLength: number;
  /** Counts changes to what would be saved (radius changes are not). */
  readonly revision: number;
}

/** A line for the organizer about what a step did. */
export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** Creates an empty recording. */
export function createRecorder(options: RecorderOptions = {}): RecorderState {
  const radius = options.radius ?? 15;
  return {
    defaultRadius: radius,
    multiMap: options.multiMap === true,
    circuit: options.circuit === true,
    recordPath: options.path === true,
    radius,
    checkpoints: [],
    resets: [],
    end: 'open',
    history: [],
    path: [],
    pathLength: 0,
    revision: 0,
  };
}

/** The ridden path of this state. */
export function pathRows(state: RecorderState): readonly PathRow[] {
  return state.path.length === state.pathLength
    ? state.path
    : state.path.slice(0, state.pathLength);
}

/** The state's path with `row` appended: in place when no later state shares the array. */
function appendPath(
  state: RecorderState,
  row: PathRow,
): Pick<RecorderState, 'path' | 'pathLength'> {
  const path =
    state.path.length === state.pathLength
      ? (state.path as PathRow[])
      : state.path.slice(0, state.pathLength);
  path.push(row);
  return { path, pathLength: state.pathLength + 1 };
}

/** What the next drop will be: `start`, `checkpoint 3`… */
export function nextDrop(state: RecorderState): string {
  if (state.end !== 'open') return 'nothing (the course is closed)';
  return state.checkpoints.length === 0 ? 'the start' : `checkpoint ${state.checkpoints.length}`;
}

/** Name of the dropped checkpoint at `index`, as lists and notices show it. */
export function dropName(state: RecorderState, index: number): string {
  if (index === 0) return 'the start';
  if (index === state.checkpoints.length - 1 && state.end === 'finish') return 'the finish';
  return `checkpoint ${index}`;
}

/** Metres between a dropped point and where the organizer is (undefined on another map). */
export function distanceTo(point: DroppedPoint, here: Here): number | undefined {
  if (!here.known || here.mapId !== point.mapId) return undefined;
  return Math.hypot(here.x - point.x, here.y - point.y, here.z - point.z);
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

const at = (p: { x: number; y: number; z: number }) =>
  `(${p.x.toFixed(1)}, ${p.y.toFixed(1)}, ${p.z.toFixed(1)})`;

/**
 * One step of the recorder: drops, undoes, or changes the radius, given where the organizer is.
 * Refusals (no position, another map, a closed course) leave the state as it was and say why.
 */
export function recorderStep(
  state: RecorderState,
  action: RecorderAction,
  here: Here,
): { state: RecorderState; notice: Notice } {
  switch (action.type) {
    case 'radius':
    case 'radius-set': {
      const wanted =
        action.type === 'radius'
          ? state.radius + action.delta
          : action.value === 'default'
            ? state.defaultRadius
            : action.value;
      const radius = Math.min(RADIUS_LIMITS.max, Math.max(RADIUS_LIMITS.min, wanted));
      return {
        state: { ...state, radius },
        notice: { level: 'info', text: `radius of the next checkpoints: ${radius} m` },
      };
    }
    case 'undo':
      return undo(state);
    case 'loop':
      return closeLoop(state, here);
    case 'finish':
      if (state.circuit) return closeLoop(state, here);
      return drop(state, here, 'finish');
    case 'checkpoint':
      return drop(state, here, 'checkpoint');
    case 'reset':
      return dropReset(state, here);
  }
}

function refuse(state: RecorderState, text: string) {
  return { state, notice: { level: 'error', text } as Notice };
}

/** Why a position cannot be used, or undefined when it can. */
function unusable(here: Here, what: string): string | undefined {
  if (!here.known) return `cannot drop ${what}: ${here.why}`;
  if (here.mapId === 0)
    return `cannot drop ${what}: MumbleLink reports no map yet (character select or a loading screen)`;
  return undefined;
}

function drop(
  state: RecorderState,
  here: Here,
  kind: 'checkpoint' | 'finish',
): { state: RecorderState; notice: Notice } {
  const what = kind === 'finish' ? 'the finish' : nextDrop(state);
  if (state.end !== 'open') {
    return refuse(
      state,
      `the course is closed (${state.end === 'loop' ? 'the loop is closed' : 'the finish is dropped'}): press u to undo that first`,
    );
  }
  if (kind === 'finish' && state.checkpoints.length === 0)
    return refuse(state, 'drop the start first (space or c), then the finish');
  const problem = unusable(here, what);
  if (problem || !here.known) return refuse(state, problem ?? '');
  const start = state.checkpoints[0];
  if (start && here.mapId !== start.mapId && !state.multiMap) {
    return refuse(
      state,
      `refused: you are on map ${here.mapId} but the start is on map ${start.mapId}. A track stays on one map; run the recorder with --multi-map to allow checkpoints on other maps`,
    );
  }
  const point: DroppedPoint = {
    x: round(here.x, 3),
    y: round(here.y, 3),
    z: round(here.z, 3),
    r: state.radius,
    mapId: here.mapId,
  };
  const previous = state.checkpoints[state.checkpoints.length - 1];
  const checkpoints = [...state.checkpoints, point];
  const isStart = checkpoints.length === 1;
  const onPath = state.recordPath && (isStart || here.mapId === start?.mapId);
  const next: RecorderState = {
    ...state,
    checkpoints,
    end: kind === 'finish' ? 'finish' : 'open',
    history: [...state.history, 'checkpoint', ...(kind === 'finish' ? (['end'] as const) : [])],
    ...(isStart
      ? { path: onPath ? [[here.at, here.x, here.y, here.z]] : [], pathLength: onPath ? 1 : 0 }
      : onPath
        ? appendPath(state, [here.at, here.x, here.y, here.z])
        : {}),
    revision: state.revision + 1,
  };
  const index = checkpoints.length - 1;
  const away = previous ? distanceTo(previous, here) : undefined;
  const from = previous
    ? away === undefined
      ? `, on map ${here.mapId} (the previous one is on map ${previous.mapId})`
      : `, ${away.toFixed(1)} m from ${dropName(state, index - 1)}`
    : ` on map ${here.mapId}`;
  const warnings = newWarnings(next, index);
  const text = `${dropName(next, index)} at ${at(point)}, radius ${point.r} m${from}${
    kind === 'finish' ? ': the course is closed (w saves)' : ''
  }`;
  return {
    state: next,
    notice:
      warnings.length > 0
        ? { level: 'warning', text: `${text}. ${warnings.map((w) => w.message).join('; ')}` }
        : { level: 'info', text },
  };
}

function closeLoop(state: RecorderState, here: Here): { state: RecorderState; notice: Notice } {
  if (state.end !== 'open')
    return refuse(state, 'the course is already closed: press u to undo that first');
  if (state.checkpoints.length < 2) {
    return refuse(
      state,
      'a loop needs the start and at least one checkpoint: drop them first (space or c)',
    );
  }
  const start = state.checkpoints[0] as DroppedPoint;
  const away = distanceTo(start, here);
  const onPath = state.recordPath && here.known && here.mapId === start.mapId;
  const next: RecorderState = {
    ...state,
    end: 'loop',
    history: [...state.history, 'end'],
    ...(onPath && here.known ? appendPath(state, [here.at, here.x, here.y, here.z]) : {}),
    revision: state.revision + 1,
  };
  const where =
    away === undefined
      ? ''
      : ` (you are ${away.toFixed(1)} m from the start${away > start.r ? ': the last leg goes straight back to it' : ''})`;
  return {
    state: next,
    notice: {
      level: away !== undefined && away > start.r ? 'warning' : 'info',
      text: `loop closed: the start is the finish of every lap${where}; w saves`,
    },
  };
}

function dropReset(state: RecorderState, here: Here): { state: RecorderState; notice: Notice } {
  const start = state.checkpoints[0];
  if (!start) return refuse(state, 'drop the start first: reset points belong to its map');
  const problem = unusable(here, 'a reset point');
  if (problem || !here.known) return refuse(state, problem ?? '');
  if (here.mapId !== start.mapId) {
    return refuse(
      state,
      `refused: reset points must be on the start's map (${start.mapId}); you are on map ${here.mapId}`,
    );
  }
  const point: DroppedPoint = {
    x: round(here.x, 3),
    y: round(here.y, 3),
    z: round(here.z, 3),
    r: state.radius,
    mapId: here.mapId,
  };
  return {
    state: {
      ...state,
      resets: [...state.resets, point],
      history: [...state.history, 'reset'],
      revision: state.revision + 1,
    },
    notice: {
      level: 'info',
      text: `reset point ${state.resets.length + 1} at ${at(point)}, radius ${point.r} m`,
    },
  };
}

function undo(state: RecorderState): { state: RecorderState; notice: Notice } {
  const last = state.history[state.history.length - 1];
  if (last === undefined) return refuse(state, 'nothing to undo');
  const history = state.history.slice(0, -1);
  const revision = state.revision + 1;
  switch (last) {
    case 'reset':
      return {
        state: { ...state, resets: state.resets.slice(0, -1), history, revision },
        notice: { level: 'info', text: `undone: reset point ${state.resets.length}` },
      };
    case 'end': {
      if (state.end === 'finish') {
        // The finish was a checkpoint and the closing of the course: both go.
        const checkpoints = state.checkpoints.slice(0, -1);
        return {
          state: {
            ...state,
            checkpoints,
            end: 'open',
            history: history.slice(0, -1),
            revision,
          },
          notice: { level: 'info', text: 'undone: the finish (the course is open again)' },
        };
      }
      return {
        state: { ...state, end: 'open', history, revision },
        notice: { level: 'info', text: 'undone: the closed loop (the course is open again)' },
      };
    }
    case 'checkpoint': {
      const name = dropName(state, state.checkpoints.length - 1);
      const checkpoints = state.checkpoints.slice(0, -1);
      return {
        state: {
          ...state,
          checkpoints,
          history,
          ...(checkpoints.length === 0 ? { path: [], pathLength: 0 } : {}),
          revision,
        },
        notice: { level: 'info', text: `undone: ${name}` },
      };
    }
  }
}

/**
 * Adds a sample to the ridden path when the path is being recorded: from the start until the
 * course is closed, on the start's map (the line has no map of its own).
 */
export function recordPathSample(state: RecorderState, here: Here): RecorderState {
  if (!state.recordPath || state.end !== 'open' || !here.known) return state;
  const start = state.checkpoints[0];
  if (!start || here.mapId !== start.mapId) return state;
  const last = state.path[state.pathLength - 1];
  if (last && last[1] === here.x && last[2] === here.y && last[3] === here.z) return state;
  return { ...state, ...appendPath(state, [here.at, here.x, here.y, here.z]) };
}

/** Warnings of the draft that involve the checkpoint at `index`. */
function newWarnings(state: RecorderState, index: number): TrackWarning[] {
  return draftWarnings(state).filter((w) => w.checkpointIds.includes(index));
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

/** What a saved track carries besides the checkpoints. */
export interface TrackMeta {
  readonly id: string;
  readonly name: string;
  readonly author?: string | undefined;
  readonly createdAt?: string | undefined;
  readonly laps?: number | undefined;
}

function draftTrack(state: RecorderState, meta: TrackMeta, withPath = true): Track {
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
  const rows = withPath ? pathRows(state) : [];
  const t0 = rows[0]?.[0] ?? 0;
  const line =
    state.recordPath && rows.length >= 2
      ? decimatePath(
          rows.map(
            ([ms, x, y, z]) =>
              [round((ms - t0) / 1000, 3), round(x, 2), round(y, 2), round(z, 2)] as PathRow,
          ),
        )
      : undefined;
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
export function recordedTrack(state: RecorderState, meta: TrackMeta): Result<Track, Error> {
  if (state.checkpoints.length < 2) {
    return err(
      new Error('nothing to save yet: a track needs the start and at least one more checkpoint'),
    );
  }
  return parseTrack(draftTrack(state, meta));
}
