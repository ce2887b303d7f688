import { MAX_MESSAGE_BYTES, MAX_SIGNATURE_OVERHEAD } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { publishHeader, publishPacket } from '../../bench/mqtt-bytes';
import { createAddressCounter } from '../address-counter';
import { createRateLimiter, DEFAULT_HUB_LIMITS, payloadRefusal } from '../limits';
import { isOriginAllowed } from '../origin';
import { createPacketSizeGuard } from '../packet-size-guard';

describe('the packet size guard', () => {
  it('passes packets under the cap, split anywhere, and stops at the first header over it', () => {
    const guard = createPacketSizeGuard(1024);
    const stream = Buffer.concat([
      publishPacket('race/r1/pos/p1', 'x'.repeat(500)),
      publishPacket('race/r1/pos/p1', 'y'.repeat(1000)),
      publishHeader(5000),
    ]);
    for (let i = 0; i < 515; i++) expect(guard.feed(stream.subarray(i, i + 1))).toBeUndefined();
    let over: number | undefined;
    for (let i = 515; i < stream.length && over === undefined; i += 7)
      over = guard.feed(stream.subarray(i, i + 7));
    expect(over).toBe(5003);
  });

  it('refuses a 200 MB announcement from its header alone', () => {
    // It stops at the first length byte that passes the cap, before the rest of the length.
    expect(createPacketSizeGuard(1024).feed(publishHeader(200_000_000))).toBeGreaterThan(1024);
  });
});

describe('the limits', () => {
  it('uses the protocol per-kind limits, with room for a signature', () => {
    const limit = MAX_MESSAGE_BYTES.presence + MAX_SIGNATURE_OVERHEAD;
    expect(payloadRefusal('race/r1/presence', limit)).toBeUndefined();
    expect(payloadRefusal('race/r1/presence', limit + 1)).toBe(
      `presence message is ${limit + 1} bytes (limit 2048, ${limit} signed)`,
    );
    expect(payloadRefusal('elsewhere', 10_000_000)).toBeUndefined();
    expect(DEFAULT_HUB_LIMITS.maxPacketBytes).toBeGreaterThan(MAX_MESSAGE_BYTES.ranking);
    expect(DEFAULT_HUB_LIMITS.maxPacketBytes).toBeLessThan(1024 * 1024);
  });

  it('rate-limits per channel with a burst, refilling with time', () => {
    const limiter = createRateLimiter({
      rates: { pos: { perSecond: 10, burst: 3 } },
      otherRate: { perSecond: 1, burst: 1 },
    });
    expect([0, 0, 0, 0].map(() => limiter.take('pos', 0))).toEqual([true, true, true, false]);
    expect(limiter.take('pos', 100)).toBe(true);
    expect(limiter.take('pos', 100)).toBe(false);
    expect(limiter.take(undefined, 0)).toBe(true);
    expect(limiter.take(undefined, 500)).toBe(false);
    expect(limiter.take(undefined, 1000)).toBe(true);
  });

  it('counts connections per address, never the exempt ones', () => {
    const counter = createAddressCounter(2, ['127.0.0.1']);
    expect(['a', 'a', 'a'].map((x) => counter.open(x))).toEqual([true, true, false]);
    counter.close('a');
    expect(counter.open('a')).toBe(true);
    for (let i = 0; i < 10; i++) expect(counter.open('127.0.0.1')).toBe(true);
  });
});

describe('isOriginAllowed', () => {
  it('allows programs (no Origin), the page the server serves, and listed origins', () => {
    expect(isOriginAllowed(undefined, '127.0.0.1:8080', [])).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', [])).toBe(true);
    expect(isOriginAllowed('https://evil.example', '127.0.0.1:8080', [])).toBe(false);
    expect(isOriginAllowed('null', '127.0.0.1:8080', [])).toBe(false);
    expect(
      isOriginAllowed('https://viewer.example', '127.0.0.1:8080', ['https://viewer.example']),
    ).toBe(true);
  });
});
