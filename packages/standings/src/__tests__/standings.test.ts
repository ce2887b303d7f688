import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { type RaceResults, raceResults, replayRace } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import {
  computeStandings,
  encodeStandingsCsv,
  isStandingsError,
  type RaceResultsLike,
  raceEntrants,
  scoreRace,
} from '../index';
import { CUP_INPUT, CUP_RESULTS, results, tournament } from './fixtures';

const CUP = tournament(CUP_INPUT);

/** [playerId, position, points, tied] of each standing. */
const table = (standings: ReturnType<typeof computeStandings>) =>
  standings.standings.map((s) => [s.playerId, s.position, s.points, s.tied]);

describe('scoreRace', () => {
  const heat = CUP.races[0];
  if (!heat) throw new Error('no heat');

  it('gives finishers the F1 points of their place, DNF and DSQ their points, entrants never seen DNS', () => {
    const scored = scoreRace(
      { ...CUP, dnfPoints: 1, dsqPoints: -3 },
      heat,
      results('heat-1', [
        ['bob', 'finished', 62.5],
        ['ann', 'dsq'],
        ['cat', 'finished', 64],
        ['dan', 'racing'],
      ]),
      heat.entry.type === 'fixed' ? [...heat.entry.players, { playerId: 'zed' }] : null,
    );
    expect(scored.scores.map((s) => [s.playerId, s.outcome, s.place, s.time, s.points])).toEqual([
      ['bob', 'finished', 1, 62.5, 25],
      ['cat', 'finished', 2, 64, 18],
      ['dan', 'dnf', null, null, 1],
      ['ann', 'dsq', null, null, -3],
      ['zed', 'dns', null, null, 1],
    ]);
    expect(scored.warnings).toEqual([]);
  });

  it('reads a racer who never left the start as DNS and one still racing or gone as DNF', () => {
    const scored = scoreRace(
      CUP,
      heat,
      results('heat-1', [
        ['ann', 'finished', 60],
        ['bob', 'disconnected'],
        ['cat', 'waiting'],
        ['dan', 'dnf'],
      ]),
      null,
    );
    expect(scored.scores.map((s) => [s.playerId, s.outcome])).toEqual([
      ['ann', 'finished'],
      ['bob', 'dnf'],
      ['dan', 'dnf'],
      ['cat', 'dns'],
    ]);
  });

  it('lists a non-entrant without place or points, and says so; an unscored race scores nobody', () => {
    const line = results('heat-1', [
      ['zed', 'finished', 59],
      ['ann', 'finished', 60],
    ]);
    const scored = scoreRace(CUP, heat, line, [{ playerId: 'ann' }]);
    expect(scored.scores.map((s) => [s.playerId, s.place, s.points, s.entered])).toEqual([
      ['zed', null, 0, false],
      ['ann', 1, 25, true],
    ]);
    expect(scored.warnings).toEqual(['zed raced heat-1 without being an entrant; not scored']);
    const unscored = scoreRace(CUP, { ...heat, scored: false }, line, null);
    expect(unscored.scores.map((s) => s.points)).toEqual([0, 0]);
  });

  it("uses a race's own points table; places beyond the table score 0", () => {
    const scored = scoreRace(
      CUP,
      { ...heat, points: [50, 30] },
      results('heat-1', [
        ['ann', 'finished', 60],
        ['bob', 'finished', 61],
        ['cat', 'finished', 62],
      ]),
      null,
    );
    expect(scored.scores.map((s) => s.points)).toEqual([50, 30, 0]);
  });
});

