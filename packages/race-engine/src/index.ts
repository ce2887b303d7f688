export { adjudicate, replayRace } from './adjudicate';
export type {
  AdvanceOptions,
  CourseState,
  CourseStep,
  Crossing,
  CrossingSource,
  GapSegment,
  Sample,
} from './advance-course';
export { advanceCourse, createCourseState } from './advance-course';
export type { BeetlerankCsvOptions, BeetlerankEncodeOptions } from './beetlerank-csv';
export { encodeBeetlerankCsv, parseBeetlerankCsv } from './beetlerank-csv';
export { distanceToCheckpoint } from './checkpoint-distance';
export type { CompiledCheckpoint, CourseDefinition, CourseOptions } from './course';
export { checkpointAt, compileCourse, lapOf, parseTrack } from './course';
export type {
  CheckpointMessageOptions,
  CrossingDetector,
  CrossingDetectorOptions,
} from './crossing-detector';
export { createCrossingDetector, toCheckpointMessage } from './crossing-detector';
export { engineInputOf } from './engine-input';
export type { RaceEngineErrorCode, RaceEngineErrorOptions } from './errors';
export { isRaceEngineError, RACE_ENGINE_ERROR_CODES, RaceEngineError } from './errors';
export type { EngineFlagKind, FlagMark, FlagSource } from './flag-mark';
export type { RaceResults, RacerResult, SectorRecord } from './race-results';
export { raceResults } from './race-results';
export type {
  EngineConfig,
  EngineInput,
  EngineOptions,
  PendingReport,
  RacePhase,
  RacerState,
  RaceState,
  RulingInput,
  SampleHistory,
} from './race-state';
export {
  compareRacers,
  createRaceState,
  findRacer,
  listRacers,
  racerAt,
  racerStatus,
} from './race-state';
export type { RacerTable } from './racer-table';
export type { RankingMessageOptions, RankingOptions } from './ranking';
export { rankingEntries, toRankingMessage } from './ranking';
export { csvRow, encodeResultsCsv, encodeSplitsCsv } from './results-csv';
export type { Gate, Point3, Sphere } from './segment-crossing';
export {
  segmentGateCrossing,
  segmentSphereEntry,
  segmentSphereExit,
} from './segment-crossing';
export type { SpeedLimits } from './speed-limits';
export { DEFAULT_SPEED_LIMITS, MOUNT_NAMES, ROLLER_BEETLE, speedLimitFor } from './speed-limits';
export type { EngineEvent } from './step';
export { step } from './step';
export { trackFromState } from './track-from-state';
export {
  TRACK_WARNING_CODES,
  type TrackWarning,
  type TrackWarningCode,
  type ValidateTrackOptions,
  validateTrack,
} from './validate-track';
