import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTopic, createMessageVerifier, createSyncSigning, encodeMessage } from '../index';

const signing = createSyncSigning((key, data) => createHmac('sha256', key).update(data).digest());
// The README's test vector: race key 00..1f, player p1, a checkpoint on race/abc123/checkpoints.
const raceKey = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
);
const keys = new Map(['p1', 'p2'].map((id) => [id, signing.derivePlayerKey(raceKey, id)]));
const vectorTopic = 'race/abc123/checkpoints';
const vectorPayload = new TextEncoder().encode(
  '{"raceId":"abc123","playerId":"p1","cp":5,"ts":1724312355.842,"seq":3,"sig":"w8DaNPwkseie62-EwgSsVsfqiISqf1TyFSyspena4-M"}',
);

function verifier() {
  return createMessageVerifier({
    signing,
    keyOf: (id) => keys.get(id),
    players: () => keys.keys(),
  });
}

const pos = (playerId: string, seq: number, t = 1724312355 + seq / 10) =>
  signing.encodeSigned(
    'pos',
    buildTopic('abc123', 'pos', playerId),
    { playerId, t, x: 1, y: 2, z: 3 },
    seq,
    keys.get(playerId) as Uint8Array,
    { codec: 'msgpack' },
  );

describe('verifying a closed race’s messages', () => {
  it('accepts the README test vector, and refuses it when sent again after a newer one', () => {
    const v = verifier();
    const first = v.verify(vectorTopic, vectorPayload);
    expect(first).toMatchObject({ ok: true, playerId: 'p1', seq: 3, duplicate: false });
    const newer = signing.encodeSigned(
      'checkpoint',
      vectorTopic,
      { raceId: 'abc123', playerId: 'p1', cp: 6, ts: 1724312360 },
      200,
      keys.get('p1') as Uint8Array,
    );
    expect(v.verify(vectorTopic, newer).ok).toBe(true);
    // Seen recently: a QoS 1 redelivery, passed on as a duplicate, not flagged.
    expect(v.verify(vectorTopic, vectorPayload)).toMatchObject({ ok: true, duplicate: true });
  });

  it('refuses a replay: a seq below the last that is no recent redelivery', () => {
    const v = createMessageVerifier({
      signing,
      keyOf: (id) => keys.get(id),
      players: () => keys.keys(),
      window: 2,
    });
    expect(v.verify(vectorTopic, vectorPayload).ok).toBe(true);
    for (const seq of [10, 11, 12]) {
      const message = signing.encodeSigned(
        'checkpoint',
        vectorTopic,
        { raceId: 'abc123', playerId: 'p1', cp: seq, ts: 1724312360 },
        seq,
        keys.get('p1') as Uint8Array,
      );
      expect(v.verify(vectorTopic, message).ok).toBe(true);
    }
    expect(v.verify(vectorTopic, vectorPayload)).toEqual({
      ok: false,
      reason: 'replayed',
      playerId: 'p1',
      detail: 'seq 3 again (last 12)',
    });
  });

  it('refuses unsigned, forged (another player’s key), unknown senders and altered bytes', () => {
    const v = verifier();
    const unsigned = encodeMessage('checkpoint', {
      raceId: 'abc123',
      playerId: 'p1',
      cp: 5,
      ts: 1,
      seq: 4,
    });
    expect(v.verify(vectorTopic, unsigned)).toMatchObject({
      ok: false,
      reason: 'unsigned',
      playerId: 'p1',
    });
    const asP1ByP2 = signing.encodeSigned(
      'checkpoint',
      vectorTopic,
      { raceId: 'abc123', playerId: 'p1', cp: 5, ts: 1 },
      9,
      keys.get('p2') as Uint8Array,
    );
    expect(v.verify(vectorTopic, asP1ByP2)).toMatchObject({
      ok: false,
      reason: 'forged',
      playerId: 'p1',
    });
    const mallory = encodeMessage('checkpoint', {
      raceId: 'abc123',
      playerId: 'mallory',
      cp: 5,
      ts: 1,
    });
    expect(v.verify(vectorTopic, mallory)).toMatchObject({ ok: false, reason: 'unknown-sender' });
    const altered = new TextDecoder().decode(vectorPayload).replace('"cp":5', '"cp":9');
    expect(v.verify(vectorTopic, new TextEncoder().encode(altered))).toMatchObject({
      ok: false,
      reason: 'forged',
    });
  });

  it('refuses a message moved to another topic, and says where it was signed', () => {
    const v = verifier();
    // p1's own position, published on p2's topic (the body still names p1).
    expect(v.verify(buildTopic('abc123', 'pos', 'p2'), pos('p1', 5))).toMatchObject({
      ok: false,
      reason: 'moved',
      detail: 'signed for race/abc123/pos/p1, not race/abc123/pos/p2',
    });
    // The genuine messages on their own topics still pass.
    const request = signing.encodeSigned(
      'request',
      buildTopic('abc123', 'request'),
      { playerId: 'p1', want: 'state' },
      7,
      keys.get('p1') as Uint8Array,
    );
    expect(v.verify(buildTopic('abc123', 'request'), request).ok).toBe(true);
    expect(v.verify(buildTopic('abc123', 'pos', 'p1'), pos('p1', 6)).ok).toBe(true);
  });

  it('takes a last will signed at connect time after newer messages, once', () => {
    const v = verifier();
    const topic = buildTopic('abc123', 'presence');
    const presence = (event: 'heartbeat' | 'disconnected', seq: number) =>
      signing.encodeSigned(
        'presence',
        topic,
        { playerId: 'p1', event },
        seq,
        keys.get('p1') as Uint8Array,
      );
    const will = presence('disconnected', 100);
    expect(v.verify(topic, presence('heartbeat', 101)).ok).toBe(true);
    expect(v.verify(topic, presence('heartbeat', 102)).ok).toBe(true);
    expect(v.verify(topic, will)).toMatchObject({ ok: true, duplicate: false });
    expect(v.verify(topic, will)).toMatchObject({ ok: true, duplicate: true });
  });
});

describe('topics that are never redelivered (QoS 0)', () => {
  it('refuses a position or ping seen again at once, even the latest', () => {
    const v = verifier();
    const topic = buildTopic('abc123', 'pos', 'p1');
    const first = pos('p1', 50);
    expect(v.verify(topic, first).ok).toBe(true);
    expect(v.verify(topic, pos('p1', 51)).ok).toBe(true);
    expect(v.verify(topic, first)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(v.verify(topic, pos('p1', 51))).toMatchObject({ ok: false, reason: 'replayed' });
  });
});
