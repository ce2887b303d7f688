export type { SntpServerAddress } from './parse-server';
export type { SntpPoll, SntpPollOptions, SntpServerReport } from './poll-sntp';
export { DEFAULT_SNTP_SERVERS, pollSntp } from './poll-sntp';
export type { SntpQueryOptions } from './query-sntp';
export { querySntp } from './query-sntp';
export type { SntpLookup, SntpLookupAddress } from './resolve-addresses';
export type { NtpTimestamp, SntpPacket } from './sntp-packet';
export {
  decodeSntpPacket,
  encodeSntpPacket,
  msToNtpTimestamp,
  ntpTimestampToMs,
} from './sntp-packet';
export type { SntpResult } from './sntp-result';
export type { SntpServer, SntpServerOptions } from './sntp-server';
export { createSntpServer } from './sntp-server';
