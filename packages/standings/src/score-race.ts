import type {
  Participant,
  RaceOutcome,
  RaceScore,
  Tournament,
  TournamentRace,
} from '@gw2race/protocol';
import type { RacerResult } from '@gw2race/race-engine';

/** What the standings read of one racer's result (a race-engine {@link RacerResult} fits). */
export type RacerResultLike = Pick<
  RacerResult,
  'playerId' | 'name' | 'position' | 'status' | 'time'
>;

/**
 * What the standings read of a race's results: the race-engine's `RaceResults`, as
 * `gw2race-host results` prints them and the live host computes them, fits.
 */
export interface RaceResultsLike {
  readonly raceId?: string | undefined;
  /** True once END was received: the ranking is final. */
  readonly final?: boolean;
  /** True when the race was aborted: it scores nothing. */
  readonly aborted?: boolean;
  readonly racers: readonly RacerResultLike[];
}

/** How a racer's engine status reads in the standings. */
function outcomeOf(status: RacerResultLike['status']): RaceOutcome {
  if (status === 'finished') return 'finished';
  if (status === 'dsq') return 'dsq';
  // Connected but never left the start: did not start.
  if (status === 'waiting') return 'dns';
  return 'dnf';
}

const OUTCOME_ORDER: Record<RaceOutcome, number> = { finished: 0, dnf: 1, dsq: 2, dns: 3 };

/** Points of one outcome in one race. */
function pointsOf(
  tournament: Tournament,
  race: TournamentRace,
  outcome: RaceOutcome,
  place: number | null,
): number {
  if (!race.scored) return 0;
  if (outcome === 'finished') return (race.points ?? tournament.points)[(place ?? 0) - 1] ?? 0;
  return outcome === 'dsq' ? tournament.dsqPoints : tournament.dnfPoints;
}

/** A race scored: one line per racer, and what a person should check. */
export interface ScoredRace {
  readonly scores: RaceScore[];
  readonly warnings: string[];
}

/**
 * Scores one race from its results: finishers by results position get the points of their
 * place (1 for the first finisher), then DNF, DSQ and DNS (entrants the results do not know)
 * get the tournament's DNF/DSQ points. A racer who is not an entrant is listed (`entered:
 * false`) but takes no place and scores nothing. `entrants` null: the entry list is not known,
 * so everyone counts as an entrant. Pure.
 */
export function scoreRace(
  tournament: Tournament,
  race: TournamentRace,
  results: RaceResultsLike,
  entrants: readonly Participant[] | null,
): ScoredRace {
  const warnings: string[] = [];
  const entered = entrants === null ? null : new Set(entrants.map((p) => p.playerId));
  const racers = [...results.racers].sort((a, b) => a.position - b.position);
  const scores: RaceScore[] = [];
  let place = 0;
  for (const racer of racers) {
    const outcome = outcomeOf(racer.status);
    const isEntrant = entered === null || entered.has(racer.playerId);
    const finished = outcome === 'finished' && racer.time !== null && isEntrant;
    const at = finished ? ++place : null;
    if (!isEntrant)
      warnings.push(`${racer.playerId} raced ${race.id} without being an entrant; not scored`);
    scores.push({
      playerId: racer.playerId,
      ...(racer.name !== undefined ? { name: racer.name } : {}),
      outcome: outcome === 'finished' && racer.time === null ? 'dnf' : outcome,
      place: at,
      time: outcome === 'finished' ? racer.time : null,
      points: 0,
      entered: isEntrant,
    });
  }
  const known = new Set(racers.map((r) => r.playerId));
  for (const entrant of entrants ?? []) {
    if (known.has(entrant.playerId)) continue;
    scores.push({
      playerId: entrant.playerId,
      ...(entrant.name !== undefined ? { name: entrant.name } : {}),
      outcome: 'dns',
      place: null,
      time: null,
      points: 0,
      entered: true,
    });
  }
  const ordered = scores
    .map((score, i) => ({ score, i }))
    .sort((a, b) => OUTCOME_ORDER[a.score.outcome] - OUTCOME_ORDER[b.score.outcome] || a.i - b.i)
    .map(({ score }) => ({
      ...score,
      points: pointsOf(tournament, race, score.outcome, score.place),
    }));
  return { scores: ordered, warnings };
}
