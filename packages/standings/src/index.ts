export type { ResultsByRace } from './compute-standings';
export { computeStandings, raceEntrants } from './compute-standings';
export type { StandingsErrorCode, StandingsErrorOptions } from './errors';
export { isStandingsError, STANDINGS_ERROR_CODES, StandingsError } from './errors';
export { resolveEntrants } from './resolve-entrants';
export type { RaceResultsLike, RacerResultLike, ScoredRace } from './score-race';
export { scoreRace } from './score-race';
export { encodeStandingsCsv } from './standings-csv';
