import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeTopicMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  MESSAGE_KINDS,
  type MessageKind,
  PROTOCOL_ERROR_CODES,
  sniffCodec,
} from '../index';
import { MESSAGE_ARBS, mumblePosArb } from './arbitraries';

const encoder = new TextEncoder();

describe('round trips', () => {
  for (const kind of MESSAGE_KINDS) {
    it(`${kind}: decode(encode(m)) === m in JSON and MessagePack`, () => {
      fc.assert(
        fc.property(MESSAGE_ARBS[kind] as fc.Arbitrary<never>, (message) => {
          for (const codec of ['json', 'msgpack'] as const) {
            const bytes = encodeMessage(kind, message, { codec });
            expect(sniffCodec(bytes)).toBe(codec);
            const decoded = decodeMessage(kind, bytes);
            if (!decoded.ok) throw decoded.error;
            expect(decoded.value).toEqual(message);
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('MumbleLink positions (float32) travel exactly and compactly as MessagePack', () => {
    fc.assert(
      fc.property(mumblePosArb, (message) => {
        const packed = encodeMessage('pos', message, { codec: 'msgpack' });
        const json = encodeMessage('pos', message);
        const decoded = decodeMessage('pos', packed);
        if (!decoded.ok) throw decoded.error;
        expect(decoded.value).toEqual(message);
        expect(packed.byteLength).toBeLessThan(json.byteLength);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the compact position encoding', () => {
  it('fits the largest position message (64-char id, every field, float64 values)', () => {
    const message = {
      playerId: 'p'.repeat(64),
      t: 1_724_312_355.123456,
      x: 0.1,
      y: -0.2,
      z: 1e300,
      v: 0.3,
      mapId: 0xffffffff,
      mount: 255,
      tick: 0xffffffff,
      u: 0.012345,
      seq: Number.MAX_SAFE_INTEGER,
    };
    const decoded = decodeMessage('pos', encodeMessage('pos', message, { codec: 'msgpack' }));
    expect(decoded).toEqual({ ok: true, value: message });
  });
});

describe('untrusted bytes', () => {
  it('random bytes never throw, for every kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MESSAGE_KINDS),
        fc.uint8Array({ maxLength: 300 }),
        (kind, bytes) => {
          const result = decodeMessage(kind, bytes);
          if (!result.ok) expect(Object.keys(PROTOCOL_ERROR_CODES)).toContain(result.error.code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random JSON-looking text never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGE_KINDS), fc.json(), (kind, text) => {
        decodeMessage(kind, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('every truncation of a valid message is refused without throwing', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...MESSAGE_KINDS)
          .chain((kind) => fc.tuple(fc.constant(kind), MESSAGE_ARBS[kind] as fc.Arbitrary<never>)),
        fc.constantFrom('json' as const, 'msgpack' as const),
        ([kind, message], codec) => {
          const bytes = encodeMessage(kind as MessageKind, message, { codec });
          for (let cut = 0; cut < bytes.byteLength; cut++) {
            expect(decodeMessage(kind as MessageKind, bytes.subarray(0, cut)).ok).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses oversized payloads before parsing them', () => {
    const huge = encoder.encode(
      `{"playerId":"p1","t":1,"x":1,"y":2,"z":3,"pad":"${'x'.repeat(2000)}"}`,
    );
    const result = decodeMessage('pos', huge);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('TOO_LARGE');
      expect(result.error.message).toBe(
        `pos message is ${huge.byteLength} bytes (limit ${MAX_MESSAGE_BYTES.pos})`,
      );
    }
    expect(decodeMessage('pos', huge, { maxBytes: 4096 }).ok).toBe(true);
  });

  it('explains each failure with a typed code', () => {
    const cases: [string | Uint8Array, string][] = [
      ['', 'EMPTY'],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'INVALID_UTF8'],
      ['{"playerId":', 'INVALID_JSON'],
      [new Uint8Array([0xc1]), 'INVALID_MSGPACK'],
      ['{"playerId":"p1"}', 'INVALID_MESSAGE'],
    ];
    for (const [payload, code] of cases) {
      const result = decodeMessage('pos', payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(code);
    }
  });

  it('names the field that is wrong', () => {
    const result = decodeMessage('checkpoint', '{"playerId":"p1","cp":"five","ts":1724312355.8}');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/^invalid checkpoint message at cp: /);
      expect(result.error.issues[0]?.path).toEqual(['cp']);
    }
  });

  it('drops unknown fields from newer clients instead of refusing the message', () => {
    const result = decodeMessage(
      'pos',
      '{"playerId":"p1","t":1,"x":1,"y":2,"z":3,"futureField":[1,2]}',
    );
    expect(result).toEqual({ ok: true, value: { playerId: 'p1', t: 1, x: 1, y: 2, z: 3 } });
  });

  it('never lets __proto__ in a payload reach the decoded object prototype', () => {
    const result = decodeMessage(
      'pos',
      '{"playerId":"p1","t":1,"x":1,"y":2,"z":3,"__proto__":{"polluted":1}}',
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.value as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('decodeTopicMessage', () => {
  it('picks the kind from the topic and checks the ids against it', () => {
    const pos = '{"playerId":"p1","t":1724312355.8,"x":1,"y":2,"z":3}';
    const good = decodeTopicMessage('race/abc123/pos/p1', pos);
    expect(good.ok && good.value.kind).toBe('pos');

    const spoofed = decodeTopicMessage('race/abc123/pos/p2', pos);
    expect(spoofed.ok).toBe(false);
    if (!spoofed.ok) {
      expect(spoofed.error.code).toBe('TOPIC_MISMATCH');
      expect(spoofed.error.message).toBe(
        'pos message for player "p1" arrived on race/abc123/pos/p2',
      );
    }

    const otherRace = decodeTopicMessage(
      'race/abc123/checkpoints',
      '{"raceId":"zzz","playerId":"p1","cp":1,"ts":1724312355.8}',
    );
    expect(!otherRace.ok && otherRace.error.code).toBe('TOPIC_MISMATCH');

    const badTopic = decodeTopicMessage('race/abc123/nope', pos);
    expect(!badTopic.ok && badTopic.error.code).toBe('INVALID_TOPIC');
  });
});
