/**
 * Two heats and a final of the top two of each heat: the final's grid, then the standings.
 * `pnpm --filter @gw2race/standings example`
 */
import { parseTournament } from '@gw2race/protocol';
import { computeStandings, type RaceResultsLike, raceEntrants } from '../src/index';

const parsed = parseTournament({
  format: 'gw2race-tournament',
  version: 1,
  name: 'Winter Cup',
  races: [
    {
      id: 'heat-1',
      kind: 'heat',
      track: 'gendarran',
      entry: {
        type: 'fixed',
        players: [{ playerId: 'ann' }, { playerId: 'bob' }, { playerId: 'cat' }],
      },
    },
    {
      id: 'heat-2',
      kind: 'heat',
      track: 'gendarran',
      entry: {
        type: 'fixed',
        players: [{ playerId: 'eve' }, { playerId: 'fay' }, { playerId: 'gus' }],
      },
    },
    {
      id: 'final',
      kind: 'final',
      track: 'gendarran',
      laps: 2,
      entry: { type: 'qualified', from: ['heat-1', 'heat-2'], top: 2 },
    },
  ],
});
if (!parsed.ok) throw parsed.error;
const cup = parsed.value;

/** Results as `gw2race-host results --format json` prints them (only the fields read here). */
const race = (lines: [string, 'finished' | 'dnf' | 'dsq', number | null][]): RaceResultsLike => ({
  final: true,
  racers: lines.map(([playerId, status, time], i) => ({
    playerId,
    name: undefined,
    position: i + 1,
    status,
    time,
  })),
});
const results = {
  'heat-1': race([
    ['ann', 'finished', 60.1],
    ['bob', 'finished', 62.4],
    ['cat', 'dnf', null],
  ]),
  'heat-2': race([
    ['eve', 'finished', 58.9],
    ['fay', 'finished', 61.0],
    ['gus', 'dsq', null],
  ]),
};
console.log(
  'final grid:',
  raceEntrants(cup, 'final', results)
    ?.map((p) => p.playerId)
    .join(', '),
);
const after = computeStandings(cup, {
  ...results,
  final: race([
    ['ann', 'finished', 121.3],
    ['eve', 'finished', 121.9],
    ['fay', 'finished', 125.0],
    ['bob', 'dnf', null],
  ]),
});
for (const s of after.standings)
  console.log(s.position, s.playerId, s.points, s.tied ? '(tied)' : '');
