import { z } from 'zod';
import { mapIdSchema, vec3Schema } from './common';

/** What a checkpoint is for in the course. */
export const checkpointRoleSchema = z.enum(['start', 'checkpoint', 'finish']);

/** A sphere a racer must enter (the spec's `{id, x, y, z, r}`), with optional alternative spheres. */
export const sphereCheckpointSchema = z.object({
  id: z
    .int()
    .nonnegative()
    .describe('Checkpoint id, unique in the track; the `cp` of checkpoint events.'),
  kind: z.literal('sphere').optional().describe('Omitted means sphere.'),
  role: checkpointRoleSchema.optional(),
  x: z.number(),
  y: z.number(),
  z: z.number(),
  r: z.number().positive().describe('Radius in metres.'),
  mapId: mapIdSchema
    .optional()
    .describe('Map of this checkpoint when it differs from the track map.'),
  angle: z
    .number()
    .optional()
    .describe(
      "Beetlerank's ANGLE: how overlays draw the marker (-1 flat, else a vertical disc facing this heading, degrees). Judging ignores it.",
    ),
  alternatives: z
    .array(z.object({ x: z.number(), y: z.number(), z: z.number(), r: z.number().positive() }))
    .max(16)
    .optional()
    .describe(
      'Other spheres that count as this checkpoint (a step listed twice in a Beetlerank CSV).',
    ),
});

/**
 * A gate: the vertical plane between two poles `a` and `b`, from the lower pole base up to `height`
 * metres above the higher one. Crossing it in either direction counts.
 */
export const gateCheckpointSchema = z.object({
  id: z.int().nonnegative(),
  kind: z.literal('gate'),
  role: checkpointRoleSchema.optional(),
  a: vec3Schema.describe('Base of the first pole.'),
  b: vec3Schema.describe('Base of the second pole.'),
  height: z
    .number()
    .positive()
    .optional()
    .describe('Metres above the higher pole base; default 20.'),
  mapId: mapIdSchema.optional(),
});

/** One checkpoint of a track: a sphere (the default) or a gate. */
export const trackCheckpointSchema = z.union([gateCheckpointSchema, sphereCheckpointSchema], {
  error:
    'a checkpoint is a sphere {id, x, y, z, r} or a gate {id, kind: "gate", a: {x, y, z}, b: {x, y, z}}',
});

/** A sphere checkpoint. */
export type SphereCheckpoint = z.infer<typeof sphereCheckpointSchema>;
/** A gate checkpoint. */
export type GateCheckpoint = z.infer<typeof gateCheckpointSchema>;
/** A sphere or gate checkpoint. */
export type TrackCheckpoint = z.infer<typeof trackCheckpointSchema>;

/** Where a racer is put back when they fall or stray (Beetlerank's step -1). */
export const resetPointSchema = z.object({
  x: z.number(),
  y: z.number(),
  z: z.number(),
  r: z.number().positive().optional(),
});

/** A reset point. */
export type ResetPoint = z.infer<typeof resetPointSchema>;

/** Default gate height above the higher pole base, in metres. */
export const DEFAULT_GATE_HEIGHT = 20;

/**
 * A gw2race track file (`*.track.json`). Checkpoints are in course order: the first is the start,
 * the last the finish; on a circuit (`circuit: true`) the start is also the finish line of every lap.
 */
export const trackSchema = z
  .object({
    format: z.literal('gw2race-track'),
    version: z.literal(1),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
      .describe('Track id: letters, digits, ".", "_", "-".'),
    name: z.string().min(1).max(200),
    mapId: mapIdSchema
      .optional()
      .describe('GW2 map id of the start (and of every checkpoint without its own).'),
    author: z.string().max(200).optional(),
    createdAt: z.string().max(40).optional().describe('ISO 8601 UTC time the track was made.'),
    description: z.string().max(2000).optional(),
    circuit: z.boolean().optional().describe('True when the start is also the finish of each lap.'),
    laps: z.int().min(1).max(1000).optional().describe('Default number of laps; 1 when omitted.'),
    checkpoints: z.array(trackCheckpointSchema).min(2).max(1000),
    resets: z.array(resetPointSchema).max(100).optional(),
    referenceLine: z
      .array(z.tuple([z.number(), z.number(), z.number(), z.number()]))
      .max(200_000)
      .optional()
      .describe('A ridden path: [seconds since the first point, x, y, z] rows.'),
    source: z
      .object({ kind: z.string().max(40), file: z.string().max(500).optional() })
      .optional()
      .describe('Where the track came from, e.g. { kind: "beetlerank-csv", file: "..." }.'),
  })
  .superRefine((track, ctx) => {
    const seen = new Set<number>();
    track.checkpoints.forEach((cp, index) => {
      if (seen.has(cp.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checkpoints', index, 'id'],
          message: `checkpoint id ${cp.id} appears twice`,
        });
      }
      seen.add(cp.id);
    });
  });

/** A gw2race track. */
export type Track = z.infer<typeof trackSchema>;
