import { z } from 'zod';
import { ProtocolError } from './errors';
import { idSchema } from './ids';
import { textSchema } from './messages/common';
import { err, ok, type Result } from './result';
import { describeFirstIssue } from './tournament';

/**
 * How a racer's race went, for the standings: `finished`, `dnf` (started or entered but did not
 * finish: retired, disconnected, still racing at the end), `dsq` (disqualified), or `dns` (an
 * entrant the race's results do not know: never joined).
 */
export const raceOutcomeSchema = z.enum(['finished', 'dnf', 'dsq', 'dns']);

/** A racer's outcome in one race. */
export type RaceOutcome = z.infer<typeof raceOutcomeSchema>;

/** One racer's line in one race of the standings. */
export const raceScoreSchema = z.object({
  playerId: idSchema,
  name: textSchema(64).optional(),
  outcome: raceOutcomeSchema,
  place: z
    .int()
    .min(1)
    .nullable()
    .describe('Finishing place among the finishing entrants, or null.'),
  time: z.number().nonnegative().nullable().describe('Race time in seconds when finished.'),
  points: z.number().describe('Points scored (0 in an unscored race).'),
  entered: z
    .boolean()
    .describe('False: raced without being an entrant of this race (no place, no points).'),
});

/** One racer's line in one race. */
export type RaceScore = z.infer<typeof raceScoreSchema>;

/** One race of the tournament, as the standings see it. */
export const standingsRaceSchema = z.object({
  id: idSchema,
  name: textSchema(200).optional(),
  kind: z.enum(['heat', 'final']),
  scored: z.boolean(),
  done: z.boolean().describe('True when the race has results.'),
  entrants: z
    .array(idSchema)
    .nullable()
    .describe('Who races it, in grid order; null while a race it qualifies from has no results.'),
  scores: z.array(raceScoreSchema).describe('By place (finishers), then DNF, DSQ, DNS.'),
});

/** One race of the standings. */
export type StandingsRace = z.infer<typeof standingsRaceSchema>;

/** One racer's line in the standings. */
export const standingSchema = z.object({
  position: z.int().min(1).describe('Shared by racers still level after every tie-break.'),
  playerId: idSchema,
  name: textSchema(64).optional(),
  points: z.number(),
  wins: z.int().nonnegative(),
  finishes: z.int().nonnegative().describe('Scored races finished.'),
  bestPlace: z.int().min(1).nullable().describe('Best finishing place in a scored race.'),
  totalTime: z.number().nonnegative().describe('Sum of finishing times in scored races, s.'),
  races: z.int().nonnegative().describe('Scored races taken part in.'),
  tied: z.boolean().describe('Level with another racer after every tie-break.'),
});

/** One racer's line in the standings. */
export type Standing = z.infer<typeof standingSchema>;

/** `standings.json`: the standings of a tournament after the races that have results. */
export const standingsSchema = z.object({
  format: z.literal('gw2race-standings'),
  version: z.literal(1),
  tournament: textSchema(200).describe('The tournament name.'),
  complete: z.boolean().describe('True when every race has results.'),
  races: z.array(standingsRaceSchema),
  standings: z.array(standingSchema).describe('By position, then player id.'),
  warnings: z.array(z.string()).describe('Things a person should check, one sentence each.'),
});

/** The standings of a tournament. */
export type Standings = z.infer<typeof standingsSchema>;

/** Parses untrusted standings (e.g. `standings.json` fetched by a viewer). */
export function parseStandings(value: unknown): Result<Standings, ProtocolError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return err(new ProtocolError('NOT_AN_OBJECT', 'standings are a JSON object'));
  const parsed = standingsSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(describeFirstIssue('standings', parsed.error));
}
