/**
 * Writes one JSON Schema file per message kind (and the track file) into `schemas/`, generated
 * from the zod schemas. `--check` fails when the committed files differ from what would be written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  HTTP_API_SCHEMAS,
  type HttpApiSchemaName,
  httpApiJsonSchema,
  JSON_SCHEMA_BASE_URL,
  type JsonSchemaName,
  MESSAGE_KINDS,
  toJsonSchema,
} from '../src/index';

const check = process.argv.includes('--check');
const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
const names: (JsonSchemaName | HttpApiSchemaName)[] = [
  ...MESSAGE_KINDS,
  'track',
  'tournament',
  'standings',
  'invitation',
  ...(Object.keys(HTTP_API_SCHEMAS) as HttpApiSchemaName[]),
];
const documentOf = (name: JsonSchemaName | HttpApiSchemaName) =>
  name in HTTP_API_SCHEMAS
    ? httpApiJsonSchema(name as HttpApiSchemaName, JSON_SCHEMA_BASE_URL)
    : toJsonSchema(name as JsonSchemaName);
const stale: string[] = [];

for (const name of names) {
  const file = `${dir}${name}.schema.json`;
  const text = `${JSON.stringify(documentOf(name), null, 2)}\n`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) stale.push(`schemas/${name}.schema.json`);
  } else {
    writeFileSync(file, text);
  }
}

if (check && stale.length > 0) {
  console.error(
    `These JSON Schema files are stale: ${stale.join(', ')}\nRun: pnpm --filter @gw2race/protocol schemas:generate`,
  );
  process.exit(1);
}
console.log(
  check
    ? `${names.length} JSON Schema files are up to date`
    : `wrote ${names.length} files to schemas/`,
);
