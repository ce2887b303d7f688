export { csvLosses, withoutRepeatedStart } from './csv-notes';
export type { DecimateOptions, PathRow } from './decimate-path';
export { decimatePath } from './decimate-path';
export type { TrackMeta } from './draft-track';
export { draftTrack, draftWarnings, recordedTrack } from './draft-track';
export type { TrackAuthoringErrorCode } from './errors';
export {
  isTrackAuthoringError,
  TRACK_AUTHORING_ERROR_CODES,
  TrackAuthoringError,
} from './errors';
export { formatMetres, formatTrackSummary } from './format-track-summary';
export type { RecorderStep } from './recorder';
export { recorderStep, recordPathSample } from './recorder';
export type { KeyAction } from './recorder-keys';
export { actionForKey, KEY_HELP, scriptedKeys } from './recorder-keys';
export type {
  DroppedPoint,
  Here,
  Notice,
  RecorderAction,
  RecorderOptions,
  RecorderState,
} from './recorder-state';
export {
  createRecorder,
  distanceTo,
  dropName,
  nextDrop,
  pathRows,
  RADIUS_LIMITS,
} from './recorder-state';
export type { SavedFiles } from './saved-notice';
export { savedNotice } from './saved-notice';
export type { TrackLeg, TrackSummary } from './summary';
export { checkpointCentre, checkpointReach, summarizeTrack } from './summary';
export { encodeTrackJson, nameFromFile, trackIdFrom } from './track-json';
