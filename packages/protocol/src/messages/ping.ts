import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields } from './common';

/**
 * `race/{raceId}/ping`: a clock probe. The client stamps `t1` with its own clock; the host answers
 * with a `pong` on `race/{raceId}/pong/{playerId}`. It may also report what it measured so far.
 */
export const pingMessageSchema = z.object({
  playerId: idSchema,
  id: z
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Probe number, echoed in the pong.'),
  t1: epochSecondsSchema.describe(
    "Client time when sent (epoch s) on the client's own time scale: its monotonic clock anchored once to its wall clock, never a raw system clock reading that can step. offsetMs is relative to this scale.",
  ),
  rttMs: z.number().nonnegative().optional().describe('Last measured round trip to the host, ms.'),
  offsetMs: z
    .number()
    .optional()
    .describe("Current estimate: host clock minus the client's time scale (that of t1), ms."),
  boundMs: z.number().nonnegative().optional().describe('Error bound of offsetMs, ms.'),
  ...integrityFields,
});

/** A clock probe. */
export type PingMessage = z.infer<typeof pingMessageSchema>;

/**
 * `race/{raceId}/pong/{playerId}`: the host's answer to a ping. With the client's receive time
 * `t4`: offset = ((t2 − t1) + (t3 − t4)) / 2, delay = (t4 − t1) − (t3 − t2).
 */
export const pongMessageSchema = z.object({
  playerId: idSchema,
  id: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  t1: epochSecondsSchema.describe('Echo of the ping’s t1.'),
  t2: epochSecondsSchema.describe('Organizer clock when the ping arrived (epoch s).'),
  t3: epochSecondsSchema.describe('Organizer clock when this pong was sent (epoch s).'),
  precisionMs: z
    .number()
    .nonnegative()
    .optional()
    .describe('Resolution of the clock that stamped t2/t3, ms; omitted means sub-millisecond.'),
  ...integrityFields,
});

/** The answer to a clock probe. */
export type PongMessage = z.infer<typeof pongMessageSchema>;
