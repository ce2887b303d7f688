import type { Standings } from '@gw2race/protocol';

/**
 * RFC 4180 quoting, and a leading `'` on a text a spreadsheet would run as a formula (a racer
 * named `=HYPERLINK(…)`), as the race engine's results CSV does.
 */
function csvField(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const raw = String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (fields: (string | number | boolean | null | undefined)[]) =>
  `${fields.map(csvField).join(',')}\r\n`;

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The standings as CSV (RFC 4180, CRLF): one row per racer by position: `position, playerId,
 * name, points, wins, finishes, bestPlace, totalTime, races, tied`, then the points of each
 * race (by race id; empty where the racer was not an entrant, or the race has no results yet).
 */
export function encodeStandingsCsv(standings: Standings): string {
  const races = standings.races;
  let text = row([
    'position',
    'playerId',
    'name',
    'points',
    'wins',
    'finishes',
    'bestPlace',
    'totalTime',
    'races',
    'tied',
    ...races.map((race) => race.id),
  ]);
  for (const s of standings.standings) {
    const perRace = races.map(
      (race) => race.scores.find((score) => score.playerId === s.playerId && score.entered)?.points,
    );
    text += row([
      s.position,
      s.playerId,
      s.name,
      round(s.points),
      s.wins,
      s.finishes,
      s.bestPlace,
      round(s.totalTime),
      s.races,
      s.tied,
      ...perRace.map((points) => (points === undefined ? undefined : round(points))),
    ]);
  }
  return text;
}
