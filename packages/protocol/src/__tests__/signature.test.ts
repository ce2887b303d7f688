import { createHmac } from 'node:crypto';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTopic,
  createSequenceTracker,
  createSyncSigning,
  decodeMessage,
  decodeVerifiedMessage,
  derivePlayerKey,
  encodeMessage,
  encodeSignedMessage,
  importSigningKey,
  MAX_MESSAGE_BYTES,
  MAX_SIGNATURE_OVERHEAD,
  PROTOCOL_ERROR_CODES,
  signMessage,
  splitSignature,
  verifyMessage,
} from '../index';
import { idArb, mumblePosArb } from './arbitraries';

const raceKey = new Uint8Array(32).map((_, i) => i * 7 + 1);
const topic = buildTopic('abc123', 'pos', 'p1');
const pos = { playerId: 'p1', t: 1724312355.842, x: 101.5, y: 20.25, z: -33, v: 21.5 };

/** The README's scheme, computed with node:crypto and string operations only. */
function independentJsonSignature(key: Buffer, topicText: string, json: string): string {
  const mac = createHmac('sha256', key).update(`${topicText}\n${json}`, 'utf8').digest('base64url');
  return `${json.slice(0, -1)},"sig":"${mac}"}`;
}

describe('signatures', () => {
  it('derives player keys as the README says', async () => {
    const derived = await derivePlayerKey(raceKey, 'p1');
    const expected = createHmac('sha256', raceKey).update('gw2race/v1/player/p1').digest();
    expect(Buffer.from(derived).equals(expected)).toBe(true);
  });

  it('signs JSON byte-exactly like an independent implementation', async () => {
    const key = await derivePlayerKey(raceKey, 'p1');
    const wire = await encodeSignedMessage('pos', topic, pos, 42, key);
    const json = JSON.stringify({ ...pos, seq: 42 });
    expect(new TextDecoder().decode(wire)).toBe(
      independentJsonSignature(Buffer.from(key), topic, json),
    );
  });

  it('verifies a JSON message signed by an independent implementation', async () => {
    const key = await derivePlayerKey(raceKey, 'p1');
    const json = '{"playerId":"p1","t":1724312355.842,"x":1,"y":2,"z":3,"seq":7}';
    const wire = new TextEncoder().encode(independentJsonSignature(Buffer.from(key), topic, json));
    const result = await decodeVerifiedMessage(topic, wire, key);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.seq).toBe(7);
      expect(result.value.message.message).toEqual({
        playerId: 'p1',
        t: 1724312355.842,
        x: 1,
        y: 2,
        z: 3,
        seq: 7,
      });
    }
  });

  it('signs MessagePack as the message followed by bin8(MAC)', async () => {
    const key = await derivePlayerKey(raceKey, 'p1');
    const wire = await encodeSignedMessage('pos', topic, pos, 9, key, { codec: 'msgpack' });
    const unsigned = encodeMessage('pos', { ...pos, seq: 9 }, { codec: 'msgpack' });
    const mac = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(`${topic}\n`), unsigned]))
      .digest();
    expect(
      Buffer.from(wire).equals(Buffer.concat([unsigned, Buffer.from([0xc4, 0x20]), mac])),
    ).toBe(true);
    expect((await decodeVerifiedMessage(topic, wire, key)).ok).toBe(true);
    // Readers that ignore signatures still decode it.
    expect(decodeMessage('pos', wire).ok).toBe(true);
  });

  it('refuses tampered bytes, another topic, another key, and unsigned messages', async () => {
    const key = await importSigningKey(await derivePlayerKey(raceKey, 'p1'));
    const otherKey = await derivePlayerKey(raceKey, 'p2');
    const wire = await encodeSignedMessage('pos', topic, pos, 1, key);

    const tampered = wire.slice();
    tampered[20] = tampered[20] === 0x31 ? 0x32 : 0x31;
    const codes = await Promise.all([
      verifyMessage(topic, tampered, key),
      verifyMessage(buildTopic('abc123', 'pos', 'p2'), wire, key),
      verifyMessage(topic, wire, otherKey),
      verifyMessage(topic, encodeMessage('pos', pos), key),
    ]);
    expect(codes.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'BAD_SIGNATURE',
      'BAD_SIGNATURE',
      'BAD_SIGNATURE',
      'MISSING_SIGNATURE',
    ]);
  });

  it('requires a sequence number on signed messages', async () => {
    const key = await derivePlayerKey(raceKey, 'p1');
    const wire = await signMessage(topic, encodeMessage('pos', pos), key);
    const result = await decodeVerifiedMessage(topic, wire, key);
    expect(!result.ok && result.error.code).toBe('MISSING_SEQUENCE');
  });

  it('refuses an empty key with a clear error', async () => {
    await expect(importSigningKey(new Uint8Array(0))).rejects.toThrow(
      'a signing key cannot be empty',
    );
    const topic = buildTopic('abc123', 'pos', 'p1');
    const wire = await signMessage(
      topic,
      encodeMessage('pos', { ...pos, seq: 1 }),
      await derivePlayerKey(raceKey, 'p1'),
    );
    await expect(decodeVerifiedMessage(topic, wire, new Uint8Array(0))).rejects.toThrow(
      'a signing key cannot be empty',
    );
  });

  it('round-trips any position in both codecs', async () => {
    const key = await importSigningKey(await derivePlayerKey(raceKey, 'p1'));
    await fc.assert(
      fc.asyncProperty(
        mumblePosArb,
        fc.nat(),
        fc.constantFrom('json' as const, 'msgpack' as const),
        async (m, seq, codec) => {
          const t = buildTopic('abc123', 'pos', m.playerId);
          const wire = await encodeSignedMessage('pos', t, m, seq, key, { codec });
          const result = await decodeVerifiedMessage(t, wire, key);
          if (!result.ok) throw result.error;
          expect(result.value.message.message).toEqual({ ...m, seq });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses an oversized signed payload before hashing it', async () => {
    const key = await importSigningKey(await derivePlayerKey(raceKey, 'p1'));
    // Exactly the pos limit before signing: accepted with its signature.
    const base = '{"playerId":"p1","t":1724312355.842,"x":1,"y":2,"z":3,"seq":5,"pad":""}';
    const atLimit = base.replace(
      '"pad":""',
      `"pad":"${'x'.repeat(MAX_MESSAGE_BYTES.pos - base.length)}"`,
    );
    expect(atLimit.length).toBe(MAX_MESSAGE_BYTES.pos);
    const signed = await signMessage(topic, new TextEncoder().encode(atLimit), key);
    expect(signed.byteLength).toBe(MAX_MESSAGE_BYTES.pos + MAX_SIGNATURE_OVERHEAD);
    expect((await decodeVerifiedMessage(topic, signed, key)).ok).toBe(true);

    // One byte more: refused without touching the key (an unusable one would make WebCrypto throw).
    const over = await signMessage(
      topic,
      new TextEncoder().encode(atLimit.replace('"pad":"', '"pad":"x')),
      key,
    );
    const unusableKey = {} as CryptoKey;
    const result = await decodeVerifiedMessage(topic, over, unusableKey);
    expect(!result.ok && result.error.code).toBe('TOO_LARGE');
    expect(!result.ok && result.error.message).toBe(
      `signed pos message is ${over.byteLength} bytes (limit ${MAX_MESSAGE_BYTES.pos + MAX_SIGNATURE_OVERHEAD} with its signature)`,
    );
    // maxBytes raises the limit for the signed payload too.
    expect((await decodeVerifiedMessage(topic, over, key, { maxBytes: 2048 })).ok).toBe(true);
    // A bad topic is refused first as well.
    const badTopic = await decodeVerifiedMessage('race/abc123/nope', over, unusableKey);
    expect(!badTopic.ok && badTopic.error.code).toBe('INVALID_TOPIC');
  });

  it('decodeVerifiedMessage never throws on random topics and bytes, signed or not', async () => {
    const key = await importSigningKey(await derivePlayerKey(raceKey, 'p1'));
    const codes = Object.keys(PROTOCOL_ERROR_CODES);
    const topicArb = fc.oneof(
      idArb.map((id) => buildTopic('abc123', 'pos', id)),
      fc.constantFrom(
        'race/abc123/checkpoints',
        'race/abc123/presence',
        'race/abc123/flags',
        'race/abc123/pong/p1',
        'race/abc123/pos',
        'race/+/pos/p1',
        'race/abc123/constructor',
      ),
      fc.string({ maxLength: 60 }),
    );
    const payloadArb = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.anything({ maxDepth: 3 }).map((value) => {
        try {
          return encodeMsgpack(value, { ignoreUndefined: true });
        } catch {
          return encodeMsgpack(String(value));
        }
      }),
      fc.json().map((text) => new TextEncoder().encode(text)),
    );
    await fc.assert(
      fc.asyncProperty(topicArb, payloadArb, fc.boolean(), async (t, bytes, sign) => {
        // Signing random bytes with the right key gets them past the signature to the decoder.
        let payload: Uint8Array = bytes;
        if (sign) {
          try {
            payload = await signMessage(t, bytes, key);
          } catch {
            // signMessage refuses JSON-looking bytes that do not end with "}": send them unsigned.
          }
        }
        const result = await decodeVerifiedMessage(t, payload, key);
        if (!result.ok) expect(codes).toContain(result.error.code);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when splitting hostile payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const split = splitSignature(bytes);
        expect(split.mac === null || split.mac.byteLength === 32).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sequence numbers', () => {
  it('accepts increasing numbers, recognises redeliveries and refuses replays', () => {
    const tracker = createSequenceTracker(4);
    const verdicts = [1, 2, 5, 5, 3, 6, 7, 8, 9, 2].map((seq) => tracker.check('p1:pos', seq));
    expect(verdicts).toEqual([
      'new',
      'new',
      'new',
      'duplicate',
      'replayed',
      'new',
      'new',
      'new',
      'new',
      'replayed',
    ]);
    expect(tracker.last('p1:pos')).toBe(9);
    expect(tracker.check('p2:pos', 0)).toBe('new');
    tracker.reset('p1:pos');
    expect(tracker.check('p1:pos', 1)).toBe('new');
  });
});

describe('the README test vector', () => {
  it('matches byte for byte', async () => {
    const readmeRaceKey = new Uint8Array(32).map((_, i) => i);
    const playerKey = await derivePlayerKey(readmeRaceKey, 'p1');
    expect(Buffer.from(playerKey).toString('hex')).toBe(
      'e25c3c85b271dd8a1e1f287ed31dde36cdc156ed0faa9ce6a942f749836ab061',
    );
    const message = '{"raceId":"abc123","playerId":"p1","cp":5,"ts":1724312355.842,"seq":3}';
    const wire = await signMessage(
      'race/abc123/checkpoints',
      new TextEncoder().encode(message),
      playerKey,
    );
    expect(new TextDecoder().decode(wire)).toBe(
      '{"raceId":"abc123","playerId":"p1","cp":5,"ts":1724312355.842,"seq":3,"sig":"w8DaNPwkseie62-EwgSsVsfqiISqf1TyFSyspena4-M"}',
    );
  });
});

describe('synchronous signing (createSyncSigning)', () => {
  const signing = createSyncSigning((key, data) => createHmac('sha256', key).update(data).digest());
  const vectorRaceKey = Buffer.from(
    '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    'hex',
  );
  const vectorTopic = 'race/abc123/checkpoints';
  const vectorMessage = '{"raceId":"abc123","playerId":"p1","cp":5,"ts":1724312355.842,"seq":3}';
  const vectorPayload =
    '{"raceId":"abc123","playerId":"p1","cp":5,"ts":1724312355.842,"seq":3,"sig":"w8DaNPwkseie62-EwgSsVsfqiISqf1TyFSyspena4-M"}';

  it('derives the README test vector key and signs its payload byte for byte', () => {
    const key = signing.derivePlayerKey(vectorRaceKey, 'p1');
    expect(Buffer.from(key).toString('hex')).toBe(
      'e25c3c85b271dd8a1e1f287ed31dde36cdc156ed0faa9ce6a942f749836ab061',
    );
    const payload = signing.sign(vectorTopic, new TextEncoder().encode(vectorMessage), key);
    expect(new TextDecoder().decode(payload)).toBe(vectorPayload);
  });

  it('verifies the README payload, and refuses it moved to another topic or altered', () => {
    const key = signing.derivePlayerKey(vectorRaceKey, 'p1');
    const payload = new TextEncoder().encode(vectorPayload);
    const verified = signing.verify(vectorTopic, payload, key);
    expect(verified.ok && new TextDecoder().decode(verified.value)).toBe(vectorMessage);
    const moved = signing.verify('race/abc123/presence', payload, key);
    expect(!moved.ok && moved.error.code).toBe('BAD_SIGNATURE');
    const altered = new TextEncoder().encode(vectorPayload.replace('"cp":5', '"cp":6'));
    expect(signing.verify(vectorTopic, altered, key).ok).toBe(false);
    const unsigned = signing.verify(vectorTopic, new TextEncoder().encode(vectorMessage), key);
    expect(!unsigned.ok && unsigned.error.code).toBe('MISSING_SIGNATURE');
  });

  it('agrees with the WebCrypto functions on any position, JSON and MessagePack (property)', async () => {
    const key = await derivePlayerKey(raceKey, 'p1');
    await fc.assert(
      fc.asyncProperty(
        mumblePosArb,
        fc.integer({ min: 0, max: 2 ** 48 }),
        fc.constantFrom('json' as const, 'msgpack' as const),
        async (message, seq, codec) => {
          const sync = signing.encodeSigned('pos', topic, message, seq, key, { codec });
          const webCrypto = await encodeSignedMessage('pos', topic, message, seq, key, { codec });
          expect(Buffer.from(sync).equals(Buffer.from(webCrypto))).toBe(true);
          expect((await verifyMessage(topic, sync, key)).ok).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
