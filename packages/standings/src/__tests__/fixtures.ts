import { parseTournament, type Tournament, type TournamentInput } from '@gw2race/protocol';
import type { RaceResultsLike, RacerResultLike } from '../index';

/** A racer line: id, engine status, finishing time (finished only). */
export type Line = [playerId: string, status: RacerResultLike['status'], time?: number];

/** Race results with racers at positions 1, 2, … in the order given. */
export function results(
  raceId: string,
  lines: Line[],
  extra: Partial<RaceResultsLike> = {},
): RaceResultsLike {
  return {
    raceId,
    final: true,
    aborted: false,
    racers: lines.map(([playerId, status, time], i) => ({
      playerId,
      name: undefined,
      position: i + 1,
      status,
      time: time ?? null,
    })),
    ...extra,
  };
}

/** A tournament, parsed (defaults applied); throws on a bad one. */
export function tournament(input: TournamentInput): Tournament {
  const parsed = parseTournament(input);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const players = (...ids: string[]) => ids.map((playerId) => ({ playerId }));

/** Two heats of four and a final of the top two of each, F1 points. */
export const CUP_INPUT: TournamentInput = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'Winter Cup',
  races: [
    {
      id: 'heat-1',
      kind: 'heat',
      track: 'gendarran',
      entry: { type: 'fixed', players: players('ann', 'bob', 'cat', 'dan') },
    },
    {
      id: 'heat-2',
      kind: 'heat',
      track: 'gendarran',
      entry: { type: 'fixed', players: players('eve', 'fay', 'gus', 'hal') },
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

/** The cup's results: dan retires in heat 1, gus is disqualified in heat 2, fay retires in the final. */
export const CUP_RESULTS = {
  'heat-1': results('heat-1', [
    ['ann', 'finished', 60],
    ['bob', 'finished', 62],
    ['cat', 'finished', 65],
    ['dan', 'dnf'],
  ]),
  'heat-2': results('heat-2', [
    ['eve', 'finished', 58],
    ['fay', 'finished', 61],
    ['hal', 'finished', 70],
    ['gus', 'dsq'],
  ]),
  final: results('final', [
    ['ann', 'finished', 120],
    ['eve', 'finished', 121],
    ['bob', 'finished', 125],
    ['fay', 'disconnected'],
  ]),
};
