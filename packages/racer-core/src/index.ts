export type { CheckpointOutbox, CheckpointOutboxOptions } from './checkpoint-outbox';
export { createCheckpointOutbox } from './checkpoint-outbox';
export type { Note } from './control-note';
export { controlNote } from './control-note';
export { encodePublish } from './encode-publish';
export type { RacerCoreErrorCode, RacerCoreErrorOptions } from './errors';
export { isRacerCoreError, RACER_CORE_ERROR_CODES, RacerCoreError } from './errors';
export type { GameSample } from './game-sample';
export { ordinal } from './ordinal';
export { idFromName } from './player-id';
export type { GameStatus, PresenceFacts } from './presence-status';
export { presenceStatus } from './presence-status';
export type { RacerCore } from './racer-core';
export { createRacerCore } from './racer-core';
export type { HubStatus, PublishEffect, RacerEffect, RacerInput } from './racer-effect';
export type { RacePhase, RacerProgress, RacerProgressOptions } from './racer-progress';
export { racerProgress } from './racer-progress';
export type { RacerCoreOptions, RacerView, TournamentStanding } from './racer-view';
export {
  OUTBOX_TICK_MS,
  PING_BURST,
  PING_BURST_MS,
  PING_PRE_RACE_MS,
  PING_RACE_MS,
  PRESENCE_EVERY_MS,
  pingDelayMs,
  positionKeepAliveMs,
  STATE_ASK_AFTER_MS,
  STATE_ASK_MAX_MS,
  stateAskDelayMs,
} from './schedule';
export type { SplitDelta } from './split-delta';
export { isBetterRun, splitDelta } from './split-delta';
export type { SampleStamp } from './stamp-sample';
export { clockBoundSeconds, MAX_CLOCK_BOUND_MS, stampNow, stampSample } from './stamp-sample';
export { RACER_CHANNELS, racerSubscriptions } from './subscriptions';