describe('qualification', () => {
  it('takes the top 2 of each heat by position, the winners first, each group by time', () => {
    // eve won heat 2 in 58 s, ann heat 1 in 60 s; fay was second in 61 s, bob in 62 s.
    expect(raceEntrants(CUP, 'final', CUP_RESULTS)).toEqual([
      { playerId: 'eve' },
      { playerId: 'ann' },
      { playerId: 'fay' },
      { playerId: 'bob' },
    ]);
  });

  it('is unknown while a heat has no results, or was aborted', () => {
    expect(raceEntrants(CUP, 'final', { 'heat-1': CUP_RESULTS['heat-1'] })).toBeNull();
    const aborted = { ...CUP_RESULTS, 'heat-2': { ...CUP_RESULTS['heat-2'], aborted: true } };
    expect(raceEntrants(CUP, 'final', aborted)).toBeNull();
    expect(raceEntrants(CUP, 'heat-2', {})).toEqual(
      ['eve', 'fay', 'gus', 'hal'].map((playerId) => ({ playerId })),
    );
  });

  it('overall by time: the 3 fastest of both heats; DSQ and DNF never qualify', () => {
    const cup = tournament({
      ...CUP_INPUT,
      races: CUP_INPUT.races.map((race) =>
        race.id === 'final'
          ? {
              ...race,
              entry: {
                type: 'qualified',
                from: ['heat-1', 'heat-2'],
                top: 3,
                by: 'time',
                per: 'overall',
              },
            }
          : race,
      ),
    });
    expect(raceEntrants(cup, 'final', CUP_RESULTS)?.map((p) => p.playerId)).toEqual([
      'eve',
      'ann',
      'fay',
    ]);
    const seven = {
      ...cup,
      races: cup.races.map((r) =>
        r.id === 'final' && r.entry.type === 'qualified'
          ? { ...r, entry: { ...r.entry, top: 8 } }
          : r,
      ),
    };
    // 6 finishers (dan retired, gus was disqualified).
    expect(raceEntrants(seven, 'final', CUP_RESULTS)?.map((p) => p.playerId)).toEqual([
      'eve',
      'ann',
      'fay',
      'bob',
      'cat',
      'hal',
    ]);
  });

  it('overall by position: the winners, then the seconds; per race by time: each heat by time', () => {
    const heatsOf = (entry: { top: number; by?: 'time' | 'position'; per?: 'race' | 'overall' }) =>
      tournament({
        ...CUP_INPUT,
        races: CUP_INPUT.races.map((r) =>
          r.id === 'final'
            ? { ...r, entry: { type: 'qualified', from: ['heat-1', 'heat-2'], ...entry } }
            : r,
        ),
      });
    const overall = heatsOf({ top: 3, per: 'overall', by: 'position' });
    expect(raceEntrants(overall, 'final', CUP_RESULTS)?.map((p) => p.playerId)).toEqual([
      'eve',
      'ann',
      'fay',
    ]);
    // In a time trial the ranking can differ from the times: heat 1's second place was faster.
    const trial = {
      ...CUP_RESULTS,
      'heat-1': results('heat-1', [
        ['ann', 'finished', 60],
        ['bob', 'finished', 59],
      ]),
    };
    const byTime = heatsOf({ top: 1, by: 'time' });
    expect(raceEntrants(byTime, 'final', trial)?.map((p) => p.playerId)).toEqual(['eve', 'bob']);
    const byPosition = heatsOf({ top: 1 });
    expect(raceEntrants(byPosition, 'final', trial)?.map((p) => p.playerId)).toEqual([
      'eve',
      'ann',
    ]);
  });

  it('counts a racer in two source races once, with the better result', () => {
    const cup = tournament({
      ...CUP_INPUT,
      races: CUP_INPUT.races.map((r) =>
        r.id === 'heat-2'
          ? { ...r, entry: { type: 'fixed', players: [{ playerId: 'ann' }, { playerId: 'eve' }] } }
          : r,
      ),
    });
    const twice = {
      ...CUP_RESULTS,
      'heat-2': results('heat-2', [
        ['ann', 'finished', 55],
        ['eve', 'finished', 58],
      ]),
    };
    expect(raceEntrants(cup, 'final', twice)?.map((p) => p.playerId)).toEqual([
      'ann',
      'eve',
      'bob',
    ]);
  });

  it('refuses a race the tournament does not have', () => {
    let caught: unknown;
    try {
      raceEntrants(CUP, 'semi', {});
    } catch (error) {
      caught = error;
    }
    expect(isStandingsError(caught) && caught.code).toBe('UNKNOWN_RACE');
    expect((caught as Error).message).toBe('race semi is not in the tournament Winter Cup');
  });
});

