import { z } from 'zod';
import { ProtocolError } from './errors';
import { idSchema } from './ids';
import { mapIdSchema, textSchema } from './messages/common';
import { participantSchema, startRuleSchema } from './messages/state';
import { err, ok, type Result } from './result';

/** Points by finishing place when a tournament gives none: F1's, 25-18-15-12-10-8-6-4-2-1. */
export const DEFAULT_POINTS: readonly number[] = Object.freeze([25, 18, 15, 12, 10, 8, 6, 4, 2, 1]);

/**
 * How racers level on points are told apart, in the order a tournament lists them:
 * - `wins`: more race wins;
 * - `countback`: more wins, then more second places, then more thirds, and so on;
 * - `bestFinish`: the better best finishing place;
 * - `totalTime`: more races finished, then the lower sum of finishing times.
 * Racers still level share the position.
 */
export const TIE_BREAKS = ['wins', 'countback', 'bestFinish', 'totalTime'] as const;

/** One of {@link TIE_BREAKS}. */
export type TieBreak = (typeof TIE_BREAKS)[number];

/** The tie-breaks when a tournament gives none. */
export const DEFAULT_TIE_BREAKS: readonly TieBreak[] = Object.freeze([
  'wins',
  'bestFinish',
  'totalTime',
]);

/** Points by finishing place: the first number for the winner, none beyond the table's end. */
const pointsTableSchema = z
  .array(z.number().nonnegative().max(1_000_000))
  .max(1000)
  .describe('Points by finishing place (first: the winner); places beyond the table score 0.');

/** A race whose entrants are listed by name. */
export const fixedEntrySchema = z.object({
  type: z.literal('fixed'),
  players: z.array(participantSchema).min(1).max(1000).describe('The entrants, in grid order.'),
});

/** A race whose entrants are the best of earlier races. */
export const qualifiedEntrySchema = z.object({
  type: z.literal('qualified'),
  from: z
    .array(idSchema)
    .min(1)
    .max(100)
    .describe('Ids of the races qualified from; each must run earlier in `races`.'),
  top: z.int().min(1).max(1000).describe('How many qualify (per race or overall, see `per`).'),
  by: z
    .enum(['position', 'time'])
    .default('position')
    .describe('Rank by finishing position (default) or by finishing time.'),
  per: z
    .enum(['race', 'overall'])
    .default('race')
    .describe('`race`: the top N of each race (default); `overall`: the top N of all of them.'),
});

/** Who races a race: a fixed list, or qualifiers from earlier races. */
export const raceEntrySchema = z.discriminatedUnion('type', [
  fixedEntrySchema,
  qualifiedEntrySchema,
]);

/** Who races a race (after defaults). */
export type RaceEntry = z.output<typeof raceEntrySchema>;

/** One race of a tournament. */
export const tournamentRaceSchema = z.object({
  id: idSchema.describe('The race id on the wire and in its recording; unique in the tournament.'),
  name: textSchema(200).optional(),
  kind: z.enum(['heat', 'final']),
  track: z
    .string()
    .min(1)
    .max(1000)
    .describe(
      'As `gw2race-host --track` takes it: a bundled track name, a gw2race track JSON or a Beetlerank CSV (a relative path is from the tournament file).',
    ),
  map: mapIdSchema.optional().describe('GW2 map id of the track (Beetlerank files do not say).'),
  laps: z.int().min(1).max(1000).optional().describe("Laps; the track's when omitted, else 1."),
  startRule: startRuleSchema.optional().describe('"mass" when omitted.'),
  entry: raceEntrySchema,
  scored: z
    .boolean()
    .default(true)
    .describe('False: the race only qualifies (no points, not in the tie-break counts).'),
  points: pointsTableSchema
    .optional()
    .describe("This race's points table, instead of the tournament's."),
});

/** One race of a tournament (after defaults). */
export type TournamentRace = z.output<typeof tournamentRaceSchema>;

/** The qualification sources of each race, by id, as the file lists them. */
type SourceGraph = ReadonlyMap<string, readonly string[]>;

/** A cycle of races qualifying from each other, as ids from and back to its first, or null. */
function findCycle(graph: SourceGraph): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    const at = path.indexOf(id);
    if (at >= 0) return [...path.slice(at), id];
    if (done.has(id) || !graph.has(id)) return null;
    path.push(id);
    for (const from of graph.get(id) ?? []) {
      const cycle = visit(from);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(id);
    return null;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}

