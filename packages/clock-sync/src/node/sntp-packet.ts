import { err, ok, type Result } from '@gw2race/protocol';
import { ClockSyncError } from '../errors';

/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

/** Length of an NTP header without extensions, bytes. */
const SNTP_PACKET_LENGTH = 48;

/** An NTP timestamp as on the wire: two unsigned 32-bit words, kept raw so they compare exactly. */
export interface NtpTimestamp {
  /** Seconds since the start of the NTP era. */
  readonly seconds: number;
  /** Fraction of a second, in units of 2⁻³² s. */
  readonly fraction: number;
}

/** The NTP/SNTP header (RFC 5905 §7.3, RFC 4330 §4). */
export interface SntpPacket {
  /** Leap indicator: 0 none, 1 last minute has 61 s, 2 has 59 s, 3 clock unsynchronised. */
  readonly leap: 0 | 1 | 2 | 3;
  /** Version number, 1–4. */
  readonly version: number;
  /** 3 client, 4 server, 5 broadcast (others unused here). */
  readonly mode: number;
  /** 0 kiss-o'-death, 1 primary reference, 2–15 secondary, 16 unsynchronised. */
  readonly stratum: number;
  /** Poll interval, log2 seconds. */
  readonly poll: number;
  /** Precision of the sender's clock, log2 seconds (signed; −20 ≈ 1 µs). */
  readonly precision: number;
  /** Round trip to the primary reference, ms (NTP short format on the wire). */
  readonly rootDelayMs: number;
  /** Dispersion to the primary reference, ms (NTP short format on the wire). */
  readonly rootDispersionMs: number;
  /** Reference id: a kiss code or clock name (stratum 0–1), else an IPv4 address or hash. */
  readonly referenceId: number;
  /** When the sender's clock was last set. */
  readonly referenceTime: NtpTimestamp;
  /** The request's transmit timestamp, echoed by a server. */
  readonly originTime: NtpTimestamp;
  /** When the request arrived at the server. */
  readonly receiveTime: NtpTimestamp;
  /** When the packet left. */
  readonly transmitTime: NtpTimestamp;
}

/** The all-zero timestamp, meaning "not set". */
export const ZERO_TIMESTAMP: NtpTimestamp = { seconds: 0, fraction: 0 };

const TWO_32 = 4_294_967_296;

/** True for the all-zero timestamp. */
export function isZeroTimestamp(ts: NtpTimestamp): boolean {
  return ts.seconds === 0 && ts.fraction === 0;
}

/** True when two timestamps are bit-for-bit equal. */
export function sameTimestamp(a: NtpTimestamp, b: NtpTimestamp): boolean {
  return a.seconds === b.seconds && a.fraction === b.fraction;
}

/** Epoch ms to an NTP timestamp (era 1 from 2036-02-07 on, as RFC 5905 §6 wraps it). */
export function msToNtpTimestamp(epochMs: number): NtpTimestamp {
  const totalSeconds = Math.floor(epochMs / 1000);
  let fraction = Math.round(((epochMs - totalSeconds * 1000) / 1000) * TWO_32);
  let seconds = totalSeconds + NTP_UNIX_OFFSET_SECONDS;
  if (fraction >= TWO_32) {
    fraction -= TWO_32;
    seconds += 1;
  }
  return { seconds: ((seconds % TWO_32) + TWO_32) % TWO_32, fraction };
}

/**
 * An NTP timestamp to epoch ms. The 32-bit seconds wrap every 136 years; a value with the top
 * bit clear is taken to be in era 1 (2036–2104), one with it set in era 0 (1968–2036), which
 * covers every date this software will meet.
 */
export function ntpTimestampToMs(ts: NtpTimestamp): number {
  const era = ts.seconds < 0x8000_0000 ? TWO_32 : 0;
  return (ts.seconds + era - NTP_UNIX_OFFSET_SECONDS) * 1000 + (ts.fraction / TWO_32) * 1000;
}

