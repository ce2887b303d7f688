import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  type JsonSchemaName,
  MESSAGE_KINDS,
  type MessageKind,
  toJsonSchema,
} from '../index';
import { BROKEN_EXAMPLES, SPEC_EXAMPLES } from './spec-examples';

const schemaDir = new URL('../../schemas/', import.meta.url);

function loadSchema(name: JsonSchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, schemaDir), 'utf8'));
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

function validatorFor(name: JsonSchemaName) {
  const schema = loadSchema(name);
  return ajv.getSchema(schema.$id as string) ?? ajv.compile(schema);
}

describe('the spec examples', () => {
  for (const [kind, examples] of Object.entries(SPEC_EXAMPLES) as [
    MessageKind,
    readonly string[],
  ][]) {
    const validate = validatorFor(kind);
    examples.forEach((text, index) => {
      it(`${kind} #${index + 1} decodes with zod and validates against schemas/${kind}.schema.json`, () => {
        const decoded = decodeMessage(kind, text);
        expect(decoded.ok, decoded.ok ? '' : decoded.error.message).toBe(true);
        const valid = validate(JSON.parse(text));
        expect(valid, ajv.errorsText(validate.errors)).toBe(true);
      });
    });
  }

  for (const [kind, examples] of Object.entries(BROKEN_EXAMPLES) as [
    MessageKind,
    readonly string[],
  ][]) {
    const validate = validatorFor(kind);
    examples.forEach((text, index) => {
      it(`broken ${kind} #${index + 1} is refused by zod and by the JSON Schema`, () => {
        const decoded = decodeMessage(kind, text);
        expect(decoded.ok).toBe(false);
        if (!decoded.ok) {
          expect(decoded.error.code).toBe('INVALID_MESSAGE');
          expect(decoded.error.issues.length).toBeGreaterThan(0);
        }
        expect(validate(JSON.parse(text))).toBe(false);
      });
    });
  }
});

describe('the generated JSON Schema files', () => {
  it.each([...MESSAGE_KINDS, 'track', 'invitation'] as JsonSchemaName[])(
    'schemas/%s.schema.json is up to date',
    (name) => {
      expect(loadSchema(name)).toEqual(JSON.parse(JSON.stringify(toJsonSchema(name))));
    },
  );

  it('every schema compiles under draft 2020-12 and keeps unknown fields allowed (forward compatibility)', () => {
    for (const name of MESSAGE_KINDS) {
      const schema = loadSchema(name);
      expect(() => validatorFor(name)).not.toThrow();
      expect(JSON.stringify(schema)).not.toContain('"additionalProperties":false');
    }
  });
});
