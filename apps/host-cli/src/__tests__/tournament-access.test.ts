import { HOST_USERNAME } from '@gw2race/hub';
import { buildTopic, lastWill } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { createTournamentAccess } from '../tournament/tournament-access';

const { access } = createTournamentAccess('tok', ['heat-1', 'heat-2', 'final']);

/** Connects a client whose last will names `playerId` in `raceId` (or none). */
function connect(clientId: string, raceId?: string, playerId = clientId) {
  const will = raceId ? lastWill(raceId, playerId) : undefined;
  const verdict = access.authenticate({
    clientId,
    username: undefined,
    password: undefined,
    will: will ? { topic: will.topic, payload: will.payload } : undefined,
  });
  if (!verdict.ok) throw new Error(verdict.reason);
  const connection = { key: Math.random(), clientId, principal: verdict.principal };
  expect(access.admit?.(connection, undefined)).toBeUndefined();
  return connection;
}

describe('the tournament hub access rules', () => {
  it('binds a racer to the race its will names, and lets it wait on a later race', () => {
    const dan = connect('dan', 'heat-2');
    expect(dan.principal).toEqual({ kind: 'racer', playerId: 'dan', verified: false });
    expect(access.authorizeSubscribe(dan, 'race/heat-2/#').allow).toBe(true);
    expect(access.authorizePublish(dan, buildTopic('heat-2', 'pos', 'dan'), false).allow).toBe(
      true,
    );
    // Not another player's positions, in any race.
    expect(access.authorizePublish(dan, buildTopic('heat-2', 'pos', 'eve'), false).allow).toBe(
      false,
    );
  });

  it('refuses publishing on a race that is not in the tournament', () => {
    const ann = connect('ann', 'heat-1');
    const decision = access.authorizePublish(ann, buildTopic('spring', 'pos', 'ann'), false);
    expect(decision).toMatchObject({ allow: false, reason: 'no race "spring" on this hub' });
  });

  it('lets the host publish the state and control of every race', () => {
    const verdict = access.authenticate({
      clientId: 'host',
      username: HOST_USERNAME,
      password: 'tok',
      will: undefined,
    });
    if (!verdict.ok) throw new Error(verdict.reason);
    const host = { key: 1, clientId: 'host', principal: verdict.principal };
    for (const raceId of ['heat-1', 'final']) {
      expect(access.authorizePublish(host, buildTopic(raceId, 'state'), true).allow).toBe(true);
      expect(access.authorizePublish(host, buildTopic(raceId, 'control'), false).allow).toBe(true);
    }
    const racer = connect('bob', 'heat-1');
    expect(access.authorizePublish(racer, buildTopic('final', 'control'), false).allow).toBe(false);
  });
});
