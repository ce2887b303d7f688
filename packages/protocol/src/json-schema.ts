import { z } from 'zod';
import { invitationSchema } from './invitation';
import { MESSAGE_SCHEMAS, type MessageKind } from './messages/registry';
import { trackSchema } from './messages/track';
import { standingsSchema } from './standings';
import { tournamentSchema } from './tournament';

/**
 * Names of the JSON Schema documents shipped in `schemas/`: every message kind, the track file,
 * the tournament file, the standings a tournament produces and the invitation (the JSON inside an
 * invitation code).
 */
export type JsonSchemaName = MessageKind | 'track' | 'tournament' | 'standings' | 'invitation';

/** The file formats (not messages) with a JSON Schema document. */
export const FILE_SCHEMAS = {
  track: trackSchema,
  tournament: tournamentSchema,
  standings: standingsSchema,
  invitation: invitationSchema,
} as const;

/** Where the published schemas live; each document's `$id`. */
export const JSON_SCHEMA_BASE_URL = 'https://gw2race.github.io/schemas/v1/';

/**
 * The JSON Schema (draft 2020-12) of a message kind or of a file format (track, tournament, standings), generated from the zod
 * schema, describing the input a sender may produce. The files in `schemas/` are this, written out.
 */
export function toJsonSchema(name: JsonSchemaName): Record<string, unknown> {
  const schema =
    name in FILE_SCHEMAS
      ? FILE_SCHEMAS[name as keyof typeof FILE_SCHEMAS]
      : MESSAGE_SCHEMAS[name as MessageKind];
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${JSON_SCHEMA_BASE_URL}${name}.schema.json`,
    title: `gw2race ${name}`,
    ...rest,
  };
}
