import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POINTS,
  DEFAULT_TIE_BREAKS,
  parseStandings,
  parseTournament,
  type TournamentInput,
  toJsonSchema,
} from '../index';

/** Two heats of fixed entrants and a final of the top 2 of each. */
const CUP: TournamentInput = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'Winter Cup',
  races: [
    {
      id: 'heat-1',
      kind: 'heat',
      track: 'gendarran',
      laps: 1,
      entry: { type: 'fixed', players: [{ playerId: 'ann' }, { playerId: 'bob' }] },
    },
    {
      id: 'heat-2',
      kind: 'heat',
      track: 'tracks/beach.track.json',
      startRule: 'timeTrial',
      entry: { type: 'fixed', players: [{ playerId: 'cat', name: 'Cat' }, { playerId: 'dan' }] },
    },
    {
      id: 'final',
      kind: 'final',
      track: 'gendarran',
      laps: 2,
      entry: { type: 'qualified', from: ['heat-1', 'heat-2'], top: 2 },
    },
  ],
};

/** CUP with `change` applied to a deep copy. */
function cupWith(change: (cup: TournamentInput) => void): unknown {
  const copy = structuredClone(CUP);
  change(copy);
  return copy;
}

/** The error message of parsing `value`, or a failure when it parses. */
function errorOf(value: unknown): string {
  const parsed = parseTournament(value);
  if (parsed.ok) throw new Error('expected the tournament to be refused');
  return parsed.error.message;
}

describe('parseTournament', () => {
  it('applies the defaults: F1 points, 0 for DNF/DSQ, wins then best finish then time', () => {
    const parsed = parseTournament(CUP);
    if (!parsed.ok) throw parsed.error;
    const cup = parsed.value;
    expect(cup.points).toEqual([25, 18, 15, 12, 10, 8, 6, 4, 2, 1]);
    expect(DEFAULT_POINTS).toEqual(cup.points);
    expect([cup.dnfPoints, cup.dsqPoints]).toEqual([0, 0]);
    expect(cup.tieBreaks).toEqual(['wins', 'bestFinish', 'totalTime']);
    expect(DEFAULT_TIE_BREAKS).toEqual(cup.tieBreaks);
    expect(cup.races.map((race) => race.scored)).toEqual([true, true, true]);
    expect(cup.races[2]?.entry).toEqual({
      type: 'qualified',
      from: ['heat-1', 'heat-2'],
      top: 2,
      by: 'position',
      per: 'race',
    });
  });

  it('keeps a custom points table, per-race tables and tie-breaks', () => {
    const parsed = parseTournament(
      cupWith((cup) => {
        cup.points = [10, 6, 4];
        cup.dsqPoints = -5;
        cup.tieBreaks = ['countback'];
        Object.assign(cup.races[0] as object, { scored: false });
        Object.assign(cup.races[2] as object, { points: [50, 36, 30] });
      }),
    );
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.points).toEqual([10, 6, 4]);
    expect(parsed.value.dsqPoints).toBe(-5);
    expect(parsed.value.tieBreaks).toEqual(['countback']);
    expect(parsed.value.races[0]?.scored).toBe(false);
    expect(parsed.value.races[2]?.points).toEqual([50, 36, 30]);
  });

  it.each([
    ['not an object', [], 'a tournament file is a JSON object'],
    [
      'a track file',
      { format: 'gw2race-track', version: 1 },
      'invalid tournament at format: Invalid input: expected "gw2race-tournament"',
    ],
    [
      'an unknown race',
      cupWith((cup) => {
        (cup.races[2]?.entry as { from: string[] }).from = ['heat-1', 'heat-3'];
      }),
      'invalid tournament at races.2.entry.from.1: race "final" qualifies from "heat-3", which is not a race of this tournament',
    ],
    [
      'qualification from a later race',
      cupWith((cup) => {
        cup.races.reverse();
      }),
      'invalid tournament at races.0.entry.from.0: race "final" qualifies from "heat-1", which runs later (races run in the order listed)',
    ],
    [
      'a cycle',
      cupWith((cup) => {
        Object.assign(cup.races[0] as object, {
          entry: { type: 'qualified', from: ['final'], top: 1 },
        });
      }),
      'invalid tournament at races.0: races "heat-1" → "final" → "heat-1" qualify from each other (a cycle)',
    ],
    [
      'a race qualifying from itself',
      cupWith((cup) => {
        (cup.races[2]?.entry as { from: string[] }).from = ['final'];
      }),
      'invalid tournament at races.2: race "final" qualifies from itself',
    ],
    [
      'a race id used twice',
      cupWith((cup) => {
        Object.assign(cup.races[1] as object, { id: 'heat-1' });
      }),
      'invalid tournament at races.1.id: race id "heat-1" is used twice',
    ],
    [
      'a player entered twice',
      cupWith((cup) => {
        Object.assign(cup.races[0] as object, {
          entry: { type: 'fixed', players: [{ playerId: 'ann' }, { playerId: 'ann' }] },
        });
      }),
      'invalid tournament at races.0.entry.players: player "ann" is entered twice in race "heat-1"',
    ],
    [
      'an unknown kind',
      cupWith((cup) => {
        Object.assign(cup.races[0] as object, { kind: 'semi' });
      }),
      'invalid tournament at races.0.kind: Invalid option: expected one of "heat"|"final"',
    ],
    [
      'a negative points table',
      cupWith((cup) => {
        cup.points = [10, -1];
      }),
      'invalid tournament at points.1: Too small: expected number to be >=0',
    ],
    [
      'no races',
      cupWith((cup) => {
        cup.races = [];
      }),
      'invalid tournament at races: Too small: expected array to have >=1 items',
    ],
  ])('refuses %s with one clear line', (_what, value, message) => {
    const error = errorOf(value);
    expect(error).toBe(message);
    expect(error).not.toContain('\n');
  });
});

describe('the tournament and standings JSON Schemas', () => {
  const ajv = new Ajv2020({ strict: false });

  it('accept the example tournament and refuse a bad kind', () => {
    const validate = ajv.compile(toJsonSchema('tournament'));
    expect(validate(CUP)).toBe(true);
    expect(validate(cupWith((cup) => Object.assign(cup.races[0] as object, { kind: 'x' })))).toBe(
      false,
    );
  });

  it('describe what parseStandings takes', () => {
    const standings = {
      format: 'gw2race-standings',
      version: 1,
      tournament: 'Winter Cup',
      complete: false,
      races: [
        {
          id: 'heat-1',
          kind: 'heat',
          scored: true,
          done: true,
          entrants: ['ann'],
          scores: [
            {
              playerId: 'ann',
              outcome: 'finished',
              place: 1,
              time: 61.2,
              points: 25,
              entered: true,
            },
          ],
        },
      ],
      standings: [
        {
          position: 1,
          playerId: 'ann',
          points: 25,
          wins: 1,
          finishes: 1,
          bestPlace: 1,
          totalTime: 61.2,
          races: 1,
          tied: false,
        },
      ],
      warnings: [],
    };
    expect(ajv.compile(toJsonSchema('standings'))(standings)).toBe(true);
    expect(parseStandings(standings).ok).toBe(true);
    const bad = parseStandings({ ...standings, format: 'x' });
    expect(bad.ok ? '' : bad.error.message).toBe(
      'invalid standings at format: Invalid input: expected "gw2race-standings"',
    );
  });
});
