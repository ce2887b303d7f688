/**
 * Writes one JSON Schema file per message kind (and the track file) into `schemas/`, generated
 * from the zod schemas. `--check` fails when the committed files differ from what would be written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JsonSchemaName, MESSAGE_KINDS, toJsonSchema } from '../src/index';

const check = process.argv.includes('--check');
const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
const names: JsonSchemaName[] = [...MESSAGE_KINDS, 'track'];
const stale: string[] = [];

for (const name of names) {
  const file = `${dir}${name}.schema.json`;
  const text = `${JSON.stringify(toJsonSchema(name), null, 2)}\n`;
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
