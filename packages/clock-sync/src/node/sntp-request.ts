import { randomBytes } from 'node:crypto';
import { encodeSntpPacket, type NtpTimestamp, ZERO_TIMESTAMP } from './sntp-packet';

/** A client request ready to send, and the key its answer will echo. */
export interface SntpRequest {
  /** The 48-byte mode-3 packet. */
  readonly packet: Uint8Array;
  /** {@link timestampKey} of its transmit timestamp. */
  readonly key: string;
}

/** A timestamp as a map key: the server echoes our transmit timestamp as its origin. */
export function timestampKey(ts: NtpTimestamp): string {
  return `${ts.seconds}.${ts.fraction}`;
}

/**
 * A client request (RFC 4330 mode 3) whose transmit timestamp is random: the server echoes it,
 * which proves the answer is to us, and the client's send time stays local.
 */
export function createSntpRequest(): SntpRequest {
  const nonce = randomBytes(8);
  const transmitTime = { seconds: nonce.readUInt32BE(0), fraction: nonce.readUInt32BE(4) };
  const packet = encodeSntpPacket({
    leap: 0,
    version: 4,
    mode: 3,
    stratum: 0,
    poll: 0,
    precision: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    referenceId: 0,
    referenceTime: ZERO_TIMESTAMP,
    originTime: ZERO_TIMESTAMP,
    receiveTime: ZERO_TIMESTAMP,
    transmitTime,
  });
  return { packet, key: timestampKey(transmitTime) };
}
