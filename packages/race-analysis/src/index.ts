export { CHECKPOINT_TOLERANCE_M, courseDifferences } from './course-match';
export type { RaceAnalysisErrorCode, RaceAnalysisErrorOptions } from './errors';
export { isRaceAnalysisError, RACE_ANALYSIS_ERROR_CODES, RaceAnalysisError } from './errors';
export type { ReplayTimeText } from './format';
export { formatBytes, formatGap, formatRaceTime, replayTimeText } from './format';
export type { AddHeatPathOptions, HeatGrid } from './heatmap';
export {
  addHeatPath,
  addHeatPoint,
  createHeatGrid,
  heatCellIndex,
  heatColor,
  heatPixels,
  heatRange,
} from './heatmap';
export type { LiveRacer, LogLine, RecordedMessage } from './live-race';
export { LiveRace, messageKey, TRAIL_LENGTH } from './live-race';
export type { Playback, PlaybackSpeed } from './playback-clock';
export {
  createPlayback,
  extendPlayback,
  PLAYBACK_SPEEDS,
  parsePlaybackSpeed,
  pausePlayback,
  playbackAtEnd,
  playbackTime,
  playPlayback,
  seekPlayback,
  setPlaybackSpeed,
  settlePlayback,
  skipPlayback,
  stepPlaybackSpeed,
  stopPlayback,
  togglePlayback,
} from './playback-clock';
export type { CourseCounts, RacePhase } from './race-text';
export {
  approachRadius,
  checkpointText,
  courseCounts,
  courseSummary,
  lapText,
  livePhase,
  liveStageText,
  PHASE_TEXT,
  rankingHasOrder,
  rankingSplit,
  rankingValue,
  replayPhase,
  STATUS_LABEL,
} from './race-text';
export type { RacerRun } from './racer-runs';
export { pathSlice, racerRuns, runOf } from './racer-runs';
export type {
  Recording,
  RecordingTrack,
  RejudgedRecording,
  TrackSource,
} from './rejudge-recording';
export { recordingTrack, rejudgeRecording } from './rejudge-recording';
export type { Path, PlacedRacer, ReplayData, ReplayFrame } from './replay-data';
export { createReplayData, positionOnPath, sampleBefore } from './replay-data';
export type {
  SectorAnalysis,
  SectorColumn,
  SectorMark,
  SectorRow,
  TheoreticalRow,
} from './sectors';
export { sectorAnalysis } from './sectors';
export type { DeltaSeries, Run, TimeDeltaOptions } from './time-delta';
export { cumulativeDistance, sliceRun, timeDelta } from './time-delta';
export type { VideoFrames } from './video-frames';
export { frameCount, frameTime } from './video-frames';
export type { MapRects, TilePyramid, TileRef, View, WorldBounds } from './view-transform';
export {
  boundsOf,
  chooseTiles,
  continentToWorld,
  continentUnitsPerMetre,
  fitView,
  INCHES_PER_METRE,
  panBy,
  resizeView,
  screenToWorld,
  tileAt,
  tileZoomFor,
  unionBounds,
  visibleTiles,
  worldToContinent,
  worldToScreen,
  zoomAt,
} from './view-transform';
