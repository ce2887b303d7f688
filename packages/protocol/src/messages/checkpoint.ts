import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, secondsSchema, vec3Schema } from './common';

/**
 * `race/{raceId}/checkpoints`: a crossing the racer's client detected (QoS 1, re-sent until the
 * host's ranking shows it). The host re-judges it against the position stream.
 */
export const checkpointMessageSchema = z.object({
  raceId: idSchema.optional().describe('Must match the topic when present.'),
  playerId: idSchema,
  cp: z.int().nonnegative().describe('Checkpoint id (from state.checkpoints).'),
  ts: epochSecondsSchema.describe(
    'Crossing instant on the organizer clock (epoch s). Values below 1e9 are read as seconds since t0.',
  ),
  lap: z.int().min(1).optional().describe('Lap this crossing belongs to, from 1.'),
  pos: vec3Schema.optional().describe('Where the crossing happened.'),
  speed: z.number().nonnegative().optional().describe('m/s at the crossing.'),
  uncertainty: secondsSchema
    .optional()
    .describe("± seconds of the client's timing (clock bound + interpolation)."),
  ...integrityFields,
});

/** A checkpoint crossing reported by a client. */
export type CheckpointMessage = z.infer<typeof checkpointMessageSchema>;