describe('computeStandings', () => {
  it('scores the cup as computed by hand', () => {
    const standings = computeStandings(CUP, CUP_RESULTS);
    // ann 25+25, eve 25+18, bob 18+15, fay 18+0, cat 15 (65 s) and hal 15 (70 s): level on
    // wins (0) and best place (3), cat faster; dan (DNF) and gus (DSQ) 0, level on everything.
    expect(table(standings)).toEqual([
      ['ann', 1, 50, false],
      ['eve', 2, 43, false],
      ['bob', 3, 33, false],
      ['fay', 4, 18, false],
      ['cat', 5, 15, false],
      ['hal', 6, 15, false],
      ['dan', 7, 0, true],
      ['gus', 7, 0, true],
    ]);
    expect(standings.standings[0]).toEqual({
      position: 1,
      playerId: 'ann',
      points: 50,
      wins: 2,
      finishes: 2,
      bestPlace: 1,
      totalTime: 180,
      races: 2,
      tied: false,
    });
    expect(standings.complete).toBe(true);
    expect(standings.warnings).toEqual([]);
    expect(standings.races[2]?.entrants).toEqual(['eve', 'ann', 'fay', 'bob']);
    expect(standings.races[2]?.scores.map((s) => [s.playerId, s.outcome, s.points])).toEqual([
      ['ann', 'finished', 25],
      ['eve', 'finished', 18],
      ['bob', 'finished', 15],
      ['fay', 'dnf', 0],
    ]);
  });

  it('applies DSQ penalty points', () => {
    const standings = computeStandings({ ...CUP, dsqPoints: -5 }, CUP_RESULTS);
    expect(table(standings).slice(6)).toEqual([
      ['dan', 7, 0, false],
      ['gus', 8, -5, false],
    ]);
  });

  it('before any race: everyone entered by name at 0, the final unresolved', () => {
    const standings = computeStandings(CUP, {});
    expect(standings.complete).toBe(false);
    expect(standings.races.map((r) => [r.id, r.done, r.entrants?.length ?? null])).toEqual([
      ['heat-1', false, 4],
      ['heat-2', false, 4],
      ['final', false, null],
    ]);
    expect(standings.standings.every((s) => s.position === 1 && s.points === 0 && s.tied)).toBe(
      true,
    );
  });

  it('after heat 1 only', () => {
    const standings = computeStandings(CUP, { 'heat-1': CUP_RESULTS['heat-1'] });
    expect(table(standings).slice(0, 4)).toEqual([
      ['ann', 1, 25, false],
      ['bob', 2, 18, false],
      ['cat', 3, 15, false],
      ['dan', 4, 0, true],
    ]);
  });

  it('warns about aborted, provisional and foreign results, and a race ahead of its heats', () => {
    const standings = computeStandings(CUP, {
      'heat-1': { ...CUP_RESULTS['heat-1'], final: false },
      'heat-2': { ...CUP_RESULTS['heat-2'], aborted: true },
      final: CUP_RESULTS.final,
      other: CUP_RESULTS.final,
    });
    expect(standings.warnings).toEqual([
      'heat-1 has no END: its results are provisional',
      'heat-2 was aborted: it scores nothing and qualifies nobody',
      'final has results but a race it qualifies from has none',
      'results of race other, not a race of this tournament, are left out',
    ]);
    expect(standings.races.map((r) => r.done)).toEqual([true, false, true]);
  });

  it('is deterministic: the order of the racers and of the results does not matter', () => {
    const shuffled: Record<string, RaceResultsLike> = {};
    for (const id of ['final', 'heat-2', 'heat-1'] as const) {
      const own = CUP_RESULTS[id];
      shuffled[id] = { ...own, racers: [...own.racers].reverse() };
    }
    expect(computeStandings(CUP, shuffled)).toEqual(computeStandings(CUP, CUP_RESULTS));
  });

  it('leaves unscored races out of the points and the tie-break counts', () => {
    const cup = {
      ...CUP,
      races: CUP.races.map((r) => (r.kind === 'heat' ? { ...r, scored: false } : r)),
    };
    const standings = computeStandings(cup, CUP_RESULTS);
    expect(table(standings).slice(0, 4)).toEqual([
      ['ann', 1, 25, false],
      ['eve', 2, 18, false],
      ['bob', 3, 15, false],
      ['cat', 4, 0, true],
    ]);
    // fay retired in the final: level with those who never raced it (no points, no finishes).
    expect(standings.standings.slice(3).map((s) => s.playerId)).toEqual([
      'cat',
      'dan',
      'fay',
      'gus',
      'hal',
    ]);
    expect(standings.standings[0]).toMatchObject({ wins: 1, races: 1, finishes: 1 });
  });
});

