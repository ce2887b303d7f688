import type { PathRow } from './decimate-path';

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

/**
 * Creates an empty recording.
 *
 * @example
 * let state = createRecorder({ radius: 12, path: true });
 * ({ state } = recorderStep(state, { type: 'checkpoint' }, here));
 */
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
export function appendPath(
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

/** `value` rounded to `decimals` places. */
export const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