/** Checks what JSON Schema cannot: unique ids, qualification only from known earlier races. */
function checkRaces(races: readonly TournamentRace[], ctx: z.RefinementCtx): void {
  const index = new Map<string, number>();
  races.forEach((race, i) => {
    if (index.has(race.id))
      ctx.addIssue({
        code: 'custom',
        path: ['races', i, 'id'],
        message: `race id "${race.id}" is used twice`,
      });
    else index.set(race.id, i);
  });
  const graph = new Map<string, string[]>();
  for (const race of races)
    if (race.entry.type === 'qualified' && !graph.has(race.id)) graph.set(race.id, race.entry.from);
  const cycle = findCycle(graph);
  if (cycle) {
    const message =
      cycle.length === 2
        ? `race "${cycle[0]}" qualifies from itself`
        : `races ${cycle.map((id) => `"${id}"`).join(' → ')} qualify from each other (a cycle)`;
    ctx.addIssue({ code: 'custom', path: ['races', index.get(cycle[0] as string) ?? 0], message });
    return;
  }
  races.forEach((race, i) => {
    if (race.entry.type !== 'qualified') return;
    race.entry.from.forEach((from, j) => {
      const path = ['races', i, 'entry', 'from', j];
      const at = index.get(from);
      if (at === undefined)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `race "${race.id}" qualifies from "${from}", which is not a race of this tournament`,
        });
      else if (at > i)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `race "${race.id}" qualifies from "${from}", which runs later (races run in the order listed)`,
        });
    });
    if (new Set(race.entry.from).size !== race.entry.from.length)
      ctx.addIssue({
        code: 'custom',
        path: ['races', i, 'entry', 'from'],
        message: `race "${race.id}" lists a race to qualify from twice`,
      });
  });
  races.forEach((race, i) => {
    if (race.entry.type !== 'fixed') return;
    const ids = race.entry.players.map((p) => p.playerId);
    const twice = ids.find((id, j) => ids.indexOf(id) !== j);
    if (twice !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['races', i, 'entry', 'players'],
        message: `player "${twice}" is entered twice in race "${race.id}"`,
      });
  });
}

/**
 * A tournament file (`*.tournament.json`): a series of races run in the order listed, each with
 * its track, laps, start rule and entrants (fixed, or qualified from earlier races), and how
 * they score: a points table (F1's by default), DNF/DSQ points and tie-breaks.
 */
export const tournamentSchema = z
  .object({
    format: z.literal('gw2race-tournament'),
    version: z.literal(1),
    name: textSchema(200).min(1),
    races: z.array(tournamentRaceSchema).min(1).max(200).describe('Run in this order.'),
    points: pointsTableSchema.default([...DEFAULT_POINTS]),
    dnfPoints: z
      .number()
      .min(-1_000_000)
      .max(1_000_000)
      .default(0)
      .describe('Points of a racer who started but did not finish (or never started).'),
    dsqPoints: z
      .number()
      .min(-1_000_000)
      .max(1_000_000)
      .default(0)
      .describe('Points of a disqualified racer (negative: a penalty).'),
    tieBreaks: z
      .array(z.enum(TIE_BREAKS))
      .max(TIE_BREAKS.length)
      .default([...DEFAULT_TIE_BREAKS])
      .describe('How racers level on points are told apart, in order.'),
  })
  .superRefine((tournament, ctx) => checkRaces(tournament.races, ctx));

/** A tournament, defaults applied. */
export type Tournament = z.output<typeof tournamentSchema>;

/** A tournament as a file may write it (defaults may be left out). */
export type TournamentInput = z.input<typeof tournamentSchema>;

/** The first issue of a failed parse, as one sentence: `invalid tournament at races.1.kind: …`. */
export function describeFirstIssue(what: string, error: z.ZodError): ProtocolError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return new ProtocolError(
    'INVALID_MESSAGE',
    `invalid ${what}${where}: ${issue?.message ?? 'does not match the schema'}`,
    { issues: error.issues, cause: error },
  );
}

/**
 * Parses an untrusted tournament file (already JSON-decoded). The error's message is one
 * sentence naming where the file is wrong, e.g. `invalid tournament at races.2.entry.from.0:
 * race "final" qualifies from "heat-3", which is not a race of this tournament`.
 *
 * @example
 * const parsed = parseTournament(JSON.parse(text));
 * if (!parsed.ok) throw parsed.error;
 * parsed.value.points; // [25, 18, 15, ...] unless the file gives its own
 */
export function parseTournament(value: unknown): Result<Tournament, ProtocolError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return err(new ProtocolError('NOT_AN_OBJECT', 'a tournament file is a JSON object'));
  const parsed = tournamentSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(describeFirstIssue('tournament', parsed.error));
}
