export type { SntpPoll, SntpPollOptions, SntpServerReport } from './poll-sntp';
export { DEFAULT_SNTP_SERVERS, pollSntp } from './poll-sntp';
export type {
  SntpLookup,
  SntpLookupAddress,
  SntpQueryOptions,
  SntpResult,
  SntpServerAddress,
} from './query-sntp';
export { querySntp } from './query-sntp';
export type { NtpTimestamp, SntpPacket } from './sntp-packet';
export {
  decodeSntpPacket,
  encodeSntpPacket,
  msToNtpTimestamp,
  NTP_UNIX_OFFSET_SECONDS,
  ntpTimestampToMs,
  SNTP_PACKET_LENGTH,
} from './sntp-packet';
export type { SntpServer, SntpServerOptions } from './sntp-server';
export { createSntpServer } from './sntp-server';
