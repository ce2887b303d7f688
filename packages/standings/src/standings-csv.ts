import type { Standings } from '@gw2race/protocol';
import { csvRow } from '@gw2race/race-engine';

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The standings as CSV (RFC 4180, CRLF): one row per racer by position: `position, playerId,
 * name, points, wins, finishes, bestPlace, totalTime, races, tied`, then the points of each
 * race (by race id; empty where the racer was not an entrant, or the race has no results yet).
 */
export function encodeStandingsCsv(standings: Standings): string {
  const races = standings.races;
  let text = csvRow([
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
    text += csvRow([
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
