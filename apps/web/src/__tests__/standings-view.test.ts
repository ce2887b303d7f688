import type { Standings } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { fetchStandings, raceGrid, standingsView } from '../core/standings-view';

const score = (
  playerId: string,
  place: number | null,
  points: number,
  outcome: 'finished' | 'dnf' | 'dsq' | 'dns' = 'finished',
  entered = true,
) => ({ playerId, place, time: place === null ? null : 60 + place, points, outcome, entered });

/** A cup after its first heat: heat-2 open, the final's grid from heat-1 known. */
const CUP: Standings = {
  format: 'gw2race-standings',
  version: 1,
  tournament: 'Cup <b>',
  complete: false,
  races: [
    {
      id: 'heat-1',
      name: 'Heat 1',
      kind: 'heat',
      scored: true,
      done: true,
      entrants: ['ann', 'bob', 'cat'],
      scores: [score('ann', 1, 25), score('bob', null, 0, 'dnf'), score('cat', null, 0, 'dsq')],
    },
    {
      id: 'heat-2',
      kind: 'heat',
      scored: true,
      done: false,
      entrants: ['dan', 'eve'],
      scores: [],
    },
    {
      id: 'final',
      kind: 'final',
      scored: true,
      done: false,
      entrants: ['ann'],
      scores: [],
    },
  ],
  standings: [
    ['ann', 'Ann', 25, 1],
    ['bob', undefined, 0, 2],
    ['cat', 'Cat', 0, 2],
    ['dan', 'Dan', 0, 2],
    ['eve', 'Eve', 0, 2],
  ].map(([playerId, name, points, position]) => ({
    position: position as number,
    playerId: playerId as string,
    ...(name ? { name: name as string } : {}),
    points: points as number,
    wins: playerId === 'ann' ? 1 : 0,
    finishes: playerId === 'ann' ? 1 : 0,
    bestPlace: playerId === 'ann' ? 1 : null,
    totalTime: playerId === 'ann' ? 61 : 0,
    races: 1,
    tied: playerId !== 'ann',
  })),
  warnings: [],
};

describe('the standings view', () => {
  it('says which race runs now and which is next, and each racer’s result per race', () => {
    const view = standingsView(CUP, 'heat-2');
    expect(view.races.map((r) => [r.label, r.status])).toEqual([
      ['Heat 1', 'done'],
      ['heat-2', 'now'],
      ['final', 'next'],
    ]);
    expect(view.now?.id).toBe('heat-2');
    expect(view.next?.id).toBe('final');
    expect(view.rows.map((r) => [r.position, r.name, r.points, r.cells[0]?.result])).toEqual([
      ['1', 'Ann', 25, '1'],
      ['2=', 'bob', 0, 'DNF'],
      ['2=', 'Cat', 0, 'DSQ'],
      ['2=', 'Dan', 0, undefined],
      ['2=', 'Eve', 0, undefined],
    ]);
    expect(view.rows[1]?.tieBreak).toBe('level');
    expect(view.rows[0]?.tieBreak).toBeNull();
  });

  it('between races (the current one done) the next is the first without results', () => {
    const view = standingsView(CUP, 'heat-1');
    expect(view.now).toBeUndefined();
    expect(view.next?.id).toBe('heat-2');
    expect(standingsView(CUP, undefined).next?.id).toBe('heat-2');
  });

  it('marks racers level on points that a tie-break told apart', () => {
    const split: Standings = {
      ...CUP,
      standings: CUP.standings.map((s, i) =>
        i === 1 ? { ...s, tied: false, position: 2 } : i > 1 ? { ...s, position: 3 } : s,
      ),
    };
    expect(standingsView(split, undefined).rows[1]?.tieBreak).toBe('tie-break');
  });

  it('gives a race’s grid with names and points, null while unknown', () => {
    expect(raceGrid(CUP, 'final')).toEqual([{ slot: 1, playerId: 'ann', name: 'Ann', points: 25 }]);
    expect(
      raceGrid(
        { ...CUP, races: [{ ...(CUP.races[2] as Standings['races'][number]), entrants: null }] },
        'final',
      ),
    ).toBeNull();
    expect(raceGrid(CUP, 'nope')).toBeNull();
  });
});

const reply = (status: number, body: string) =>
  Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));

describe('fetching the standings', () => {
  it('reads standings, says there is no tournament on 404, and explains anything else', async () => {
    expect(await fetchStandings(() => reply(200, JSON.stringify(CUP)))).toEqual({
      kind: 'standings',
      standings: CUP,
    });
    expect(await fetchStandings(() => reply(404, '{"error":"no tournament here"}'))).toEqual({
      kind: 'none',
    });
    expect(await fetchStandings(() => reply(500, '{"error":"internal error"}'))).toEqual({
      kind: 'error',
      error: 'the host refused: internal error',
    });
    expect(await fetchStandings(() => reply(200, '<html>'))).toEqual({
      kind: 'error',
      error: 'the host answered HTTP 200, not JSON',
    });
    const bad = await fetchStandings(() => reply(200, '{"format":"x"}'));
    expect(bad.kind === 'error' && bad.error).toMatch(
      /^the host's standings are not readable: invalid standings/,
    );
    const down = await fetchStandings(() => Promise.reject(new Error('connection refused')));
    expect(down).toEqual({ kind: 'error', error: 'the host does not answer (connection refused)' });
  });
});