describe('tie-breaks', () => {
  /** A series of heats (points 10-6-4-2) with the finishers of each race in order, 60 s + 1 s a place. */
  const series = (races: string[][]) => {
    const cup = tournament({
      format: 'gw2race-tournament',
      version: 1,
      name: 'Series',
      points: [10, 6, 4, 2],
      races: races.map((_, i) => ({
        id: `r${i + 1}`,
        kind: 'heat' as const,
        track: 'gendarran',
        entry: {
          type: 'fixed' as const,
          players: races[0]?.map((playerId) => ({ playerId })) ?? [],
        },
      })),
    });
    const raced = Object.fromEntries(
      races.map((order, i) => [
        `r${i + 1}`,
        results(
          `r${i + 1}`,
          order
            .map((id, place) => [id, 'finished', (id === 'b' ? 50 : 60) + place] as const)
            .map((l) => [...l]),
        ),
      ]),
    );
    /** [position, tied] of a and b under these tie-breaks. */
    return (tieBreaks: (typeof cup.tieBreaks)[number][]) => {
      const standings = computeStandings({ ...cup, tieBreaks }, raced).standings;
      const of = (id: string) => standings.find((s) => s.playerId === id);
      expect(of('a')?.points).toBe(of('b')?.points);
      return [of('a')?.position, of('b')?.position, of('a')?.tied];
    };
  };

  it('wins: a won once, b never (1st+4th against 2nd+2nd: 12 points each; x 14 leads)', () => {
    const rank = series([
      ['a', 'b', 'x', 'y'],
      ['x', 'b', 'y', 'a'],
    ]);
    expect(rank(['wins'])).toEqual([2, 3, false]);
    expect(rank([])).toEqual([2, 2, true]);
  });

  it('countback: one win each, a has a second place (1-2-4 against 1-3-3: 18 each)', () => {
    const rank = series([
      ['a', 'x', 'b', 'y'],
      ['b', 'a', 'x', 'y'],
      ['x', 'y', 'b', 'a'],
    ]);
    expect(rank(['wins'])).toEqual([2, 2, true]);
    expect(rank(['bestFinish'])).toEqual([2, 2, true]);
    expect(rank(['countback'])).toEqual([2, 3, false]);
  });

  it('bestFinish: no wins, a was second once (2-4 against 3-3: 8 each; x 20 leads)', () => {
    const rank = series([
      ['x', 'a', 'b', 'y', 'z'],
      ['x', 'z', 'b', 'a', 'y'],
    ]);
    expect(rank(['wins'])).toEqual([2, 2, true]);
    expect(rank(['bestFinish'])).toEqual([2, 3, false]);
    expect(rank(['wins', 'bestFinish'])).toEqual([2, 3, false]);
  });

  it('totalTime: b faster in total (61+63 s against 52+52 s)', () => {
    const rank = series([
      ['x', 'a', 'b', 'y', 'z'],
      ['x', 'z', 'b', 'a', 'y'],
    ]);
    expect(rank(['totalTime'])).toEqual([3, 2, false]);
    // The first tie-break that separates them decides.
    expect(rank(['wins', 'totalTime', 'bestFinish'])).toEqual([3, 2, false]);
  });

  it('totalTime: more races finished ranks ahead of a lower total over fewer', () => {
    const cup = tournament({
      format: 'gw2race-tournament',
      version: 1,
      name: 'Two',
      points: [10],
      dnfPoints: 0,
      tieBreaks: ['totalTime'],
      races: ['r1', 'r2'].map((id) => ({
        id,
        kind: 'heat' as const,
        track: 't',
        entry: {
          type: 'fixed' as const,
          players: [{ playerId: 'a' }, { playerId: 'b' }, { playerId: 'x' }],
        },
      })),
    });
    const standings = computeStandings(cup, {
      r1: results('r1', [
        ['x', 'finished', 50],
        ['a', 'finished', 90],
        ['b', 'dnf'],
      ]),
      r2: results('r2', [
        ['x', 'finished', 50],
        ['b', 'finished', 60],
        ['a', 'finished', 99],
      ]),
    });
    expect(table(standings)).toEqual([
      ['x', 1, 20, false],
      ['a', 2, 0, false],
      ['b', 3, 0, false],
    ]);
  });
});

