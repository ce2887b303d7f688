export type { Codec, DecodeOptions, EncodeOptions, TopicMessage } from './codec';
export {
  channelOf,
  decodeMessage,
  decodeTopicMessage,
  encodeMessage,
  sniffCodec,
  validateMessage,
} from './codec';
export { isDisplaySafe, toDisplayText, UNSAFE_TEXT_PATTERN } from './display-text';
export type { ProtocolErrorCode, ProtocolErrorOptions, ProtocolIssue } from './errors';
export { isProtocolError, PROTOCOL_ERROR_CODES, ProtocolError } from './errors';
export type { ApiError, ControlRequest, HostInfo, HostTime, HttpApiSchemaName } from './http-api';
export {
  apiErrorSchema,
  controlDoneSchema,
  controlRequestSchema,
  HTTP_API_PATHS,
  HTTP_API_SCHEMAS,
  hostInfoSchema,
  hostTimeSchema,
  httpApiJsonSchema,
  parseApiError,
  parseControlRequest,
  parseHostInfo,
  parseHostTime,
} from './http-api';
export type { IdRole } from './ids';
export { assertId, ID_PATTERN, idSchema, MAX_ID_LENGTH, parseId } from './ids';
export type { Invitation } from './invitation';
export {
  connectCredential,
  decodeInvitation,
  deriveSpectatorKey,
  encodeInvitation,
  INVITATION_PREFIX,
  INVITATION_VERSION,
  invitationKey,
  invitationSchema,
  keyToHex,
} from './invitation';
export type { JsonSchemaName } from './json-schema';
export { FILE_SCHEMAS, JSON_SCHEMA_BASE_URL, toJsonSchema } from './json-schema';
export type {
  MessageVerifier,
  MessageVerifierOptions,
  VerifyRefusal,
  VerifyVerdict,
} from './message-verifier';
export { createMessageVerifier } from './message-verifier';
export type { ChatMessage } from './messages/chat';
export { chatMessageSchema, chatSenderLabel } from './messages/chat';
export type { CheckpointMessage } from './messages/checkpoint';
export { checkpointMessageSchema } from './messages/checkpoint';
export type { Vec3 } from './messages/common';
export { epochSecondsSchema, mapIdSchema, secondsSchema, vec3Schema } from './messages/common';
export type { ControlCommand, ControlMessage } from './messages/control';
export {
  abortCommandSchema,
  controlMessageSchema,
  endCommandSchema,
  msgCommandSchema,
  nextRaceCommandSchema,
  pauseCommandSchema,
  resumeCommandSchema,
  rulingCommandSchema,
  standingCommandSchema,
  startCommandSchema,
  syncT0CommandSchema,
} from './messages/control';
export type { FlagKind, FlagMessage, FlagSeverity } from './messages/flag';
export {
  evidenceSampleSchema,
  FLAG_KINDS,
  flagMessageSchema,
  flagSeveritySchema,
  MAX_FLAG_DATA_DEPTH,
} from './messages/flag';
export type { PingMessage, PongMessage } from './messages/ping';
export { pingMessageSchema, pongMessageSchema } from './messages/ping';
export type { PosField, PosMessage } from './messages/pos';
export { POS_FIELDS, posMessageSchema } from './messages/pos';
export type { PresenceEvent, PresenceMessage, PresenceStatus } from './messages/presence';
export {
  gameStateSchema,
  presenceEventSchema,
  presenceKind,
  presenceMessageSchema,
  presenceStatusSchema,
} from './messages/presence';
export type { RacerStatus, RankingEntry, RankingMessage } from './messages/ranking';
export { racerStatusSchema, rankingEntrySchema, rankingMessageSchema } from './messages/ranking';
export type { AnyMessage, MessageKind, MessageOf, ReceivedMessage } from './messages/registry';
export {
  CHANNEL_OF_KIND,
  MAX_MESSAGE_BYTES,
  MESSAGE_KINDS,
  MESSAGE_SCHEMAS,
} from './messages/registry';
export type { RequestMessage } from './messages/request';
export { requestMessageSchema, requestWantSchema } from './messages/request';
export type { Participant, RaceStage, StartRule, StateMessage } from './messages/state';
export {
  participantSchema,
  raceStageSchema,
  startRuleSchema,
  stateMessageSchema,
} from './messages/state';
export type {
  GateCheckpoint,
  ResetPoint,
  SphereCheckpoint,
  Track,
  TrackCheckpoint,
} from './messages/track';
export {
  checkpointRoleSchema,
  DEFAULT_GATE_HEIGHT,
  gateCheckpointSchema,
  resetPointSchema,
  sphereCheckpointSchema,
  trackCheckpointSchema,
  trackSchema,
} from './messages/track';
export type { RaceFile } from './race-file-path';
export { parseRaceFilePath, RACE_FILES, RACE_FILES_PATH, raceFilePath } from './race-file-path';
export type { Result } from './result';
export { err, ok } from './result';
export type { SequenceTracker, SequenceVerdict } from './sequence';
export { createSequenceTracker } from './sequence';
export type { SigningKey, SplitPayload, VerifiedMessage } from './signature';
export {
  decodeBase64Url,
  decodeVerifiedMessage,
  derivePlayerKey,
  encodeBase64Url,
  encodeSignedMessage,
  importSigningKey,
  MAX_SIGNATURE_OVERHEAD,
  signMessage,
  splitSignature,
  verifyMessage,
} from './signature';
export type { RaceOutcome, RaceScore, Standing, Standings, StandingsRace } from './standings';
export {
  parseStandings,
  raceOutcomeSchema,
  raceScoreSchema,
  standingSchema,
  standingsRaceSchema,
  standingsSchema,
} from './standings';
export type { HmacSha256, SyncSigning } from './sync-signing';
export { createSyncSigning } from './sync-signing';
export { RACE_RELATIVE_LIMIT, toEpochSeconds } from './time';
export type { Channel, ParsedTopic, PlayerChannel } from './topics';
export {
  buildTopic,
  CHANNELS,
  MAX_TOPIC_LENGTH,
  parseTopic,
  ROLE_TOPICS,
  TOPIC_ROOT,
  TOPIC_SETTINGS,
  topicFilter,
} from './topics';
export type {
  RaceEntry,
  TieBreak,
  Tournament,
  TournamentInput,
  TournamentRace,
} from './tournament';
export {
  DEFAULT_POINTS,
  DEFAULT_TIE_BREAKS,
  fixedEntrySchema,
  parseTournament,
  qualifiedEntrySchema,
  raceEntrySchema,
  TIE_BREAKS,
  tournamentRaceSchema,
  tournamentSchema,
} from './tournament';
export type { LastWill, LastWillOptions } from './will';
export { lastWill } from './will';

/** Version of the wire protocol this package speaks (the `v` of `state`). */
export const PROTOCOL_VERSION = 1;
