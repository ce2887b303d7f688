import { describe, expect, it } from 'vitest';
import { decodeTopicMessage, lastWill, ProtocolError, sniffCodec, TOPIC_SETTINGS } from '../index';

describe('lastWill', () => {
  it('is the presence "disconnected" message on the race presence topic, QoS and retain from the table', () => {
    const will = lastWill('abc123', 'p1');
    expect(will.topic).toBe('race/abc123/presence');
    expect(will.qos).toBe(TOPIC_SETTINGS.presence.qos);
    expect(will.qos).toBe(1);
    expect(will.retain).toBe(TOPIC_SETTINGS.presence.retain);
    expect(will.retain).toBe(false);
    expect(new TextDecoder().decode(will.payload)).toBe('{"playerId":"p1","event":"disconnected"}');
    const decoded = decodeTopicMessage(will.topic, will.payload);
    expect(decoded.ok && decoded.value).toMatchObject({
      kind: 'presence',
      message: { playerId: 'p1', event: 'disconnected' },
    });
  });

  it('carries the mode when given, and encodes as MessagePack on request', () => {
    const will = lastWill('abc123', 'viewer-7', { mode: 'spectator', codec: 'msgpack' });
    expect(sniffCodec(will.payload)).toBe('msgpack');
    const decoded = decodeTopicMessage(will.topic, will.payload);
    expect(decoded.ok && decoded.value.message).toEqual({
      playerId: 'viewer-7',
      event: 'disconnected',
      mode: 'spectator',
    });
  });

  it('throws a ProtocolError for a bad race or player id', () => {
    expect(() => lastWill('abc/123', 'p1')).toThrow(
      expect.objectContaining({ name: 'ProtocolError', code: 'INVALID_ID' }),
    );
    expect(() => lastWill('abc123', 'p+1')).toThrow(ProtocolError);
    expect(() => lastWill('abc123', '')).toThrow(/player id "" is empty/);
  });
});
