import { z } from 'zod';
import { MESSAGE_SCHEMAS, type MessageKind } from './messages/registry';
import { trackSchema } from './messages/track';

/** Names of the JSON Schema documents shipped in `schemas/`: every message kind, and the track file. */
export type JsonSchemaName = MessageKind | 'track';

/** Where the published schemas live; each document's `$id`. */
export const JSON_SCHEMA_BASE_URL = 'https://gw2race.github.io/schemas/v1/';

/**
 * The JSON Schema (draft 2020-12) of a message kind or of the track file, generated from the zod
 * schema, describing the input a sender may produce. The files in `schemas/` are this, written out.
 */
export function toJsonSchema(name: JsonSchemaName): Record<string, unknown> {
  const schema = name === 'track' ? trackSchema : MESSAGE_SCHEMAS[name];
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
