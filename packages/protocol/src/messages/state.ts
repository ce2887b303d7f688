import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, mapIdSchema, textSchema } from './common';
import { trackCheckpointSchema } from './track';

/** A racer expected in the race. */
export const participantSchema = z.object({
  playerId: idSchema,
  name: textSchema(64).optional().describe('Display name.'),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional()
    .describe('Display colour, #rrggbb.'),
});

/** A participant. */
export type Participant = z.infer<typeof participantSchema>;

/** Where the race is: before the start, running, or over. */
export const raceStageSchema = z.enum(['pre', 'active', 'post']);

/** A race stage. */
export type RaceStage = z.infer<typeof raceStageSchema>;

/** When each racer's clock starts: everyone at `t0`, or each racer on leaving the start. */
export const startRuleSchema = z.enum(['mass', 'timeTrial']);

/** A start rule. */
export type StartRule = z.infer<typeof startRuleSchema>;

/**
 * `race/{raceId}/state`, retained, published by the host: everything a client needs to race.
 * Published again whenever it changes (participants, t0, stage).
 */
export const stateMessageSchema = z.object({
  v: z.int().positive().optional().describe('Protocol version; 1 when omitted.'),
  raceId: idSchema,
  trackId: z.string().min(1).max(128),
  trackName: textSchema(200).optional(),
  name: textSchema(200).optional().describe('Tournament or race name.'),
  mapId: mapIdSchema.optional(),
  checkpoints: z
    .array(trackCheckpointSchema)
    .max(1000)
    .describe('In course order; the first is the start.'),
  circuit: z.boolean().optional().describe('True when the start is also the finish of each lap.'),
  laps: z.int().min(1).max(1000).optional().describe('1 when omitted.'),
  startRule: startRuleSchema.optional().describe('"mass" when omitted.'),
  t0: epochSecondsSchema
    .nullable()
    .optional()
    .describe('Start instant on the organizer clock (epoch s); null or omitted before START.'),
  serverClock: epochSecondsSchema
    .optional()
    .describe('Organizer clock when this state was published (epoch s).'),
  stage: raceStageSchema.optional(),
  participants: z.array(participantSchema).max(1000).optional(),
  tournament: z
    .object({
      race: z.int().min(1).describe('This race is the race-th of the tournament.'),
      races: z.int().min(1).describe('Races in the tournament.'),
    })
    .optional()
    .describe(
      'Set when the race is one of a tournament: clients stay after it ends, for the standings and the next race (control NEXT_RACE).',
    ),
  host: z
    .object({
      id: idSchema.describe('Random id of the host process, new at each start.'),
      since: epochSecondsSchema.describe('Organizer clock when that process started (epoch s).'),
    })
    .optional()
    .describe(
      'The host process publishing the race: one authority per race, so a second host that sees another id refuses to publish.',
    ),
  ...integrityFields,
});

/** The retained race state. */
export type StateMessage = z.infer<typeof stateMessageSchema>;
