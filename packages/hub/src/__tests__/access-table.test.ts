import { describe, expect, it } from 'vitest';
import { decideAccess, RACE_ACCESS_RULES } from '../access-table';
import type { Principal } from '../principal';
import { filterCovers } from '../topic-match';

const host: Principal = { kind: 'host' };
const racer: Principal = { kind: 'racer', playerId: 'p1', verified: false };
const spectator: Principal = { kind: 'spectator', playerId: 's1', verified: false };
const anonymous: Principal = { kind: 'anonymous' };
const open = { raceId: 'r1', open: true };
const closed = { raceId: 'r1', open: false };

const write = (principal: Principal, topic: string, context = open, retain = false) =>
  decideAccess({ principal, action: 'write', topic, retain }, context);
const read = (principal: Principal, topic: string, context = open) =>
  decideAccess({ principal, action: 'read', topic }, context);
const reasonOf = (decision: ReturnType<typeof decideAccess>) =>
  decision.allow ? 'allowed' : decision.reason;

describe('filterCovers', () => {
  it('matches levels, + and # as MQTT does, and keeps $ topics from leading wildcards', () => {
    expect(filterCovers('race/r1/#', 'race/r1/pos/+')).toBe(true);
    expect(filterCovers('race/r1/#', 'race/r1')).toBe(true);
    expect(filterCovers('race/r1/pos/+', 'race/r1/pos/p1')).toBe(true);
    expect(filterCovers('race/r1/pos/+', 'race/r1/#')).toBe(false);
    expect(filterCovers('race/r1/pos/+', 'race/r1/pos/p1/x')).toBe(false);
    expect(filterCovers('race/r1/state', 'race/r2/state')).toBe(false);
    expect(filterCovers('#', '$SYS/broker/clients')).toBe(false);
    expect(filterCovers('$SYS/#', '$SYS/broker/clients')).toBe(true);
    expect(filterCovers('race/+/state', 'race/r1/+')).toBe(false);
  });
});

describe('the race access table', () => {
  it('keeps host channels for the host, and retaining for its state and ranking', () => {
    for (const channel of ['state', 'control', 'ranking', 'flags']) {
      for (const who of [racer, spectator, anonymous])
        expect(reasonOf(write(who, `race/r1/${channel}`))).toBe(
          `only the host publishes on ${channel}`,
        );
      expect(write(host, `race/r1/${channel}`).allow).toBe(true);
    }
    expect(reasonOf(write(racer, 'race/r1/pong/p1'))).toBe('only the host publishes on pong');
    expect(write(host, 'race/r1/pong/p1').allow).toBe(true);
    expect(write(host, 'race/r1/state', open, true).allow).toBe(true);
    expect(write(host, 'race/r1/ranking', open, true).allow).toBe(true);
    expect(reasonOf(write(host, 'race/r1/control', open, true))).toBe(
      'only the host retains messages, on the race state and ranking',
    );
    expect(reasonOf(write(racer, 'race/r1/presence', open, true))).toBe(
      'only the host retains messages, on the race state and ranking',
    );
  });

  it('lets a racer publish its own positions only, a spectator presence, pings, chat and requests', () => {
    for (const channel of ['presence', 'checkpoints', 'ping', 'chat', 'request'])
      expect(write(racer, `race/r1/${channel}`).allow).toBe(true);
    expect(write(racer, 'race/r1/pos/p1').allow).toBe(true);
    expect(reasonOf(write(racer, 'race/r1/pos/p2'))).toBe(
      'this connection sends positions for p1, not p2',
    );
    for (const channel of ['presence', 'ping', 'chat', 'request'])
      expect(write(spectator, `race/r1/${channel}`).allow).toBe(true);
    expect(reasonOf(write(racer, 'race/r1/request', open, true))).toBe(
      'only the host retains messages, on the race state and ranking',
    );
    expect(reasonOf(write(spectator, 'race/r1/checkpoints'))).toBe(
      'a spectator does not publish on checkpoints',
    );
    expect(reasonOf(write(spectator, 'race/r1/pos/s1'))).toBe(
      'a spectator does not publish on pos',
    );
  });

  it('lets an anonymous client write like a racer in an open race, and only read in a closed one', () => {
    expect(write(anonymous, 'race/r1/pos/anyone').allow).toBe(true);
    expect(write(anonymous, 'race/r1/presence').allow).toBe(true);
    expect(reasonOf(write(anonymous, 'race/r1/presence', closed))).toBe(
      'race r1 is closed: connect with your player id and invitation to publish',
    );
    expect(read(anonymous, 'race/r1/#', closed).allow).toBe(true);
    expect(write({ ...racer, verified: true }, 'race/r1/pos/p1', closed).allow).toBe(true);
  });

  it('refuses other races and foreign topics', () => {
    expect(reasonOf(write(racer, 'race/other/presence'))).toBe('no race "other" on this hub');
    expect(reasonOf(write(anonymous, 'home/lights'))).toMatch(/^not a gw2race topic/);
    expect(reasonOf(write(host, '$SYS/x'))).toMatch(/^not a gw2race topic/);
  });

  it('lets everyone read the race and only the host read $SYS', () => {
    for (const who of [host, racer, spectator, anonymous]) {
      expect(read(who, 'race/r1/#').allow).toBe(true);
      expect(read(who, 'race/r1/pos/+').allow).toBe(true);
    }
    expect(read(host, '$SYS/#').allow).toBe(true);
    for (const who of [racer, spectator, anonymous]) {
      expect(reasonOf(read(who, '$SYS/#'))).toBe('$SYS topics are only for the host');
      expect(reasonOf(read(who, '#'))).toBe('subscriptions stay within race/ (asked for #)');
      expect(reasonOf(read(who, 'home/#'))).toBe(
        'subscriptions stay within race/ (asked for home/#)',
      );
      // Another race's topics: allowed, and empty (nobody may publish there on this hub).
      expect(read(who, 'race/r2/#').allow).toBe(true);
    }
  });

  it('is a table: a custom one replaces it, with %c for the client id', () => {
    const rules = [
      ...RACE_ACCESS_RULES,
      { who: ['anonymous'] as const, access: 'readwrite' as const, topic: 'inbox/%c/#' },
    ];
    const ask = (clientId: string, topic: string) =>
      decideAccess({ principal: anonymous, action: 'write', topic, clientId }, { ...open, rules });
    expect(ask('c1', 'inbox/c1/x').allow).toBe(true);
    expect(ask('c1', 'inbox/c2/x').allow).toBe(false);
    expect(ask('a/b', 'inbox/a/b/x').allow).toBe(false);
  });
});
