import type { RaceScore, Standing, TieBreak } from '@gw2race/protocol';

/** One racer's totals over the scored races with results, before ranking. */
export interface Totals {
  readonly playerId: string;
  name: string | undefined;
  points: number;
  wins: number;
  finishes: number;
  bestPlace: number | null;
  totalTime: number;
  races: number;
  /** How many times the racer finished in each place (`places[0]`: wins). */
  readonly places: number[];
}

/** Fresh totals for a racer. */
export function emptyTotals(playerId: string, name: string | undefined): Totals {
  return {
    playerId,
    name,
    points: 0,
    wins: 0,
    finishes: 0,
    bestPlace: null,
    totalTime: 0,
    races: 0,
    places: [],
  };
}

/** Adds one race's score line to a racer's totals. */
export function addScore(totals: Totals, score: RaceScore): void {
  totals.points += score.points;
  totals.races += 1;
  if (totals.name === undefined && score.name !== undefined) totals.name = score.name;
  if (score.outcome !== 'finished' || score.place === null || score.time === null) return;
  totals.finishes += 1;
  totals.totalTime += score.time;
  if (score.place === 1) totals.wins += 1;
  if (totals.bestPlace === null || score.place < totals.bestPlace) totals.bestPlace = score.place;
  totals.places[score.place - 1] = (totals.places[score.place - 1] ?? 0) + 1;
}

/** Compares by a tie-break: negative when `a` ranks ahead of `b`. */
function byTieBreak(tieBreak: TieBreak, a: Totals, b: Totals): number {
  switch (tieBreak) {
    case 'wins':
      return b.wins - a.wins;
    case 'countback': {
      const n = Math.max(a.places.length, b.places.length);
      for (let i = 0; i < n; i++) {
        const d = (b.places[i] ?? 0) - (a.places[i] ?? 0);
        if (d !== 0) return d;
      }
      return 0;
    }
    case 'bestFinish':
      return (
        (a.bestPlace ?? Number.POSITIVE_INFINITY) - (b.bestPlace ?? Number.POSITIVE_INFINITY) || 0
      );
    case 'totalTime':
      return b.finishes - a.finishes || a.totalTime - b.totalTime;
  }
}

/** Compares on points, then every tie-break: 0 when the two are level on all of them. */
function compareTotals(tieBreaks: readonly TieBreak[], a: Totals, b: Totals): number {
  if (a.points !== b.points) return b.points - a.points;
  for (const tieBreak of tieBreaks) {
    const d = byTieBreak(tieBreak, a, b);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Ranks racers' totals: more points first, then the tie-breaks in order; racers level on all of
 * them share the position (`tied`), listed by player id. Deterministic: the same totals in any
 * order give the same standings.
 */
export function rankStandings(
  totals: readonly Totals[],
  tieBreaks: readonly TieBreak[],
): Standing[] {
  const sorted = [...totals].sort(
    (a, b) =>
      compareTotals(tieBreaks, a, b) ||
      (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0),
  );
  return sorted.map((t, i) => {
    let first = i;
    while (first > 0 && compareTotals(tieBreaks, sorted[first - 1] as Totals, t) === 0) first--;
    const previous = sorted[i - 1];
    const next = sorted[i + 1];
    const tied =
      (previous !== undefined && compareTotals(tieBreaks, previous, t) === 0) ||
      (next !== undefined && compareTotals(tieBreaks, next, t) === 0);
    return {
      position: first + 1,
      playerId: t.playerId,
      ...(t.name !== undefined ? { name: t.name } : {}),
      points: t.points,
      wins: t.wins,
      finishes: t.finishes,
      bestPlace: t.bestPlace,
      totalTime: t.totalTime,
      races: t.races,
      tied,
    };
  });
}
