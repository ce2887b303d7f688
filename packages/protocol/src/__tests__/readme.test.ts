import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CHANNELS,
  controlMessageSchema,
  invitationSchema,
  MESSAGE_KINDS,
  MESSAGE_SCHEMAS,
  type MessageKind,
  PROTOCOL_ERROR_CODES,
  standingsSchema,
  TOPIC_SETTINGS,
  tournamentRaceSchema,
  tournamentSchema,
  trackSchema,
} from '../index';

/**
 * The README is the contract for clients in other languages: these tests keep it from falling
 * behind the schemas. Every field of every message must appear, in backticks, in a table row of
 * its message's section; every control command must have its own row listing its fields.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text of a `### heading` section, up to the next heading of level 2 or 3. */
function section(heading: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`README has no "### ${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#{2,3} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Table rows (lines starting with `|`) of a piece of README. */
function tableRows(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('|'));
}

/** The top-level keys of an object schema, or of every branch of a union. */
function topLevelKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) {
    return [...new Set((schema.options as z.ZodType[]).flatMap((option) => topLevelKeys(option)))];
  }
  throw new Error(`no keys for a ${schema.constructor.name}`);
}

const SECTION_OF: Record<MessageKind | 'track' | 'invitation', string> = {
  state: 'state',
  control: 'control',
  presence: 'presence',
  pos: 'pos',
  checkpoint: 'checkpoint',
  ranking: 'ranking',
  chat: 'chat',
  ping: 'ping / pong',
  pong: 'ping / pong',
  flag: 'flag',
  request: 'request',
  track: 'Track file',
  invitation: 'Invitation codes',
};

/** Documented once for every message, in "Messages" and "Signatures". */
const INTEGRITY_KEYS = new Set(['seq', 'sig']);

const schemas: [MessageKind | 'track' | 'invitation', z.ZodType][] = [
  ...MESSAGE_KINDS.map((kind) => [kind, MESSAGE_SCHEMAS[kind]] as [MessageKind, z.ZodType]),
  ['track', trackSchema],
  ['invitation', invitationSchema],
];

describe('the README documents the whole contract', () => {
  it.each(schemas)(
    'every top-level field of %s is in a table row of its section',
    (kind, schema) => {
      const rows = tableRows(section(SECTION_OF[kind])).join('\n');
      const missing = topLevelKeys(schema).filter(
        (key) => !INTEGRITY_KEYS.has(key) && key !== 'cmd' && !rows.includes(`\`${key}\``),
      );
      expect(
        missing,
        `fields of ${kind} missing from the README's "${SECTION_OF[kind]}" table`,
      ).toEqual([]);
    },
  );

  it('says that every message may carry seq and sig', () => {
    const messages = readme.slice(readme.indexOf('## Messages'), readme.indexOf('### state'));
    expect(messages).toContain('`seq`');
    expect(messages).toContain('`sig`');
  });

  it('has a row, with its fields and an example, for every control command', () => {
    const text = section('control');
    const rows = tableRows(text);
    for (const option of controlMessageSchema.options) {
      const cmd = option.shape.cmd.value;
      const row = rows.find((line) => line.startsWith(`| \`${cmd}\``));
      expect(row, `control table row for ${cmd}`).toBeDefined();
      const missing = Object.keys(option.shape).filter(
        (key) => key !== 'cmd' && !INTEGRITY_KEYS.has(key) && !row?.includes(`\`${key}\``),
      );
      expect(missing, `fields of ${cmd} missing from its row`).toEqual([]);
      expect(text, `an example of ${cmd}`).toContain(`{"cmd":"${cmd}"`);
    }
  });

  it('lists every channel in the topic table, and every control command in its row', () => {
    const rows = tableRows(readme.slice(readme.indexOf('## Topics'), readme.indexOf('## Time')));
    for (const channel of CHANNELS) {
      const topic = TOPIC_SETTINGS[channel].perPlayer
        ? `race/{raceId}/${channel}/{playerId}`
        : `race/{raceId}/${channel}`;
      expect(
        rows.some((row) => row.includes(`\`${topic}\``)),
        topic,
      ).toBe(true);
    }
    const controlRow = rows.find((row) => row.includes('`race/{raceId}/control`')) ?? '';
    for (const option of controlMessageSchema.options) {
      expect(controlRow, 'topic table, control row').toContain(option.shape.cmd.value);
    }
  });

  it.each([
    ['Tournament file', tournamentSchema],
    ['Tournament file', tournamentRaceSchema],
    ['Standings file', standingsSchema],
  ] as const)('documents every field of the %s', (heading, schema) => {
    const rows = tableRows(section(heading)).join('\n');
    const missing = Object.keys(schema.shape).filter((key) => !rows.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('lists every error code', () => {
    const rows = tableRows(readme).join('\n');
    const missing = Object.keys(PROTOCOL_ERROR_CODES).filter(
      (code) => !rows.includes(`\`${code}\``),
    );
    expect(missing).toEqual([]);
  });
});
