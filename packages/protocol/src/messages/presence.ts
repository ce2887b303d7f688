import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, mapIdSchema, textSchema } from './common';

/** What happened: joined, ready, still here (1 Hz), left, or dropped (the LWT). */
export const presenceEventSchema = z.enum(['join', 'ready', 'heartbeat', 'leave', 'disconnected']);

/** A presence event. */
export type PresenceEvent = z.infer<typeof presenceEventSchema>;

/** How a client describes itself (the spec's `{"playerId":"p1","status":"ready"}`). */
export const presenceStatusSchema = z.enum([
  'ready',
  'not-ready',
  'waiting',
  'racing',
  'finished',
  'spectating',
  'disconnected',
]);

/** A presence status. */
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;

/** Whether the client sees the game: live telemetry, stale (loading screen, paused), or none. */
export const gameStateSchema = z.enum(['live', 'stale', 'absent', 'simulated']);

const presenceFields = {
  playerId: idSchema,
  name: textSchema(64).optional().describe('Display name.'),
  mode: z.enum(['racer', 'spectator']).optional(),
  clientClock: epochSecondsSchema.optional().describe("Client's own clock when sent (epoch s)."),
  ver: textSchema(32).optional().describe('Client software and version.'),
  game: gameStateSchema.optional(),
  mapId: mapIdSchema.optional().describe('Map the player is on, from MumbleLink.'),
  ...integrityFields,
};

/**
 * `race/{raceId}/presence`: join/ready/heartbeat/leave, and the LWT `disconnected`. A message
 * carries an `event`, a `status`, or both.
 */
export const presenceMessageSchema = z.union(
  [
    z.object({
      ...presenceFields,
      event: presenceEventSchema,
      status: presenceStatusSchema.optional(),
    }),
    z.object({
      ...presenceFields,
      event: presenceEventSchema.optional(),
      status: presenceStatusSchema,
    }),
  ],
  {
    error:
      'a presence message needs an "event" (join, ready, heartbeat, leave, disconnected), a "status", or both',
  },
);

/** A presence message. */
export type PresenceMessage = z.infer<typeof presenceMessageSchema>;

/**
 * What a presence message means, whichever of `event`/`status` the sender used: `disconnected`
 * and `leave` end a client's presence; anything else keeps it alive.
 */
export function presenceKind(message: PresenceMessage): PresenceEvent {
  if (message.event !== undefined) return message.event;
  if (message.status === 'disconnected') return 'disconnected';
  if (message.status === 'ready') return 'ready';
  return 'heartbeat';
}
