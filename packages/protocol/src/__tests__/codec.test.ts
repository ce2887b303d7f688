import { encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTopic,
  CHANNELS,
  decodeMessage,
  decodeTopicMessage,
  encodeMessage,
  MAX_FLAG_DATA_DEPTH,
  MAX_MESSAGE_BYTES,
  MESSAGE_KINDS,
  type MessageKind,
  PROTOCOL_ERROR_CODES,
  sniffCodec,
  TOPIC_SETTINGS,
  validateMessage,
} from '../index';
import { idArb, MESSAGE_ARBS, mumblePosArb } from './arbitraries';

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

  it('refuses an oversized string before encoding it to bytes', () => {
    const text = `{"playerId":"p1","t":1,"x":1,"y":2,"z":3,"pad":"${'x'.repeat(2000)}"}`;
    const result = decodeMessage('pos', text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('TOO_LARGE');
      expect(result.error.message).toBe(
        `pos message is ${text.length} characters, over the limit of ${MAX_MESSAGE_BYTES.pos} bytes`,
      );
    }
    // Short in characters, long in UTF-8 bytes: the byte check still refuses it.
    const wide = `{"playerId":"p1","t":1,"x":1,"y":2,"z":3,"pad":"${'é'.repeat(600)}"}`;
    expect(wide.length).toBeLessThan(MAX_MESSAGE_BYTES.pos);
    const wideResult = decodeMessage('pos', wide);
    expect(!wideResult.ok && wideResult.error.message).toMatch(
      /^pos message is \d+ bytes \(limit 1024\)$/,
    );
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

  it('refuses JSON that is not an object, and MessagePack that is not a map, as NOT_AN_OBJECT', () => {
    const payloads: (string | Uint8Array)[] = [
      '[1,2]',
      'null',
      '42',
      '-1',
      '"x"',
      'true',
      'false',
      ' \n [ ]',
      '\uFEFF[1]',
      encodeMsgpack([1, 2]),
      encodeMsgpack('x'),
      encodeMsgpack(42),
      encodeMsgpack(null),
    ];
    for (const payload of payloads) {
      const result = decodeMessage('pos', payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code, String(payload)).toBe('NOT_AN_OBJECT');
        expect(result.error.message).toMatch(
          /^pos message must be a JSON object or a MessagePack map, but its first byte is 0x[0-9A-F]{2}/,
        );
      }
    }
    const array = decodeMessage('presence', '[1,2]');
    expect(!array.ok && array.error.message).toBe(
      'presence message must be a JSON object or a MessagePack map, but its first byte is 0x5B ("[")',
    );
  });

  it('skips a UTF-8 byte order mark before JSON', () => {
    const json = '{"playerId":"p1","t":1724312355.8,"x":1,"y":2,"z":3}';
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(json)]);
    expect(sniffCodec(bom)).toBe('json');
    const expected = { ok: true, value: { playerId: 'p1', t: 1724312355.8, x: 1, y: 2, z: 3 } };
    expect(decodeMessage('pos', bom)).toEqual(expected);
    expect(decodeMessage('pos', `\uFEFF ${json}`)).toEqual(expected);
    expect(decodeTopicMessage('race/abc123/pos/p1', bom).ok).toBe(true);
  });

  it('names the field that is wrong in a union: presence and track checkpoints', () => {
    const cases: [MessageKind, string, string][] = [
      [
        'presence',
        '{"playerId":"p1","event":"dance"}',
        'invalid presence message at event: Invalid option: expected one of "join"|"ready"|"heartbeat"|"leave"|"disconnected"',
      ],
      [
        'presence',
        '{"playerId":"p1"}',
        'invalid presence message: a presence message needs an "event" (join, ready, heartbeat, leave, disconnected), a "status", or both',
      ],
      [
        'presence',
        '{"status":"ready"}',
        'invalid presence message at playerId: Invalid input: expected string, received undefined',
      ],
      [
        'state',
        '{"raceId":"a","trackId":"t","checkpoints":[{"id":1,"x":0,"y":0,"z":0}]}',
        'invalid state message at checkpoints.0.r: Invalid input: expected number, received undefined',
      ],
      [
        'state',
        '{"raceId":"a","trackId":"t","checkpoints":[{"id":1,"kind":"gate","a":{"x":0,"y":0,"z":0}}]}',
        'invalid state message at checkpoints.0.b: Invalid input: expected object, received undefined',
      ],
    ];
    for (const [kind, payload, message] of cases) {
      const result = decodeMessage(kind, payload);
      expect(result.ok ? 'accepted' : result.error.message).toBe(message);
      if (!result.ok) expect(result.error.issues[0]?.code).toBe('invalid_union');
    }
  });

  it('bounds how deeply flag data nests, so the evidence can always be serialized', () => {
    const flag = (data: string) =>
      `{"playerId":"p3","kind":"speed","severity":"info","t":1724312371.2,"message":"m","data":${data}}`;
    const nested = (levels: number) =>
      `${'{"d":'.repeat(levels - 1)}{"v":1}${'}'.repeat(levels - 1)}`;
    const deepest = decodeMessage('flag', flag(nested(MAX_FLAG_DATA_DEPTH)));
    expect(deepest.ok).toBe(true);
    if (deepest.ok) expect(JSON.parse(JSON.stringify(deepest.value))).toEqual(deepest.value);

    const tooDeep = decodeMessage('flag', flag(nested(MAX_FLAG_DATA_DEPTH + 1)));
    expect(!tooDeep.ok && tooDeep.error.message).toBe(
      `invalid flag message at data: flag data nests objects and arrays more than ${MAX_FLAG_DATA_DEPTH} levels deep`,
    );
    // 30,000 nested arrays fit in the 64 KiB limit; JSON.stringify of them would overflow the stack.
    const hostile = flag(`{"d":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
    expect(hostile.length).toBeLessThan(MAX_MESSAGE_BYTES.flag);
    const hostileResult = decodeMessage('flag', hostile);
    expect(!hostileResult.ok && hostileResult.error.code).toBe('INVALID_MESSAGE');
    // The same in MessagePack: `data: {d: null}` last, its nil (0xC0) replaced by nested arrays.
    const shallow = encodeMsgpack({
      playerId: 'p3',
      kind: 'speed',
      severity: 'info',
      t: 1,
      message: 'm',
      data: { d: null },
    });
    expect(shallow[shallow.byteLength - 1]).toBe(0xc0);
    const packed = new Uint8Array([
      ...shallow.subarray(0, -1),
      ...new Uint8Array(20_000).fill(0x91),
      0x90,
    ]);
    const packedResult = decodeMessage('flag', packed);
    expect(!packedResult.ok && packedResult.error.code).toBe('INVALID_MESSAGE');

    const cyclic: Record<string, unknown> = { speed: 41 };
    cyclic.self = cyclic;
    const value = { playerId: 'p3', kind: 'speed', severity: 'info', t: 1, message: 'm' };
    expect(validateMessage('flag', { ...value, data: cyclic }).ok).toBe(false);
    expect(validateMessage('flag', { ...value, data: { a: [1, { b: null }] } }).ok).toBe(true);
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

const typedCodes = Object.keys(PROTOCOL_ERROR_CODES);

/** Topics: valid ones of every channel, near misses, and arbitrary strings. */
const topicArb = fc.oneof(
  fc
    .tuple(idArb, idArb, fc.constantFrom(...CHANNELS))
    .map(([raceId, playerId, channel]) =>
      TOPIC_SETTINGS[channel].perPlayer
        ? buildTopic(raceId, channel as 'pos', playerId)
        : buildTopic(raceId, channel as 'state'),
    ),
  fc
    .array(fc.constantFrom('race', 'abc123', 'pos', 'p1', 'state', '+', '#', '', 'constructor'), {
      maxLength: 5,
    })
    .map((parts) => parts.join('/')),
  fc.string({ maxLength: 80 }),
);

/** Values MessagePack can encode, of any shape (fc.anything), encoded. */
const msgpackAnythingArb = fc.anything({ maxDepth: 4, withNullPrototype: true }).map((value) => {
  try {
    return encodeMsgpack(value, { ignoreUndefined: true });
  } catch {
    return encodeMsgpack(String(value));
  }
});

describe('untrusted topics and payloads, together', () => {
  it('decodeTopicMessage never throws on random topics and bytes', () => {
    fc.assert(
      fc.property(
        topicArb,
        fc.oneof(fc.uint8Array({ maxLength: 300 }), msgpackAnythingArb, fc.json()),
        (topic, payload) => {
          const result = decodeTopicMessage(topic, payload);
          if (!result.ok) expect(typedCodes).toContain(result.error.code);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('decodeMessage never throws on MessagePack-encoded values of any shape', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGE_KINDS), msgpackAnythingArb, (kind, bytes) => {
        const result = decodeMessage(kind, bytes);
        if (!result.ok) expect(typedCodes).toContain(result.error.code);
      }),
      { numRuns: 3000 },
    );
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
