import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, secondsSchema, textSchema } from './common';

/**
 * `SYNC_T0`: the organizer's clock right now. Coarse, for display only: it is late by the whole
 * one-way delay (tens of ms on broadband). Clients measure their offset with ping/pong.
 */
export const syncT0CommandSchema = z.object({
  cmd: z.literal('SYNC_T0'),
  serverClock: epochSecondsSchema.describe(
    'Organizer clock when sent (epoch s). Coarse (late by the one-way delay): display only; use ping/pong for timing.',
  ),
  ...integrityFields,
});

/** `START`: the race starts at `t0`, an instant in the future on the organizer's clock. */
export const startCommandSchema = z.object({
  cmd: z.literal('START'),
  t0: epochSecondsSchema.describe('Start instant on the organizer clock (epoch s).'),
  serverClock: epochSecondsSchema.optional().describe('Organizer clock when sent (epoch s).'),
  ...integrityFields,
});

/** `PAUSE`: hold the race (before t0: the countdown stops; START comes again with a new t0). */
export const pauseCommandSchema = z.object({
  cmd: z.literal('PAUSE'),
  at: epochSecondsSchema.optional().describe('Organizer clock when paused (epoch s).'),
  reason: textSchema(500).optional(),
  ...integrityFields,
});

/** `RESUME`: continue after PAUSE; `t0` is the new start instant when the countdown was held. */
export const resumeCommandSchema = z.object({
  cmd: z.literal('RESUME'),
  at: epochSecondsSchema.optional(),
  t0: epochSecondsSchema.optional(),
  ...integrityFields,
});

/** `ABORT`: the race is called off; no results. */
export const abortCommandSchema = z.object({
  cmd: z.literal('ABORT'),
  reason: textSchema(500),
  ...integrityFields,
});

/** `END`: the race is over (everyone finished, time limit, finish timeout); the final ranking follows. */
export const endCommandSchema = z.object({
  cmd: z.literal('END'),
  reason: textSchema(500).optional(),
  at: epochSecondsSchema.optional(),
  ...integrityFields,
});

/** `MSG`: text to show on racers' screens; to one player when `to` is set. */
export const msgCommandSchema = z.object({
  cmd: z.literal('MSG'),
  text: textSchema(500).min(1),
  level: z.enum(['info', 'warning', 'important']).optional(),
  to: idSchema.optional().describe('Only this player should show it.'),
  duration: secondsSchema.optional().describe('How long to show it; clients choose when omitted.'),
  ...integrityFields,
});

/**
 * `RULING`: the organizer's decision about a racer after reviewing flags: disqualify (`dsq`),
 * retire (`dnf`), or undo either (`reinstate`). Public, so racers see it, and recorded, so a
 * re-judgement of the race applies it too.
 */
export const rulingCommandSchema = z.object({
  cmd: z.literal('RULING'),
  playerId: idSchema,
  action: z.enum(['dsq', 'dnf', 'reinstate']),
  reason: textSchema(500).optional(),
  at: epochSecondsSchema.optional(),
  ...integrityFields,
});

/**
 * `STANDING`: one racer's place in the tournament standings after this race (sent to each racer
 * once the race's results are in, in a race of a tournament).
 */
export const standingCommandSchema = z.object({
  cmd: z.literal('STANDING'),
  to: idSchema.describe('The racer this standing is for.'),
  position: z.int().min(1).describe('Position in the standings (shared when tied).'),
  of: z.int().min(1).describe('How many racers the standings rank.'),
  points: z.number().describe('Tournament points so far.'),
  racePoints: z.number().describe('Points scored in this race.'),
  tied: z.boolean().optional().describe('Level with another racer after every tie-break.'),
  ...integrityFields,
});

/**
 * `NEXT_RACE`: the tournament goes on in race `next`: a client follows there (its hub
 * connection, subscriptions and presence move to that race id). Without `next` the tournament
 * is over. (Not `raceId`: that field names the race a message belongs to.)
 */
export const nextRaceCommandSchema = z.object({
  cmd: z.literal('NEXT_RACE'),
  next: idSchema.optional().describe('Id of the next race; absent when the tournament is over.'),
  name: textSchema(200).optional().describe('What the next race is called (e.g. "Final").'),
  ...integrityFields,
});

/** `race/{raceId}/control`: organizer commands, QoS 1. */
export const controlMessageSchema = z.discriminatedUnion('cmd', [
  syncT0CommandSchema,
  startCommandSchema,
  pauseCommandSchema,
  resumeCommandSchema,
  abortCommandSchema,
  endCommandSchema,
  msgCommandSchema,
  rulingCommandSchema,
  standingCommandSchema,
  nextRaceCommandSchema,
]);

/** An organizer command. */
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** The `cmd` of a control message. */
export type ControlCommand = ControlMessage['cmd'];
