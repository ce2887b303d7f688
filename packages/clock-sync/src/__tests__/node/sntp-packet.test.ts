import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiToReferenceId,
  decodeSntpPacket,
  encodeSntpPacket,
  formatReferenceId,
  msToNtpTimestamp,
  NTP_UNIX_OFFSET_SECONDS,
  ntpTimestampToMs,
  referenceIdToAscii,
  type SntpPacket,
} from '../../node/sntp-packet';

const timestamp = fc.record({
  seconds: fc.integer({ min: 0, max: 0xffff_ffff }),
  fraction: fc.integer({ min: 0, max: 0xffff_ffff }),
});

const packet: fc.Arbitrary<SntpPacket> = fc.record({
  leap: fc.constantFrom(0, 1, 2, 3),
  version: fc.integer({ min: 1, max: 4 }),
  mode: fc.integer({ min: 0, max: 7 }),
  stratum: fc.integer({ min: 0, max: 255 }),
  poll: fc.integer({ min: -128, max: 127 }),
  precision: fc.integer({ min: -128, max: 127 }),
  // NTP short format: 1/65 536 s steps.
  rootDelayMs: fc.integer({ min: 0, max: 0xffff_ffff }).map((u) => (u / 65_536) * 1000),
  rootDispersionMs: fc.integer({ min: 0, max: 0xffff_ffff }).map((u) => (u / 65_536) * 1000),
  referenceId: fc.integer({ min: 0, max: 0xffff_ffff }),
  referenceTime: timestamp,
  originTime: timestamp,
  receiveTime: timestamp,
  transmitTime: timestamp,
});

describe('SNTP packets', () => {
  it('round-trips every header through 48 bytes', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const bytes = encodeSntpPacket(p);
        expect(bytes.byteLength).toBe(48);
        const decoded = decodeSntpPacket(bytes);
        expect(decoded.ok && decoded.value).toEqual(p);
      }),
    );
  });

  it('lays the header out as RFC 5905 §7.3 says', () => {
    const bytes = encodeSntpPacket({
      leap: 0,
      version: 4,
      mode: 3,
      stratum: 2,
      poll: 6,
      precision: -20,
      rootDelayMs: 1000,
      rootDispersionMs: 500,
      referenceId: 0x0a000001,
      referenceTime: { seconds: 1, fraction: 2 },
      originTime: { seconds: 3, fraction: 4 },
      receiveTime: { seconds: 5, fraction: 6 },
      transmitTime: { seconds: 0xe8f7_6543, fraction: 0x8000_0000 },
    });
    expect(Array.from(bytes.subarray(0, 16))).toEqual([
      0x23, 2, 6, 0xec, 0, 1, 0, 0, 0, 0, 0x80, 0, 10, 0, 0, 1,
    ]);
    expect(Array.from(bytes.subarray(40, 48))).toEqual([0xe8, 0xf7, 0x65, 0x43, 0x80, 0, 0, 0]);
  });

  it('reads extension-carrying packets but refuses short ones and unknown versions, never throwing', () => {
    const long = new Uint8Array(68);
    long[0] = 0x24;
    expect(decodeSntpPacket(long).ok).toBe(true);
    const short = decodeSntpPacket(new Uint8Array(47));
    expect(!short.ok && short.error.code).toBe('INVALID_RESPONSE');
    expect(!short.ok && short.error.message).toMatch(/at least 48 bytes, got 47/);
    const v0 = new Uint8Array(48);
    expect(decodeSntpPacket(v0).ok).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const result = decodeSntpPacket(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });

  it('converts timestamps across the 2036 era boundary', () => {
    const unixNtpZero = (2 ** 32 - NTP_UNIX_OFFSET_SECONDS) * 1000; // 2036-02-07T06:28:16Z
    expect(new Date(unixNtpZero).toISOString()).toBe('2036-02-07T06:28:16.000Z');
    expect(msToNtpTimestamp(unixNtpZero)).toEqual({ seconds: 0, fraction: 0 });
    expect(ntpTimestampToMs({ seconds: 0, fraction: 2 ** 31 })).toBe(unixNtpZero + 500);
    expect(msToNtpTimestamp(0)).toEqual({ seconds: NTP_UNIX_OFFSET_SECONDS, fraction: 0 });
    fc.assert(
      fc.property(
        fc.double({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1), noNaN: true }),
        (ms) => {
          expect(Math.abs(ntpTimestampToMs(msToNtpTimestamp(ms)) - ms)).toBeLessThan(1e-3);
        },
      ),
    );
  });

  it('spells reference ids', () => {
    expect(referenceIdToAscii(asciiToReferenceId('RATE'))).toBe('RATE');
    expect(referenceIdToAscii(asciiToReferenceId('GPS'))).toBe('GPS');
    expect(formatReferenceId(asciiToReferenceId('PPS'), 1)).toBe('PPS');
    expect(formatReferenceId(0xc0a8_0101, 3)).toBe('192.168.1.1');
  });
});
