import { z } from 'zod';
import { idSchema } from '../ids';
import { integrityFields } from './common';

/**
 * What a client asks the host to send again. `state`: the race state and the current ranking
 * (both unrecorded), for a client that has not got the retained ones (a broker node or tier that
 * keeps none, a reconnect through another node).
 */
export const requestWantSchema = z.enum(['state']);

/**
 * `race/{raceId}/request`: a client that has waited a moment without the race state asks for it.
 * The host answers on the channels it always publishes on (`state`, `ranking`), at most once a
 * second however many ask, so a flood of requests cannot make it flood the hub.
 */
export const requestMessageSchema = z.object({
  playerId: idSchema.describe('Player id of the client that asks (racer or spectator).'),
  want: requestWantSchema.describe(
    "What the client lacks: 'state' (the race state, and the current ranking with it).",
  ),
  ...integrityFields,
});

/** A client's request for the race state. */
export type RequestMessage = z.infer<typeof requestMessageSchema>;
