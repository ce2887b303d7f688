import { formatTable } from '@gw2race/app-shared';
import type { Standings } from '@gw2race/protocol';

/** Points as people write them: 25, 12.5. */
const points = (value: number | undefined) =>
  value === undefined ? '-' : String(Math.round(value * 1000) / 1000);

/**
 * The standings as a plain-text table for a terminal: position, racer, points, wins, then the
 * points of each race (`-` where the racer was not an entrant), and a line naming the next race's grid.
 */
export function formatStandingsTable(standings: Standings): string {
  const done = standings.races.filter((race) => race.done).length;
  const title = `${standings.tournament}: standings after ${done} of ${standings.races.length} race${standings.races.length === 1 ? '' : 's'}`;
  const rows = standings.standings.map((s) => [
    `${s.position}${s.tied ? '=' : ''}`,
    s.name ?? s.playerId,
    points(s.points),
    s.wins,
    ...standings.races.map((race) =>
      race.done
        ? points(
            race.scores.find((score) => score.playerId === s.playerId && score.entered)?.points,
          )
        : '',
    ),
  ]);
  const table = formatTable(
    ['pos', 'racer', 'points', 'wins', ...standings.races.map((race) => race.id)],
    rows,
  );
  const next = standings.races.find((race) => !race.done);
  const nextLine = !next
    ? 'every race has results'
    : `next: ${next.id} (${next.kind}), ${next.entrants === null ? 'entrants known once the races it qualifies from have results' : `grid: ${next.entrants.join(', ')}`}`;
  return `${title}\n${table}\n${nextLine}\n`;
}
