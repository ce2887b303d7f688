import { describe, expect, it } from 'vitest';
import { createRaceAccess, HOST_USERNAME } from '../host/access';

describe('the embedded hub access rules', () => {
  const access = () => createRaceAccess({ raceId: 'r1', hostToken: 'tok' });

  it('lets only the host log in as the host, with its token', () => {
    const a = access();
    expect(a.authenticate?.('c', HOST_USERNAME, 'tok')).toBe(true);
    expect(a.authenticate?.('c', HOST_USERNAME, 'nope')).toBe(false);
    expect(a.authenticate?.('c', 'p1', undefined)).toBe(true);
    expect(a.authenticate?.('c', undefined, undefined)).toBe(true);
  });

  it('keeps host channels for the host', () => {
    const a = access();
    const racer = { id: 'c1', username: undefined };
    const host = { id: 'h', username: HOST_USERNAME };
    for (const channel of ['state', 'control', 'ranking', 'flags']) {
      expect(a.authorizePublish?.(racer, `race/r1/${channel}`)).toBe(
        `only the host publishes on ${channel}`,
      );
      expect(a.authorizePublish?.(host, `race/r1/${channel}`)).toBeUndefined();
    }
    expect(a.authorizePublish?.(racer, 'race/r1/pong/p1')).toBe('only the host publishes on pong');
    expect(a.authorizePublish?.(racer, 'race/r1/presence')).toBeUndefined();
    expect(a.authorizePublish?.(racer, 'race/r1/checkpoints')).toBeUndefined();
  });

  it('binds a connection to the player whose positions it sends', () => {
    const a = access();
    const c1 = { id: 'c1', username: undefined };
    const c2 = { id: 'c2', username: undefined };
    expect(a.authorizePublish?.(c1, 'race/r1/pos/p1')).toBeUndefined();
    expect(a.authorizePublish?.(c1, 'race/r1/pos/p2')).toBe(
      'this connection sends positions for p1, not p2',
    );
    expect(a.authorizePublish?.(c2, 'race/r1/pos/p1')).toBe(
      'another connection already sends positions for p1',
    );
    a.clientGone?.('c1');
    expect(a.authorizePublish?.(c2, 'race/r1/pos/p1')).toBeUndefined();
  });

  it('refuses other races and foreign topics', () => {
    const a = access();
    const c = { id: 'c', username: undefined };
    expect(a.authorizePublish?.(c, 'race/other/presence')).toBe('no race "other" on this hub');
    expect(a.authorizePublish?.(c, 'home/lights')).toMatch(/^not a gw2race topic/);
  });
});
