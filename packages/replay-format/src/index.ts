export { crc32 } from './crc32';
export type { DeflateLevel, MemberInfo } from './gzip-member';
export { KIND_BITS, MEMBER_FLAGS } from './gzip-member';
export { decodePackedIntegers, encodePackedIntegers } from './packed-integers';
export type { ReplayReader, ReplaySource } from './read-replay';
export { readReplay } from './read-replay';
export type { ReplayDecoder, ReplayDecoderOptions } from './replay-decoder';
export { createReplayDecoder } from './replay-decoder';
export type { ReplayEntry, UnknownReceivedMessage } from './replay-entry';
export type { ReplayErrorCode, ReplayErrorOptions } from './replay-error';
export { isReplayError, REPLAY_ERROR_CODES, ReplayError } from './replay-error';
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
export { createReplayWriter, WRITER_NAME } from './replay-writer';
