import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, secondsSchema, textSchema } from './common';
import { raceStageSchema } from './state';

/** A racer's standing. */
export const racerStatusSchema = z.enum([
  'waiting',
  'racing',
  'finished',
  'dnf',
  'dsq',
  'disconnected',
]);

/** A racer status. */
export type RacerStatus = z.infer<typeof racerStatusSchema>;

/** One line of the ranking. Times are race seconds (since the racer's start). */
export const rankingEntrySchema = z.object({
  playerId: idSchema,
  name: textSchema(64).optional(),
  position: z.int().min(1),
  status: racerStatusSchema,
  lap: z.int().nonnegative().describe('Laps completed.'),
  checkpoints: z
    .int()
    .nonnegative()
    .describe('Checkpoints credited by the host since the start, all laps together.'),
  lastCp: z.int().nonnegative().optional().describe('Id of the last checkpoint credited.'),
  lastAt: secondsSchema.optional().describe('Race time of the last checkpoint credited.'),
  time: secondsSchema.optional().describe('Total race time, for finished racers.'),
  gapToLeader: secondsSchema.nullable().optional(),
  gapToAhead: secondsSchema.nullable().optional(),
  splits: z
    .array(secondsSchema)
    .max(100_000)
    .optional()
    .describe('Race time at each credited checkpoint.'),
  uncertainty: secondsSchema.optional().describe('± seconds on this racer\u2019s times.'),
  flags: z.int().nonnegative().optional().describe('Number of flags raised for review.'),
});

/** A ranking entry. */
export type RankingEntry = z.infer<typeof rankingEntrySchema>;

/** `race/{raceId}/ranking`, retained, published by the host on every change and at a low steady rate. */
export const rankingMessageSchema = z.object({
  raceId: idSchema,
  t: epochSecondsSchema.describe('Organizer clock when computed (epoch s).'),
  stage: raceStageSchema.optional(),
  final: z.boolean().optional().describe('True for the final results.'),
  entries: z.array(rankingEntrySchema).max(1000),
  ...integrityFields,
});

/** A ranking. */
export type RankingMessage = z.infer<typeof rankingMessageSchema>;
