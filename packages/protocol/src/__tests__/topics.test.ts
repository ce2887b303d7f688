import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTopic,
  CHANNELS,
  isProtocolError,
  ProtocolError,
  parseId,
  parseTopic,
  TOPIC_SETTINGS,
  topicFilter,
} from '../index';
import { idArb } from './arbitraries';

describe('topics', () => {
  it('builds the spec topics', () => {
    expect(buildTopic('abc123', 'state')).toBe('race/abc123/state');
    expect(buildTopic('abc123', 'control')).toBe('race/abc123/control');
    expect(buildTopic('abc123', 'checkpoints')).toBe('race/abc123/checkpoints');
    expect(buildTopic('abc123', 'pos', 'p1')).toBe('race/abc123/pos/p1');
    expect(topicFilter('abc123')).toBe('race/abc123/#');
    expect(topicFilter('abc123', 'pos')).toBe('race/abc123/pos/+');
    expect(topicFilter('abc123', 'ranking')).toBe('race/abc123/ranking');
  });

  it('round-trips every channel', () => {
    fc.assert(
      fc.property(idArb, idArb, fc.constantFrom(...CHANNELS), (raceId, playerId, channel) => {
        const topic = TOPIC_SETTINGS[channel].perPlayer
          ? buildTopic(raceId, channel as 'pos', playerId)
          : buildTopic(raceId, channel as 'state');
        const parsed = parseTopic(topic);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) {
          expect(parsed.value.raceId).toBe(raceId);
          expect(parsed.value.channel).toBe(channel);
          if (TOPIC_SETTINGS[channel].perPlayer) expect(parsed.value.playerId).toBe(playerId);
        }
      }),
    );
  });

  it('never throws on hostile topics and never accepts wildcards', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc
            .array(
              fc.constantFrom('race', 'abc', 'pos', 'p1', '+', '#', '', '..', 'state', '\u0000'),
              {
                maxLength: 6,
              },
            )
            .map((parts) => parts.join('/')),
        ),
        (topic) => {
          const parsed = parseTopic(topic);
          if (parsed.ok) expect(['+', '#', '\u0000'].some((c) => topic.includes(c))).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
    expect(parseTopic(42).ok).toBe(false);
    expect(parseTopic('race/abc123/pos').ok).toBe(false);
    expect(parseTopic('race/abc123/state/extra').ok).toBe(false);
    expect(parseTopic(`race/${'a'.repeat(300)}/state`).ok).toBe(false);
  });

  it('explains what is wrong with an id', () => {
    const messages = ['', 'a/b', 'a+', '#', 'café', '-lead', 'x'.repeat(65)].map((id) => {
      const result = parseId('race id', id);
      return result.ok ? 'ok' : result.error.message;
    });
    expect(messages).toEqual([
      'race id "" is empty: use 1-64 letters, digits, ".", "_" or "-"',
      'race id "a/b" contains "/", which MQTT topics reserve: use 1-64 letters, digits, ".", "_" or "-"',
      'race id "a+" contains "+", which MQTT topics reserve: use 1-64 letters, digits, ".", "_" or "-"',
      'race id "#" contains "#", which MQTT topics reserve: use 1-64 letters, digits, ".", "_" or "-"',
      'race id "café" contains "é": use 1-64 letters, digits, ".", "_" or "-"',
      'race id "-lead" must start with a letter or digit: use 1-64 letters, digits, ".", "_" or "-"',
      `race id "${'x'.repeat(65)}" is 65 characters long (at most 64): use 1-64 letters, digits, ".", "_" or "-"`,
    ]);
  });

  it('throws a ProtocolError when the program builds a topic from a bad id', () => {
    expect(() => buildTopic('spring/cup', 'state')).toThrow(ProtocolError);
    expect(() => buildTopic('ok', 'pos', 'bad id')).toThrow(
      expect.objectContaining({ name: 'ProtocolError', code: 'INVALID_ID' }),
    );
    let thrown: unknown;
    try {
      buildTopic('ok', 'pos', 'bad id');
    } catch (error) {
      thrown = error;
    }
    expect(isProtocolError(thrown)).toBe(true);
  });

  it('refuses channels that are not in the table, including Object.prototype names', () => {
    for (const channel of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope']) {
      expect(() => buildTopic('abc123', channel as 'state'), channel).toThrow(
        expect.objectContaining({
          code: 'INVALID_TOPIC',
          message: `unknown channel ${JSON.stringify(channel)}`,
        }),
      );
      expect(() => topicFilter('abc123', channel as 'state'), channel).toThrow(ProtocolError);
      expect(parseTopic(`race/abc123/${channel}`).ok, channel).toBe(false);
    }
  });

  it('says how each channel travels', () => {
    expect(TOPIC_SETTINGS.pos).toMatchObject({ qos: 0, retain: false, queueOffline: false });
    expect(TOPIC_SETTINGS.state).toMatchObject({ qos: 1, retain: true });
    expect(TOPIC_SETTINGS.checkpoints.qos).toBe(1);
    expect(TOPIC_SETTINGS.control.qos).toBe(1);
  });
});
