import type {
  Participant,
  RaceScore,
  Standings,
  StandingsRace,
  Tournament,
} from '@gw2race/protocol';
import { StandingsError } from './errors';
import { addScore, emptyTotals, rankStandings, type Totals } from './rank-standings';
import { resolveEntrants } from './resolve-entrants';
import { type RaceResultsLike, scoreRace } from './score-race';

/** Each race's results by race id; a race without results is absent (or undefined). */
export type ResultsByRace = Readonly<Record<string, RaceResultsLike | undefined>>;

/** The races of a tournament, resolved and scored in file order. */
interface Walk {
  readonly races: StandingsRace[];
  readonly warnings: string[];
}

/** Whether a race's results count: present and not aborted (an aborted race scores nothing). */
function usable(raceId: string, results: RaceResultsLike | undefined, warnings: string[]) {
  if (results === undefined) return undefined;
  if (results.aborted) {
    warnings.push(`${raceId} was aborted: it scores nothing and qualifies nobody`);
    return undefined;
  }
  if (results.final === false) warnings.push(`${raceId} has no END: its results are provisional`);
  return results;
}

/** Resolves the entrants and scores of every race, in the order they run. */
function walkRaces(tournament: Tournament, results: ResultsByRace): Walk {
  const warnings: string[] = [];
  const scored = new Map<string, RaceScore[]>();
  const races: StandingsRace[] = [];
  for (const race of tournament.races) {
    const entrants = resolveEntrants(race, (id) => scored.get(id));
    const own = usable(race.id, results[race.id], warnings);
    let scores: RaceScore[] = [];
    if (own) {
      const done = scoreRace(tournament, race, own, entrants);
      scores = done.scores;
      scored.set(race.id, scores);
      warnings.push(...done.warnings);
      if (entrants === null)
        warnings.push(`${race.id} has results but a race it qualifies from has none`);
    }
    races.push({
      id: race.id,
      ...(race.name !== undefined ? { name: race.name } : {}),
      kind: race.kind,
      scored: race.scored,
      done: own !== undefined,
      entrants: entrants === null ? null : entrants.map((p) => p.playerId),
      scores,
    });
  }
  const known = new Set(tournament.races.map((race) => race.id));
  for (const id of Object.keys(results).sort())
    if (!known.has(id))
      warnings.push(`results of race ${id}, not a race of this tournament, are left out`);
  return { races, warnings };
}

/** Everyone in the tournament so far: fixed entrants, then whoever has a score. */
function collectTotals(tournament: Tournament, races: readonly StandingsRace[]): Totals[] {
  const totals = new Map<string, Totals>();
  const meet = (p: Pick<Participant, 'playerId' | 'name'>) => {
    const known = totals.get(p.playerId);
    if (known) {
      if (known.name === undefined) known.name = p.name;
      return known;
    }
    const fresh = emptyTotals(p.playerId, p.name);
    totals.set(p.playerId, fresh);
    return fresh;
  };
  for (const race of tournament.races)
    if (race.entry.type === 'fixed') for (const player of race.entry.players) meet(player);
  for (const race of races) {
    for (const score of race.scores) {
      if (!score.entered) continue;
      const mine = meet(score);
      if (race.scored) addScore(mine, score);
    }
  }
  return [...totals.values()];
}

/**
 * The standings of a tournament after the races that have results: each race's entrants
 * (qualification applied) and scores, and every racer's points, wins, finishes and position
 * (ties broken by the tournament's tie-breaks, else shared). Pure and deterministic: the same
 * tournament and results always give the same standings. A race without results, or whose
 * results were aborted, scores nothing and leaves the races qualifying from it unresolved.
 *
 * @example
 * const standings = computeStandings(tournament, { 'heat-1': heat1Results, 'heat-2': heat2Results });
 * standings.races[2]?.entrants; // the final's grid
 * standings.standings[0];       // { position: 1, playerId: 'ann', points: 25, ... }
 */
export function computeStandings(tournament: Tournament, results: ResultsByRace): Standings {
  const { races, warnings } = walkRaces(tournament, results);
  return {
    format: 'gw2race-standings',
    version: 1,
    tournament: tournament.name,
    complete: races.every((race) => race.done),
    races,
    standings: rankStandings(collectTotals(tournament, races), tournament.tieBreaks),
    warnings,
  };
}

/**
 * The entrants of one race, in grid order (its fixed list, or who qualified from the races
 * before it), or null while a race it qualifies from has no results. Throws
 * {@link StandingsError} `UNKNOWN_RACE` for a race id the tournament does not have.
 */
export function raceEntrants(
  tournament: Tournament,
  raceId: string,
  results: ResultsByRace,
): Participant[] | null {
  const index = tournament.races.findIndex((race) => race.id === raceId);
  const race = tournament.races[index];
  if (!race)
    throw new StandingsError(
      'UNKNOWN_RACE',
      `race ${raceId} is not in the tournament ${tournament.name}`,
    );
  const before = tournament.races.slice(0, index);
  const { races } = walkRaces(
    { ...tournament, races: before },
    pick(
      results,
      before.map((r) => r.id),
    ),
  );
  const scores = new Map(races.filter((r) => r.done).map((r) => [r.id, r.scores]));
  return resolveEntrants(race, (id) => scores.get(id));
}

/** The results of only these races. */
function pick(results: ResultsByRace, ids: readonly string[]): ResultsByRace {
  return Object.fromEntries(ids.map((id) => [id, results[id]]));
}
