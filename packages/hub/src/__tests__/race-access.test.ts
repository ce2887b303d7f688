import { buildTopic, encodeMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import type { ConnectRequest, HubConnection } from '../hub-access';
import type { Principal } from '../principal';
import { createRaceAccess, HOST_USERNAME, secretEquals } from '../race-access';

const access = (extra = {}) => createRaceAccess({ raceId: 'r1', hostToken: 'tok', ...extra });
const request = (over: Partial<ConnectRequest> = {}): ConnectRequest => ({
  clientId: 'c',
  username: undefined,
  password: undefined,
  will: undefined,
  ...over,
});
const willOf = (playerId: string, mode?: 'racer' | 'spectator', raceId = 'r1') => ({
  topic: buildTopic(raceId, 'presence'),
  payload: encodeMessage('presence', {
    playerId,
    event: 'disconnected',
    ...(mode ? { mode } : {}),
  }),
});
let keys = 0;
const connection = (
  clientId: string,
  principal: Principal = { kind: 'anonymous' },
): HubConnection => ({
  key: ++keys,
  clientId,
  principal,
});
const reasonOf = (decision: { allow: boolean; reason?: string }) =>
  decision.allow ? undefined : decision.reason;

describe('the embedded hub access rules', () => {
  it('lets only the host log in as the host, with its token', () => {
    const a = access();
    expect(a.authenticate(request({ username: HOST_USERNAME, password: 'tok' }))).toEqual({
      ok: true,
      principal: { kind: 'host' },
    });
    expect(a.authenticate(request({ username: HOST_USERNAME, password: 'nope' }))).toEqual({
      ok: false,
      returnCode: 4,
      reason: 'wrong host token',
    });
    expect(a.authenticate(request({ username: 'p1' }))).toEqual({
      ok: true,
      principal: { kind: 'anonymous' },
    });
    expect(a.authenticate(request()).ok).toBe(true);
  });

  it('binds a client to the player its will names, as a racer or a spectator', () => {
    const a = access();
    expect(a.authenticate(request({ will: willOf('p1') }))).toEqual({
      ok: true,
      principal: { kind: 'racer', playerId: 'p1', verified: false },
    });
    expect(a.authenticate(request({ will: willOf('s1', 'spectator') }))).toEqual({
      ok: true,
      principal: { kind: 'spectator', playerId: 's1', verified: false },
    });
    // A will of another race names nobody here.
    expect(a.authenticate(request({ will: willOf('p1', 'racer', 'r2') }))).toEqual({
      ok: true,
      principal: { kind: 'anonymous' },
    });
  });

  it('keeps host channels for the host', () => {
    const a = access();
    const racer = connection('c1');
    const host = connection('h', { kind: 'host' });
    for (const channel of ['state', 'control', 'ranking', 'flags']) {
      expect(reasonOf(a.authorizePublish(racer, `race/r1/${channel}`, false))).toBe(
        `only the host publishes on ${channel}`,
      );
      expect(a.authorizePublish(host, `race/r1/${channel}`, false).allow).toBe(true);
    }
    expect(reasonOf(a.authorizePublish(racer, 'race/r1/pong/p1', false))).toBe(
      'only the host publishes on pong',
    );
    expect(a.authorizePublish(racer, 'race/r1/presence', false).allow).toBe(true);
    expect(a.authorizePublish(racer, 'race/r1/checkpoints', false).allow).toBe(true);
  });

  it('binds an anonymous connection to the player whose positions it sends', () => {
    const a = access();
    const c1 = connection('c1');
    const c2 = connection('c2');
    expect(a.authorizePublish(c1, 'race/r1/pos/p1', false).allow).toBe(true);
    expect(reasonOf(a.authorizePublish(c1, 'race/r1/pos/p2', false))).toBe(
      'this connection sends positions for p1, not p2',
    );
    expect(reasonOf(a.authorizePublish(c2, 'race/r1/pos/p1', false))).toBe(
      'another connection already sends positions for p1',
    );
    a.disconnected?.(c1);
    expect(a.authorizePublish(c2, 'race/r1/pos/p1', false).allow).toBe(true);
  });

  it('binds positions to the connection, not its client id: the same id again is someone else', () => {
    const a = access();
    const first = connection('same');
    const again = connection('same');
    expect(a.authorizePublish(first, 'race/r1/pos/p1', false).allow).toBe(true);
    expect(reasonOf(a.authorizePublish(again, 'race/r1/pos/p1', false))).toBe(
      'another connection already sends positions for p1',
    );
  });

  it('holds a player for the racer named at CONNECT: a twin is refused, anonymous positions too', () => {
    const a = access();
    const racer = connection('c1', { kind: 'racer', playerId: 'p1', verified: false });
    expect(a.admit?.(racer, undefined)).toBeUndefined();
    const twin = connection('c2', { kind: 'racer', playerId: 'p1', verified: false });
    expect(a.admit?.(twin, undefined)).toBe('player id "p1" is already connected to race r1');
    // The same client reconnecting (it takes over its own client id) keeps the player.
    const reconnect = connection('c1', { kind: 'racer', playerId: 'p1', verified: false });
    expect(a.admit?.(reconnect, racer)).toBeUndefined();
    a.disconnected?.(racer);
    expect(a.admit?.(twin, undefined)).toBe('player id "p1" is already connected to race r1');
    expect(reasonOf(a.authorizePublish(connection('x'), 'race/r1/pos/p1', false))).toBe(
      'another connection already sends positions for p1',
    );
    a.disconnected?.(reconnect);
    expect(a.admit?.(twin, undefined)).toBeUndefined();
  });

  it('refuses other races and foreign topics, and subscriptions outside the race', () => {
    const a = access();
    const c = connection('c');
    expect(reasonOf(a.authorizePublish(c, 'race/other/presence', false))).toBe(
      'no race "other" on this hub',
    );
    expect(reasonOf(a.authorizePublish(c, 'home/lights', false))).toMatch(/^not a gw2race topic/);
    expect(reasonOf(a.authorizeSubscribe(c, '$SYS/#'))).toBe('$SYS topics are only for the host');
    expect(a.authorizeSubscribe(connection('h', { kind: 'host' }), '$SYS/#').allow).toBe(true);
  });

  describe('a closed race (a credential check plugged in)', () => {
    const check = (playerId: string, credential: string) => credential === `key-of-${playerId}`;
    const closed = () => access({ checkCredential: check });

    it('lets in a player with its credential, verified', () => {
      expect(
        closed().authenticate(
          request({ username: 'p1', password: 'key-of-p1', will: willOf('p1') }),
        ),
      ).toEqual({ ok: true, principal: { kind: 'racer', playerId: 'p1', verified: true } });
    });

    it('refuses a wrong credential (4) and a missing one (5) with a reason', () => {
      expect(closed().authenticate(request({ username: 'p1', password: 'guess' }))).toEqual({
        ok: false,
        returnCode: 4,
        reason: 'wrong credential for player "p1" in race r1',
      });
      expect(closed().authenticate(request({ username: 'p1' }))).toEqual({
        ok: false,
        returnCode: 5,
        reason: 'no credential for player "p1" in race r1',
      });
      expect(closed().authenticate(request({ will: willOf('p1') }))).toEqual({
        ok: false,
        returnCode: 5,
        reason: 'race r1 is closed: connect with your player id and invitation',
      });
      expect(
        closed().authenticate(
          request({ username: 'p1', password: 'key-of-p1', will: willOf('p2') }),
        ),
      ).toMatchObject({ ok: false, returnCode: 5 });
    });

    it('lets a spectator credential in only as a spectator, whatever its will says', () => {
      const a = access({
        checkCredential: (playerId: string, credential: string) =>
          credential === 'watch' ? 'spectator' : check(playerId, credential),
      });
      const verdict = a.authenticate(
        request({ username: 's1', password: 'watch', will: willOf('s1') }),
      );
      expect(verdict).toEqual({
        ok: true,
        principal: { kind: 'spectator', playerId: 's1', verified: true },
      });
      if (!verdict.ok) return;
      const spectator = connection('c-s1', verdict.principal);
      expect(a.authorizePublish(spectator, 'race/r1/pos/s1', false).allow).toBe(false);
      expect(a.authorizePublish(spectator, 'race/r1/checkpoints', false).allow).toBe(false);
      expect(a.authorizePublish(spectator, 'race/r1/presence', false).allow).toBe(true);
    });

    it('lets an anonymous viewer in to read, not to write', () => {
      const a = closed();
      expect(a.authenticate(request())).toEqual({ ok: true, principal: { kind: 'anonymous' } });
      const viewer = connection('web');
      expect(a.authorizeSubscribe(viewer, 'race/r1/#').allow).toBe(true);
      expect(a.authorizePublish(viewer, 'race/r1/presence', false).allow).toBe(false);
    });
  });
});

describe('chat carries its real sender', () => {
  const chat = (message: { text: string; from?: string }) => encodeMessage('chat', message);
  const topic = buildTopic('r1', 'chat');
  it('lets a player chat only as itself, and nobody chat as nobody (once shown as the organizer)', () => {
    const a = access();
    const ann = connection('c-ann', { kind: 'racer', playerId: 'ann', verified: false });
    const own = a.authorizePublish(ann, topic, false, chat({ from: 'ann', text: 'hi' }));
    expect(own.allow).toBe(true);
    expect(reasonOf(a.authorizePublish(ann, topic, false, chat({ from: 'bob', text: 'x' })))).toBe(
      'a chat from player "ann" must say "from": "ann", not "bob"',
    );
    expect(reasonOf(a.authorizePublish(ann, topic, false, chat({ text: 'START NOW' })))).toBe(
      'a chat from player "ann" must say "from": "ann", not nothing',
    );
    expect(
      reasonOf(a.authorizePublish(connection('anon'), topic, false, chat({ text: 'x' }))),
    ).toBe('anonymous may not chat');
    const host = connection('h', { kind: 'host' });
    expect(a.authorizePublish(host, topic, false, chat({ text: 'from the organizer' })).allow).toBe(
      true,
    );
  });
});

describe('secretEquals (the host token compare)', () => {
  it('accepts only the same text, whatever the lengths', () => {
    expect(secretEquals('s3cret-token', 's3cret-token')).toBe(true);
    expect(secretEquals('s3cret-tokeN', 's3cret-token')).toBe(false);
    expect(secretEquals('s3cret', 's3cret-token')).toBe(false);
    expect(secretEquals('', 's3cret-token')).toBe(false);
    expect(secretEquals(undefined, 's3cret-token')).toBe(false);
  });
});
