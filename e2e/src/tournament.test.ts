import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStandings } from '@gw2race/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, HOST_CLI, SHORT_TRACK, start, startRacer, stopAll, tempDir } from './harness';

afterAll(stopAll);

/** Two heats of three and a final of the top two of each, F1 points. */
const CUP = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'E2E Cup',
  races: [
    {
      id: 'e2e-heat-1',
      kind: 'heat',
      track: SHORT_TRACK,
      entry: { type: 'fixed', players: ['ann', 'bob', 'cat'].map((playerId) => ({ playerId })) },
    },
    {
      id: 'e2e-heat-2',
      kind: 'heat',
      track: SHORT_TRACK,
      entry: { type: 'fixed', players: ['dan', 'eve', 'fay'].map((playerId) => ({ playerId })) },
    },
    {
      id: 'e2e-final',
      kind: 'final',
      track: SHORT_TRACK,
      entry: { type: 'qualified', from: ['e2e-heat-1', 'e2e-heat-2'], top: 2 },
    },
  ],
};

/** Each racer's heat and bot speed (m/s): far enough apart that the order is certain. */
const RACERS: [string, string, number][] = [
  ['ann', 'e2e-heat-1', 30],
  ['bob', 'e2e-heat-1', 21],
  ['cat', 'e2e-heat-1', 14],
  ['dan', 'e2e-heat-2', 26],
  ['eve', 'e2e-heat-2', 17],
  ['fay', 'e2e-heat-2', 11],
];

describe('a tournament on the embedded hub', () => {
  it('runs two heats and a final with qualification; the standings are the hand-computed ones, live and re-judged', async () => {
    const dir = tempDir();
    const file = join(dir, 'cup.tournament.json');
    writeFileSync(file, JSON.stringify(CUP));
    const out = join(dir, 'out');
    const host = start('host tournament', HOST_CLI, [
      'tournament',
      file,
      '--out',
      out,
      '--no-ntp',
      '--port',
      '0',
      '--http-port',
      '0',
      '--auto-start',
      'all',
      '--start-delay',
      '2',
      '--auto-advance',
      '1',
      '--finish-timeout',
      '60',
    ]);
    const open = await host.waitFor(/race e2e-heat-1 is open on (mqtt:\/\/[\d.]+:\d+)/);
    const url = open[1] as string;
    // The second heat's racers connect now and wait for their race to open.
    const racers = RACERS.map(([id, heat, speed]) =>
      startRacer(heat, url, id, [
        '--player',
        id,
        '--sim-speed',
        String(speed),
        '--wait-for-race',
        '300',
      ]),
    );
    expect(await exitOf(host, 540_000)).toBe(0);
    for (const racer of racers) expect(await exitOf(racer, 30_000)).toBe(0);

    // Heat 1: ann 25, bob 18, cat 15; heat 2: dan 25, eve 18, fay 15. The final's grid is the
    // winners (by time: ann, dan), then the seconds (bob, eve); it ends ann 25, dan 18, bob 15,
    // eve 12. cat and fay, level on 15 points, no wins and a best place of 3, are told apart by
    // time (cat is faster). cat and fay follow into later races as non-entrants: not scored.
    const live = parseStandings(JSON.parse(readFileSync(join(out, 'standings.json'), 'utf8')));
    if (!live.ok) throw live.error;
    const standings = live.value;
    expect(standings.complete).toBe(true);
    expect(standings.races[2]?.entrants).toEqual(['ann', 'dan', 'bob', 'eve']);
    expect(standings.standings.map((s) => [s.position, s.playerId, s.points, s.wins])).toEqual([
      [1, 'ann', 50, 2],
      [2, 'dan', 43, 1],
      [3, 'bob', 33, 0],
      [4, 'eve', 30, 0],
      [5, 'cat', 15, 0],
      [6, 'fay', 15, 0],
    ]);
    expect(host.output()).toMatch(/next: e2e-final \(final\), grid: ann, dan, bob, eve/);

    // Each racer saw its standing after each race, and followed to the next race.
    const ann = racers[0]?.output() ?? '';
    expect(ann).toContain('Tournament: 1st of 6, 25 points (+25 this race)');
    expect(ann).toContain('Tournament: 1st of 6, 50 points (+25 this race)');
    expect(ann).toContain('next race: e2e-final; following');
    expect(ann).toContain('the tournament is over');

    // The standings re-judged from the recordings are the live ones.
    const rejudged = start('standings', HOST_CLI, ['standings', file, out, '--json']);
    expect(await rejudged.exited).toBe(0);
    expect(JSON.parse(rejudged.output().slice(rejudged.output().indexOf('{')))).toEqual(
      JSON.parse(readFileSync(join(out, 'standings.json'), 'utf8')),
    );
    const csv = start('standings csv', HOST_CLI, ['standings', file, out, '--csv']);
    expect(await csv.exited).toBe(0);
    expect(csv.output()).toContain(readFileSync(join(out, 'standings.csv'), 'utf8'));
  }, 600_000);
});
