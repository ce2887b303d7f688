import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields } from './common';

/**
 * The kinds of flags gw2race raises. The wire accepts any string so newer hosts can add kinds.
 */
export const FLAG_KINDS = {
  /** A checkpoint reported out of course order. */
  order: 'order',
  /** A reported crossing the position stream never made. */
  'no-crossing': 'no-crossing',
  /** A reported time that disagrees with the stream beyond the clock uncertainty. */
  'time-mismatch': 'time-mismatch',
  /** Faster than the mount allows. */
  speed: 'speed',
  /** A jump no speed explains. */
  teleport: 'teleport',
  /** The same message received twice (sequence number seen). */
  duplicate: 'duplicate',
  /** An old message sent again (sequence number lower than one already seen). */
  replay: 'replay',
  /** The racer changed maps during the race. */
  'map-change': 'map-change',
  /** A signature was missing or wrong. */
  signature: 'signature',
  /** A message that could not be decoded or did not belong to its topic. */
  malformed: 'malformed',
  /** Position stream stopped for longer than expected. */
  gap: 'gap',
  /** Mass start: the racer set off before t0, or was not on the start at t0. */
  'false-start': 'false-start',
} as const;

/** A known flag kind. */
export type FlagKind = keyof typeof FLAG_KINDS;

/** How bad a flag is: `info` for the record, `warning` to look at, `critical` likely to change a result. */
export const flagSeveritySchema = z.enum(['info', 'warning', 'critical']);

/** A flag severity. */
export type FlagSeverity = z.infer<typeof flagSeveritySchema>;

/** A position sample kept as evidence. */
export const evidenceSampleSchema = z.object({
  t: epochSecondsSchema,
  x: z.number(),
  y: z.number(),
  z: z.number(),
  v: z.number().nonnegative().optional(),
});

/**
 * Deepest nesting of objects and arrays in a flag's `data`, counting `data` itself as level 1:
 * `{"speed": 41}` is 1 level, `{"limits": {"beetle": [40, 45]}}` is 3. Bounded so code that
 * walks the evidence recursively (`JSON.stringify`, a viewer, a report) cannot overflow its stack.
 */
export const MAX_FLAG_DATA_DEPTH = 8;

/**
 * True when `value` nests objects and arrays more than `limit` levels deep (`value` itself is
 * level 1). Walks without recursion and stops at the first node too deep, so hostile or cyclic
 * values cannot overflow the stack or loop forever.
 */
function nestingDepthOver(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** `race/{raceId}/flags`: something suspicious, for the organizer to review. The host never drops a racer on its own. */
export const flagMessageSchema = z.object({
  raceId: idSchema.optional(),
  playerId: idSchema,
  id: z.string().max(64).optional().describe('Stable id of the flag within the race.'),
  kind: z.string().min(1).max(40).describe('One of FLAG_KINDS, or a newer kind.'),
  severity: flagSeveritySchema,
  t: epochSecondsSchema.describe('Organizer clock of the event flagged (epoch s).'),
  message: z.string().max(1000).describe('What happened, for people.'),
  cp: z.int().nonnegative().optional().describe('Checkpoint concerned.'),
  samples: z.array(evidenceSampleSchema).max(100).optional().describe('Position samples involved.'),
  data: z
    .record(z.string(), z.unknown())
    .refine((data) => !nestingDepthOver(data, MAX_FLAG_DATA_DEPTH), {
      message: `flag data nests objects and arrays more than ${MAX_FLAG_DATA_DEPTH} levels deep`,
    })
    .optional()
    .describe(
      `Other evidence (measured speed, limit, ...). Objects and arrays nest at most ${MAX_FLAG_DATA_DEPTH} levels deep, this object included.`,
    ),
  ...integrityFields,
});

/** A flag for review. */
export type FlagMessage = z.infer<typeof flagMessageSchema>;
