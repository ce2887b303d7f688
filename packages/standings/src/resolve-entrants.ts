import type { Participant, RaceEntry, RaceScore, TournamentRace } from '@gw2race/protocol';

type QualifiedEntry = Extract<RaceEntry, { type: 'qualified' }>;

/** A finisher of a source race, as qualification ranks it. */
interface Candidate {
  readonly score: RaceScore;
  /** Index of the source race in `from`. */
  readonly source: number;
  readonly place: number;
  readonly time: number;
}

/** Lower is better: by place then time, or by time then place; then the source's order. */
function compareCandidates(by: QualifiedEntry['by']) {
  return (a: Candidate, b: Candidate): number =>
    (by === 'time' ? a.time - b.time || a.place - b.place : a.place - b.place || a.time - b.time) ||
    a.source - b.source ||
    (a.score.playerId < b.score.playerId ? -1 : a.score.playerId > b.score.playerId ? 1 : 0);
}

/** The finishers of one source race, as candidates. */
function finishersOf(scores: readonly RaceScore[], source: number): Candidate[] {
  const out: Candidate[] = [];
  for (const score of scores)
    if (score.outcome === 'finished' && score.place !== null && score.time !== null)
      out.push({ score, source, place: score.place, time: score.time });
  return out;
}

/** The qualifiers of a qualified entry, in grid order, or null while a source has no scores. */
function qualifiers(
  entry: QualifiedEntry,
  scoresOf: (raceId: string) => readonly RaceScore[] | undefined,
): Participant[] | null {
  const compare = compareCandidates(entry.by);
  const sources: Candidate[][] = [];
  for (const [i, from] of entry.from.entries()) {
    const scores = scoresOf(from);
    if (scores === undefined) return null;
    sources.push(finishersOf(scores, i).sort(compare));
  }
  const picked =
    entry.per === 'race'
      ? sources.flatMap((finishers) => finishers.slice(0, entry.top)).sort(compare)
      : sources.flat().sort(compare);
  const seen = new Set<string>();
  const grid: Participant[] = [];
  for (const { score } of picked) {
    if (seen.has(score.playerId)) continue;
    seen.add(score.playerId);
    grid.push({
      playerId: score.playerId,
      ...(score.name !== undefined ? { name: score.name } : {}),
    });
  }
  return entry.per === 'race' ? grid : grid.slice(0, entry.top);
}

/**
 * Who races `race`, in grid order: its fixed players, or the qualifiers of the races it
 * qualifies from (the top `top` finishers of each, or of all of them together, by position or
 * by time; a racer in two source races counts once, with the better result). Null while a race
 * it qualifies from has no scores yet. `scoresOf` gives a race's scores (from
 * {@link scoreRace}), or undefined while it has none. Pure.
 *
 * @example
 * resolveEntrants(final, (id) => scored.get(id)); // [{ playerId: 'ann' }, { playerId: 'cat' }, ...]
 */
export function resolveEntrants(
  race: TournamentRace,
  scoresOf: (raceId: string) => readonly RaceScore[] | undefined,
): Participant[] | null {
  return race.entry.type === 'fixed' ? [...race.entry.players] : qualifiers(race.entry, scoresOf);
}
