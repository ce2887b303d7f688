import type { TrackWarning } from '@gw2race/race-engine';
import { draftWarnings } from './draft-track';
import {
  appendPath,
  type DroppedPoint,
  distanceTo,
  dropName,
  type Here,
  type Notice,
  nextDrop,
  RADIUS_LIMITS,
  type RecorderAction,
  type RecorderState,
  round,
} from './recorder-state';

/** What a step of the recorder returns: the new state and what to tell the organizer. */
export interface RecorderStep {
  readonly state: RecorderState;
  readonly notice: Notice;
}

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
): RecorderStep {
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

function drop(state: RecorderState, here: Here, kind: 'checkpoint' | 'finish'): RecorderStep {
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

function closeLoop(state: RecorderState, here: Here): RecorderStep {
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

function dropReset(state: RecorderState, here: Here): RecorderStep {
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

function undo(state: RecorderState): RecorderStep {
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