/** The ASCII of a reference id (kiss codes, stratum-1 clock names), trailing NULs removed. */
export function referenceIdToAscii(id: number): string {
  let text = '';
  for (const shift of [24, 16, 8, 0]) {
    const code = (id >>> shift) & 0xff;
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

/** A four-character ASCII code (a kiss code, a clock name) as a reference id. */
export function asciiToReferenceId(text: string): number {
  let id = 0;
  for (let i = 0; i < 4; i++) id = id * 256 + (text.charCodeAt(i) & 0x7f || 0);
  return id >>> 0;
}

/** A reference id for people: ASCII below stratum 2, a dotted IPv4 address or hash above. */
export function formatReferenceId(id: number, stratum: number): string {
  if (stratum <= 1) return referenceIdToAscii(id);
  return [24, 16, 8, 0].map((shift) => (id >>> shift) & 0xff).join('.');
}

function toShortFormat(ms: number): number {
  const units = Math.round((Math.max(ms, 0) / 1000) * 65_536);
  return Math.min(units, 0xffff_ffff);
}

function writeTimestamp(view: DataView, at: number, ts: NtpTimestamp): void {
  view.setUint32(at, ts.seconds >>> 0);
  view.setUint32(at + 4, ts.fraction >>> 0);
}

function readTimestamp(view: DataView, at: number): NtpTimestamp {
  return { seconds: view.getUint32(at), fraction: view.getUint32(at + 4) };
}

/** Encodes a header into 48 bytes. */
export function encodeSntpPacket(packet: SntpPacket): Uint8Array {
  const bytes = new Uint8Array(SNTP_PACKET_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, ((packet.leap & 3) << 6) | ((packet.version & 7) << 3) | (packet.mode & 7));
  view.setUint8(1, packet.stratum & 0xff);
  view.setInt8(2, Math.max(-128, Math.min(127, packet.poll)));
  view.setInt8(3, Math.max(-128, Math.min(127, packet.precision)));
  view.setUint32(4, toShortFormat(packet.rootDelayMs));
  view.setUint32(8, toShortFormat(packet.rootDispersionMs));
  view.setUint32(12, packet.referenceId >>> 0);
  writeTimestamp(view, 16, packet.referenceTime);
  writeTimestamp(view, 24, packet.originTime);
  writeTimestamp(view, 32, packet.receiveTime);
  writeTimestamp(view, 40, packet.transmitTime);
  return bytes;
}

/**
 * Decodes an NTP header from untrusted bytes. Refuses anything shorter than 48 bytes or with a
 * version outside 1–4; extension fields and MACs after the header are ignored. Never throws.
 */
export function decodeSntpPacket(bytes: Uint8Array): Result<SntpPacket, ClockSyncError> {
  if (bytes.byteLength < SNTP_PACKET_LENGTH) {
    return err(
      new ClockSyncError(
        'INVALID_RESPONSE',
        `an NTP packet is at least ${SNTP_PACKET_LENGTH} bytes, got ${bytes.byteLength}`,
      ),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint8(0);
  const version = (first >> 3) & 7;
  if (version < 1 || version > 4) {
    return err(new ClockSyncError('INVALID_RESPONSE', `unknown NTP version ${version}`));
  }
  return ok({
    leap: ((first >> 6) & 3) as 0 | 1 | 2 | 3,
    version,
    mode: first & 7,
    stratum: view.getUint8(1),
    poll: view.getInt8(2),
    precision: view.getInt8(3),
    rootDelayMs: (view.getUint32(4) / 65_536) * 1000,
    rootDispersionMs: (view.getUint32(8) / 65_536) * 1000,
    referenceId: view.getUint32(12),
    referenceTime: readTimestamp(view, 16),
    originTime: readTimestamp(view, 24),
    receiveTime: readTimestamp(view, 32),
    transmitTime: readTimestamp(view, 40),
  });
}
