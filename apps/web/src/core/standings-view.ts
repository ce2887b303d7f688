import {
  HTTP_API_PATHS,
  parseApiError,
  parseStandings,
  type RaceScore,
  type Standings,
  type StandingsRace,
} from '@gw2race/protocol';
import type { Fetch } from './host-info';

/** Where a race of the tournament is: run, running now (or open), the next to run, or later. */
export type RaceStatus = 'done' | 'now' | 'next' | 'later';

/** One race as the standings page heads its column. */
export interface RaceColumn {
  readonly id: string;
  /** Its name, else its id. */
  readonly label: string;
  readonly kind: 'heat' | 'final';
  readonly scored: boolean;
  readonly status: RaceStatus;
}

/** One racer's cell in a race's column: what they scored there, or null (not in that race). */
export interface RaceCell {
  readonly points: number;
  /** `1`, `2`, … for a finisher, else `DNF`, `DSQ`, `DNS`; `–` for a non-entrant. */
  readonly result: string;
  readonly entered: boolean;
}

/** One line of the standings table. */
export interface StandingRow {
  readonly playerId: string;
  readonly name: string;
  /** `1`, or `3=` for racers level after every tie-break. */
  readonly position: string;
  readonly points: number;
  readonly cells: readonly (RaceCell | null)[];
  readonly wins: number;
  readonly bestPlace: number | null;
  readonly totalTime: number;
  /**
   * How the racer's place was settled against those level on points: `level` (tied after every
   * tie-break), `tie-break` (level on points, told apart by the tie-breaks), or null.
   */
  readonly tieBreak: 'level' | 'tie-break' | null;
}

/** What the standings page and the overlays show. */
export interface StandingsView {
  readonly tournament: string;
  readonly complete: boolean;
  readonly races: readonly RaceColumn[];
  readonly rows: readonly StandingRow[];
  /** The race running (or open) now, if any. */
  readonly now: RaceColumn | undefined;
  /** The next race to run after it (the first without results when none runs). */
  readonly next: RaceColumn | undefined;
  readonly warnings: readonly string[];
}

/** One entrant of a race's grid, in grid order. */
export interface GridEntry {
  readonly slot: number;
  readonly playerId: string;
  readonly name: string;
  /** Their tournament points so far. */
  readonly points: number;
}

const OUTCOME_TEXT: Record<RaceScore['outcome'], string> = {
  finished: '',
  dnf: 'DNF',
  dsq: 'DSQ',
  dns: 'DNS',
};

/** Every racer's name known to the standings (lines first, then each race's scores). */
function namesOf(standings: Standings): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of standings.standings) if (s.name) names.set(s.playerId, s.name);
  for (const race of standings.races)
    for (const score of race.scores)
      if (score.name && !names.has(score.playerId)) names.set(score.playerId, score.name);
  return names;
}

/** Which race runs now and which is next, from the host's current race id. */
function statuses(races: readonly StandingsRace[], currentId: string | undefined): RaceStatus[] {
  const current = races.findIndex((race) => race.id === currentId && !race.done);
  const from = current >= 0 ? current + 1 : 0;
  const next = races.findIndex((race, i) => i >= from && !race.done);
  return races.map((race, i) =>
    race.done ? 'done' : i === current ? 'now' : i === next ? 'next' : 'later',
  );
}

function cellOf(score: RaceScore | undefined): RaceCell | null {
  if (!score) return null;
  const result = !score.entered
    ? '–'
    : score.outcome === 'finished'
      ? String(score.place ?? '–')
      : OUTCOME_TEXT[score.outcome];
  return { points: score.points, result, entered: score.entered };
}

/**
 * The standings as the viewer shows them: a column per race (which runs now, which is next), a
 * row per racer with the points and result of each race, and how ties were settled. Pure.
 *
 * @param currentId - the race the host runs now (`/api/info`'s raceId)
 */
export function standingsView(standings: Standings, currentId: string | undefined): StandingsView {
  const status = statuses(standings.races, currentId);
  const races: RaceColumn[] = standings.races.map((race, i) => ({
    id: race.id,
    label: race.name ?? race.id,
    kind: race.kind,
    scored: race.scored,
    status: status[i] ?? 'later',
  }));
  const names = namesOf(standings);
  const pointsCount = new Map<number, number>();
  for (const s of standings.standings)
    pointsCount.set(s.points, (pointsCount.get(s.points) ?? 0) + 1);
  const rows = standings.standings.map(
    (s): StandingRow => ({
      playerId: s.playerId,
      name: names.get(s.playerId) ?? s.playerId,
      position: `${s.position}${s.tied ? '=' : ''}`,
      points: s.points,
      cells: standings.races.map((race) =>
        cellOf(race.scores.find((score) => score.playerId === s.playerId)),
      ),
      wins: s.wins,
      bestPlace: s.bestPlace,
      totalTime: s.totalTime,
      tieBreak: s.tied ? 'level' : (pointsCount.get(s.points) ?? 0) > 1 ? 'tie-break' : null,
    }),
  );
  return {
    tournament: standings.tournament,
    complete: standings.complete,
    races,
    rows,
    now: races.find((race) => race.status === 'now'),
    next: races.find((race) => race.status === 'next'),
    warnings: standings.warnings,
  };
}

/**
 * The grid of a race: its entrants in grid order with their names and points so far; null
 * while they are not known (a race it qualifies from has no results) or for an unknown race.
 */
export function raceGrid(standings: Standings, raceId: string): GridEntry[] | null {
  const race = standings.races.find((r) => r.id === raceId);
  if (!race?.entrants) return null;
  const names = namesOf(standings);
  const points = new Map(standings.standings.map((s) => [s.playerId, s.points]));
  return race.entrants.map((playerId, i) => ({
    slot: i + 1,
    playerId,
    name: names.get(playerId) ?? playerId,
    points: points.get(playerId) ?? 0,
  }));
}

/** What `GET /api/standings` said: the standings, no tournament on this host, or a failure. */
export type StandingsAnswer =
  | { readonly kind: 'standings'; readonly standings: Standings }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly error: string };

/**
 * `GET /api/standings`, parsed with protocol's `standingsSchema`: `none` on 404 (a race on its
 * own, or a replay), `error` with a sentence when the host cannot be reached or answers
 * something that is not standings.
 */
export async function fetchStandings(
  fetcher: Fetch = (input, init) => fetch(input, init),
): Promise<StandingsAnswer> {
  let response: Response;
  try {
    response = await fetcher(HTTP_API_PATHS.standings, { cache: 'no-store' });
  } catch (error) {
    return { kind: 'error', error: `the host does not answer (${(error as Error).message})` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { kind: 'error', error: `the host answered HTTP ${response.status}, not JSON` };
  }
  if (response.status === 404) return { kind: 'none' };
  if (!response.ok)
    return {
      kind: 'error',
      error: `the host refused: ${parseApiError(body) ?? `HTTP ${response.status}`}`,
    };
  const parsed = parseStandings(body);
  return parsed.ok
    ? { kind: 'standings', standings: parsed.value }
    : { kind: 'error', error: `the host's standings are not readable: ${parsed.error.message}` };
}
