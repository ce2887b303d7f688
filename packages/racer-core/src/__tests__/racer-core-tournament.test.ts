import { describe, expect, it } from 'vitest';
import type { RacerEffect } from '../index';
import { createHarness, playerId, state } from './support/harness';

const of = <T extends RacerEffect['type']>(effects: readonly RacerEffect[], type: T) =>
  effects.filter((e): e is Extract<RacerEffect, { type: T }> => e.type === type);

/** A racer in race 1 of a tournament of 3. */
function inTournament() {
  const h = createHarness();
  h.connect();
  h.deliver('state', 'state', { ...state, tournament: { race: 1, races: 3 } });
  h.begin();
  return h;
}

describe('the racer core in a tournament', () => {
  it('stays after the race ends, to hear its standing and the next race', () => {
    const h = inTournament();
    const ended = of(h.deliver('control', 'control', { cmd: 'END' }), 'ended');
    expect(ended).toEqual([
      { type: 'ended', reason: 'the race is over', leaveAfterMs: 3000, awaitNext: true },
    ]);
  });

  it('shows its own standing and ignores another racer’s', () => {
    const h = inTournament();
    const standing = { cmd: 'STANDING', position: 2, of: 6, points: 43, racePoints: 18 } as const;
    expect(h.deliver('control', 'control', { ...standing, to: 'someone-else' })).toEqual([]);
    expect(h.core.view.standing).toBeUndefined();
    const mine = h.deliver('control', 'control', { ...standing, to: playerId });
    expect(mine).toEqual([
      {
        type: 'note',
        text: 'Tournament: 2nd of 6, 43 points (+18 this race)',
        level: 'important',
      },
    ]);
    expect(h.core.view.standing).toEqual({
      position: 2,
      of: 6,
      points: 43,
      racePoints: 18,
      tied: false,
    });
    h.deliver('control', 'control', { ...standing, to: playerId, position: 11, tied: true });
    expect(h.core.view.standing?.position).toBe(11);
  });

  it('follows NEXT_RACE, and leaves when the tournament is over', () => {
    const h = inTournament();
    expect(
      of(
        h.deliver('control', 'control', { cmd: 'NEXT_RACE', next: 'final', name: 'Final' }),
        'next-race',
      ),
    ).toEqual([{ type: 'next-race', raceId: 'final', name: 'Final' }]);
    expect(h.core.view.nextRace).toEqual({ raceId: 'final', name: 'Final' });
    expect(h.deliver('control', 'control', { cmd: 'NEXT_RACE' })).toEqual([
      { type: 'note', text: 'the tournament is over', level: 'important' },
      { type: 'next-race', raceId: undefined },
    ]);
    expect(h.core.view.nextRace).toEqual({ raceId: undefined });
  });

  it('a race on its own ends as before (no awaitNext)', () => {
    const h = createHarness();
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    expect(of(h.deliver('control', 'control', { cmd: 'END' }), 'ended')[0]).not.toHaveProperty(
      'awaitNext',
    );
  });
});
