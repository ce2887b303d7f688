import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, mapIdSchema } from './common';

/**
 * `race/{raceId}/pos/{playerId}`: one position sample, sent every 100 ms by racers (QoS 0, never
 * queued offline). Positions are MumbleLink's avatar position in metres.
 */
export const posMessageSchema = z.object({
  playerId: idSchema,
  t: epochSecondsSchema.describe(
    'When the game produced this position, on the organizer clock (epoch s, the client converts its monotonic clock through its offset). Values below 1e9 are read as seconds since t0, as in the spec example.',
  ),
  x: z.number(),
  y: z.number(),
  z: z.number(),
  v: z.number().nonnegative().optional().describe('Speed in m/s, from successive positions.'),
  mapId: mapIdSchema.optional(),
  mount: z.int().min(0).max(255).optional().describe('MumbleLink mount index (6 = roller beetle).'),
  tick: z
    .int()
    .nonnegative()
    .max(0xffffffff)
    .optional()
    .describe('MumbleLink uiTick of the frame.'),
  u: z
    .number()
    .nonnegative()
    .optional()
    .describe("± seconds of t: the client's clock offset bound plus how stale the sample may be."),
  ...integrityFields,
});

/** A position sample. */
export type PosMessage = z.infer<typeof posMessageSchema>;

/** A field of a position message. */
export type PosField = keyof PosMessage;

/**
 * The fields of a position message, in the schema's order, read from {@link posMessageSchema}'s
 * shape: the one list the compact MessagePack codec and the recording format derive theirs from
 * (their tests fail when a field is added here that they do not handle).
 */
export const POS_FIELDS: readonly PosField[] = Object.freeze(
  Object.keys(posMessageSchema.shape) as PosField[],
);
