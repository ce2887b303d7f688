export { crc32 } from './crc32';
export type { ExportOptions, ExportSource } from './export-csv';
export {
  CHECKPOINTS_CSV_COLUMNS,
  collectText,
  encodeCheckpointsCsv,
  encodePositionsCsv,
  POSITIONS_CSV_COLUMNS,
} from './export-csv';
export type { JsonExport, JsonExportOptions, JsonExportTrack } from './export-json';
export { encodeJsonExport } from './export-json';
export type {
  DeflateLevel,
  GunzipMember,
  InflateOptions,
  MemberHeader,
  MemberInfo,
} from './gzip-member';
export { KIND_BITS, MEMBER_FLAGS, readMemberHeader } from './gzip-member';
export type {
  OpenReplayOptions,
  PositionsAtOptions,
  RacerPosition,
  RacerTrack,
  Replay,
  ReplaySnapshot,
} from './open-replay';
export { openReplay } from './open-replay';
export {
  decodePackedIntegers,
  encodePackedIntegers,
  MAX_PACKED_MAGNITUDE,
} from './packed-integers';
export type { PositionColumn } from './position-line';
export { POSITION_COLUMNS } from './position-line';
export { quantizeMessage } from './quantize-message';
export type { ReplayReader, ReplaySource } from './read-replay';
export { readReplay } from './read-replay';
export type { RecoveredReplay, RecoveryReport } from './recover-replay';
export { recoverReplay } from './recover-replay';
export type { ReplayDecoder, ReplayDecoderOptions } from './replay-decoder';
export { createReplayDecoder } from './replay-decoder';
export type { ReplayEntry, UnknownReceivedMessage } from './replay-entry';
export type { ReplayErrorCode, ReplayErrorOptions } from './replay-error';
export { isReplayError, REPLAY_ERROR_CODES, ReplayError } from './replay-error';
export { parseReplayFileName, replayFileName } from './replay-file-name';
export type {
  ClockOffset,
  ReplayHeader,
  ReplayHeaderInit,
  ReplayQuantization,
} from './replay-header';
export {
  DEFAULT_QUANTIZATION,
  parseReplayHeader,
  REPLAY_FORMAT,
  REPLAY_FORMAT_VERSION,
} from './replay-header';
export type { ReplayIndex, ReplayMemberEntry } from './replay-index';
export { parseReplayIndex } from './replay-index';
export type {
  ReplaySink,
  ReplayWriter,
  ReplayWriterOptions,
  ReplayWriterStats,
} from './replay-writer';
export { continueReplayWriter, createReplayWriter, WRITER_NAME } from './replay-writer';
export type { MemberScan, ScannedMember } from './scan-members';
export { scanMembers } from './scan-members';
