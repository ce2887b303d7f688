export type { Clock } from './clock';
export { systemClock } from './clock';
export type { ClockSyncErrorCode, ClockSyncErrorOptions } from './errors';
export { CLOCK_SYNC_ERROR_CODES, ClockSyncError, isClockSyncError } from './errors';
export type {
  ClockDiscontinuity,
  EstimatorEvent,
  OffsetEstimate,
  OffsetEstimator,
  OffsetEstimatorOptions,
  ReferenceTime,
  RejectReason,
  RestartReason,
  SampleVerdict,
  WindowSample,
} from './estimator-types';
export type { DriftFit, DriftPoint, EnvelopeFit, EnvelopePoint } from './fit-drift';
export { fitDrift, fitEnvelope } from './fit-drift';
export { createOffsetEstimator } from './offset-estimator';
export type { PingSync, PingSyncOptions, PongIgnoredReason, PongOutcome } from './ping-sync';
export { createPingSync } from './ping-sync';
export type { PongResponderOptions, PongTimes } from './pong';
export { createPong, createPongResponder } from './pong';
export type { Countdown, RaceClock, RaceClockOptions, RaceTime } from './race-clock';
export { createRaceClock } from './race-clock';
export type { OffsetInterval, TruechimerSelection } from './select-truechimers';
export { selectTruechimers } from './select-truechimers';
export type { SimulatedClock, SimulatedClockOptions } from './simulated-clock';
export { createSimulatedClock } from './simulated-clock';
export type { OffsetDelay, SyncSample } from './sync-sample';
export { computeOffsetDelay } from './sync-sample';
