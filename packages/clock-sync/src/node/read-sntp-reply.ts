import type { RemoteInfo } from 'node:dgram';
import { ClockSyncError } from '../errors';
import {
  decodeSntpPacket,
  formatReferenceId,
  isZeroTimestamp,
  ntpTimestampToMs,
  referenceIdToAscii,
  type SntpPacket,
} from './sntp-packet';
import { timestampKey } from './sntp-request';
import type { SntpResult } from './sntp-result';

/** A request that left: the local time it left, and where it went. */
export interface SentRequest {
  readonly t1: number;
  readonly address: string;
}

/** What {@link readSntpReply} needs to know of the query. */
export interface SntpReplyContext {
  /** The server as asked (`host:port`). */
  readonly name: string;
  readonly port: number;
  readonly maxRootDistanceMs: number;
  /** Twice the local clock's resolution, ms. */
  readonly localErrorMs: number;
  /** Addresses requests were sent to. */
  readonly asked: ReadonlySet<string>;
  /** Requests sent, by {@link timestampKey} of their transmit timestamp. */
  readonly sent: ReadonlyMap<string, SentRequest>;
}

/** What a datagram turned out to be. */
export type SntpReply =
  /** Not from our server, or our nonce from another of its addresses: not a reply at all. */
  | { readonly kind: 'ignored' }
  /** Garbage or an impossible answer: skipped while waiting, reported if nothing better comes. */
  | { readonly kind: 'invalid'; readonly problem: string }
  /** A kiss-o'-death or an unsynchronised server: the query ends with this error. */
  | { readonly kind: 'refused'; readonly error: ClockSyncError }
  /** The answer. */
  | { readonly kind: 'answer'; readonly result: Omit<SntpResult, 'attempts'> };

/** A kiss-o'-death or an unsynchronised server (leap 3, stratum 16+, root distance too far). */
function refusal(packet: SntpPacket, name: string, maxRootDistanceMs: number) {
  if (packet.stratum === 0) {
    const kissCode = referenceIdToAscii(packet.referenceId) || '????';
    const advice =
      kissCode === 'RATE'
        ? ' (asked too often: wait longer between queries)'
        : kissCode === 'DENY' || kissCode === 'RSTR'
          ? ' (access denied: stop using this server)'
          : '';
    const message = `${name} refused the request with kiss code ${kissCode}${advice}`;
    return new ClockSyncError('KISS_OF_DEATH', message, { server: name, kissCode });
  }
  if (packet.leap === 3 || packet.stratum >= 16) {
    return new ClockSyncError(
      'UNSYNCHRONIZED',
      `${name} says its clock is not synchronised (leap ${packet.leap}, stratum ${packet.stratum})`,
      { server: name },
    );
  }
  const rootDistanceMs = packet.rootDelayMs / 2 + packet.rootDispersionMs;
  if (rootDistanceMs > maxRootDistanceMs) {
    return new ClockSyncError(
      'UNSYNCHRONIZED',
      `${name} is too far from its reference (root distance ${rootDistanceMs.toFixed(0)} ms > ${maxRootDistanceMs} ms)`,
      { server: name },
    );
  }
  return undefined;
}

/**
 * Reads one datagram that arrived at local time `t4`. Only a server answer (mode 4) from the
 * address and port a request went to, echoing that request's transmit timestamp, counts; it is
 * timed with that request's `t1`, so a late answer to an earlier attempt counts too.
 */
export function readSntpReply(
  message: Uint8Array,
  remote: Pick<RemoteInfo, 'address' | 'port'>,
  t4: number,
  context: SntpReplyContext,
): SntpReply {
  const { name, port } = context;
  if (!context.asked.has(remote.address) || remote.port !== port) return { kind: 'ignored' };
  const decoded = decodeSntpPacket(message);
  if (!decoded.ok) return { kind: 'invalid', problem: decoded.error.message };
  const packet = decoded.value;
  const request = context.sent.get(timestampKey(packet.originTime));
  if (request === undefined) {
    return { kind: 'invalid', problem: 'its origin timestamp matches none of our requests' };
  }
  if (request.address !== remote.address) return { kind: 'ignored' };
  if (packet.mode !== 4) {
    return { kind: 'invalid', problem: `mode ${packet.mode} instead of 4 (server)` };
  }
  const error = refusal(packet, name, context.maxRootDistanceMs);
  if (error) return { kind: 'refused', error };
  if (isZeroTimestamp(packet.receiveTime) || isZeroTimestamp(packet.transmitTime)) {
    return { kind: 'invalid', problem: 'its receive or transmit timestamp is zero' };
  }
  if (packet.precision > 0) {
    const problem = `its precision 2^${packet.precision} s is over a second: not a working clock`;
    return { kind: 'invalid', problem };
  }
  return measure(packet, request, t4, context);
}

/** The on-wire formulas on a checked answer. */
function measure(
  packet: SntpPacket,
  { t1, address }: SentRequest,
  t4: number,
  { name, port, localErrorMs }: SntpReplyContext,
): SntpReply {
  const t2 = ntpTimestampToMs(packet.receiveTime);
  const t3 = ntpTimestampToMs(packet.transmitTime);
  const precisionMs = 2 ** packet.precision * 1000;
  const delayMs = t4 - t1 - (t3 - t2);
  if (t3 < t2 || delayMs < -(2 * precisionMs + localErrorMs)) {
    return {
      kind: 'invalid',
      problem: `its timestamps are impossible (delay ${delayMs.toFixed(3)} ms)`,
    };
  }
  const rootDistanceMs = packet.rootDelayMs / 2 + packet.rootDispersionMs;
  const referenceErrorMs = rootDistanceMs + 2 * precisionMs;
  const result = {
    server: name,
    address,
    port,
    offsetMs: (t2 - t1 + (t3 - t4)) / 2,
    delayMs,
    boundMs: Math.max(delayMs, 0) / 2 + referenceErrorMs + localErrorMs,
    stratum: packet.stratum,
    leap: packet.leap as 0 | 1 | 2,
    version: packet.version,
    precisionMs,
    rootDelayMs: packet.rootDelayMs,
    rootDispersionMs: packet.rootDispersionMs,
    referenceId: formatReferenceId(packet.referenceId, packet.stratum),
    sample: { t1, t2, t3, t4, referenceErrorMs, source: name },
  };
  return { kind: 'answer', result };
}