describe('encodeStandingsCsv', () => {
  it('writes one row per racer with the points of each race, formulas defused', () => {
    const standings = computeStandings(CUP, CUP_RESULTS);
    const named = {
      ...standings,
      standings: standings.standings.map((s) =>
        s.playerId === 'ann' ? { ...s, name: '=HYPERLINK("x")' } : s,
      ),
    };
    const lines = encodeStandingsCsv(named).split('\r\n');
    expect(lines[0]).toBe(
      'position,playerId,name,points,wins,finishes,bestPlace,totalTime,races,tied,heat-1,heat-2,final',
    );
    expect(lines[1]).toBe(`1,ann,"'=HYPERLINK(""x"")",50,2,2,1,180,2,false,25,,25`);
    expect(lines[4]).toBe('4,fay,,18,0,1,2,61,2,false,,18,0');
    expect(lines[8]).toBe('7,gus,,0,0,0,,0,1,true,,0,');
    expect(lines).toHaveLength(10);
  });
});

describe('race-engine results', () => {
  const TRACK: Track = {
    format: 'gw2race-track',
    version: 1,
    id: 'line',
    name: 'Line',
    checkpoints: [
      { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
      { id: 1, x: 100, y: 0, z: 0, r: 10 },
      { id: 2, role: 'finish', x: 200, y: 0, z: 0, r: 10 },
    ],
  };
  const T0 = 1_800_000_002;

  /** A real race: ann rides the line at 20 m/s, bob at 25 m/s, cat stops half-way; then END. */
  function judged(raceId: string): RaceResults {
    const inputs: ReceivedMessage[] = [
      { kind: 'control', at: T0 - 1, message: { cmd: 'START', t0: T0 } },
    ];
    for (let i = 0; i <= 150; i++) {
      const t = T0 + i / 10;
      for (const [playerId, speed, stop] of [
        ['ann', 20, 205],
        ['bob', 25, 205],
        ['cat', 20, 120],
      ] as const)
        inputs.push({
          kind: 'pos',
          at: t + 0.02,
          playerId,
          message: { playerId, t, x: Math.min(speed * (i / 10), stop), y: 0, z: 0, v: speed },
        });
    }
    inputs.push({ kind: 'control', at: T0 + 16, message: { cmd: 'END' } });
    return raceResults(replayRace(TRACK, inputs, { raceId }));
  }

  it('are scored as they are: the engine ranking and times, an unfinished racer DNF', () => {
    const cup = tournament({
      format: 'gw2race-tournament',
      version: 1,
      name: 'Line cup',
      races: [
        {
          id: 'r1',
          kind: 'final',
          track: 'line',
          entry: {
            type: 'fixed',
            players: [{ playerId: 'ann' }, { playerId: 'bob' }, { playerId: 'cat' }],
          },
        },
      ],
    });
    const r1 = judged('r1');
    const scores = computeStandings(cup, { r1 }).races[0]?.scores ?? [];
    expect(scores.map((s) => [s.playerId, s.outcome, s.place, s.points])).toEqual([
      ['bob', 'finished', 1, 25],
      ['ann', 'finished', 2, 18],
      ['cat', 'dnf', null, 0],
    ]);
    expect(scores[0]?.time).toBe(r1.racers[0]?.time);
    expect(scores[1]?.time).toBe(r1.racers[1]?.time);
    expect(scores[1]?.time).toBeGreaterThan(scores[0]?.time ?? Number.POSITIVE_INFINITY);
  });
});
