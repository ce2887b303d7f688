import { describe, expect, it } from 'vitest';
import { encodeMember, inflateMember, readMemberHeader } from '../gzip-member';
import { createReplayDecoder } from '../replay-decoder';
import type { ReplayEntry } from '../replay-entry';
import { concat, record } from './helpers';

const createdAt = 1_724_312_300;
const pos = (i: number): ReplayEntry => ({
  kind: 'pos',
  at: createdAt + 1 + i * 0.1 + 0.04,
  message: { playerId: 'p1', t: createdAt + 1 + i * 0.1, x: i * 2.5, y: 10, z: -i, v: 25 },
  playerId: 'p1',
});

/** Rewrites the text of data member `k` of a recording. */
function rewriteMember(
  members: Uint8Array[],
  k: number,
  edit: (lines: string[]) => string[],
): Uint8Array {
  const member = members[k]!;
  const header = readMemberHeader(member, 0);
  if (header.kind !== 'ours') throw new Error('not ours');
  const text = inflateMember(member, 0, header);
  if (!text.ok) throw text.error;
  const lines = new TextDecoder().decode(text.value).split('\n').filter(Boolean);
  const edited = new TextEncoder().encode(`${edit(lines).join('\n')}\n`);
  const copy = [...members];
  copy[k] = encodeMember(edited, { ...header.info, records: header.info.records });
  return concat(copy);
}

describe('forward compatibility', () => {
  it('skips unknown columns, line types and header fields from a newer writer', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => pos(i));
    const { bytes, members } = await record(
      messages,
      { raceId: 'r1', createdAt },
      { flushIntervalMs: 60_000 },
    );
    const expected = (() => {
      const decoder = createReplayDecoder();
      return [...decoder.push(bytes), ...decoder.finish()];
    })();
    const newer = rewriteMember(members, 1, (lines) => [
      '{"type":"weather","rain":true}',
      ...lines.map((line) => {
        const value = JSON.parse(line);
        if (value.type !== 'pos') return line;
        // A newer column after the known ones: n more values for the (only) player.
        return JSON.stringify({
          ...value,
          cols: `${value.cols} heading`,
          data: `${value.data}${'2'.repeat(value.n[0])}`,
          extra: 1,
        });
      }),
    ]);
    const decoder = createReplayDecoder();
    const back = [...decoder.push(newer), ...decoder.finish()];
    expect(back).toEqual(expected);
    expect(decoder.issues.map((issue) => [issue.code, issue.line])).toEqual([['UNKNOWN_LINE', 1]]);
  });

  it('reads any valid JSON spelling of a position line, not only the one the writer uses', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => pos(i));
    const { bytes, members } = await record(
      messages,
      { raceId: 'r1', createdAt },
      { flushIntervalMs: 60_000 },
    );
    const expected = (() => {
      const decoder = createReplayDecoder();
      return [...decoder.push(bytes), ...decoder.finish()];
    })();
    const respell = (edit: (line: string) => string) =>
      rewriteMember(members, 1, (lines) =>
        lines.map((line) => (line.startsWith('{"type":"pos"') ? edit(line) : line)),
      );
    for (const spelled of [
      // An escaped character in data (readers cut data out of the bytes when it has none).
      respell((line) =>
        line.replace(
          /"data":"(.)/,
          (_, c: string) => `"data":"\\u00${c.charCodeAt(0).toString(16)}`,
        ),
      ),
      // "data" keys and strings elsewhere: only the line's own data key counts.
      respell((line) =>
        line.replace(
          '{"type":"pos",',
          '{"type":"pos","extra":{"data":"~~"},"note":"\\"data\\":\\"","list":["data",{"data":"1"}],',
        ),
      ),
      // Whitespace between tokens, data before the other fields.
      respell((line) => {
        const value = JSON.parse(line);
        const { data, ...rest } = value;
        return JSON.stringify({ type: 'pos', data, ...rest }, null, 1).replaceAll('\n', ' ');
      }),
    ]) {
      const decoder = createReplayDecoder();
      const back = [...decoder.push(spelled), ...decoder.finish()];
      expect(decoder.issues).toEqual([]);
      expect(back).toEqual(expected);
    }
  });

  it('reports a line that is not JSON with its member offset and line, and goes on', async () => {
    const messages: ReplayEntry[] = [
      { kind: 'chat', at: createdAt + 1, message: { text: 'one' } },
      { kind: 'chat', at: createdAt + 2, message: { text: 'two' } },
      { kind: 'chat', at: createdAt + 3, message: { text: 'three' } },
    ];
    const { members } = await record(
      messages,
      { raceId: 'r1', createdAt },
      { flushIntervalMs: 60_000 },
    );
    const broken = rewriteMember(members, 1, (lines) => [lines[0]!, '{"type":"event",', lines[2]!]);
    const decoder = createReplayDecoder();
    const back = [...decoder.push(broken), ...decoder.finish()];
    expect(back.map((m) => m.kind === 'chat' && m.message.text)).toEqual(['one', 'three']);
    expect(decoder.issues).toHaveLength(1);
    // The header member holds line 1 of the file: the broken line is line 3 of the file.
    expect(decoder.issues[0]).toMatchObject({
      code: 'CORRUPT_LINE',
      offset: members[0]!.length,
      line: 2,
      fileLine: 3,
    });
    expect(decoder.issues[0]!.message).toContain('line 3 of the file');
    // Further on, with more members before it (1 s members), the file's line number still
    // counts every line before it.
    const long = await record(
      Array.from({ length: 12 }, (_, i) => ({
        kind: 'chat' as const,
        at: createdAt + 1 + i * 0.5,
        message: { text: `note ${i}` },
      })),
      { raceId: 'r1', createdAt },
      { flushIntervalMs: 1000 },
    );
    const dataLines = long.members.map((member) => {
      const header = readMemberHeader(member, 0);
      if (header.kind !== 'ours') throw new Error('not ours');
      const text = inflateMember(member, 0, header);
      if (!text.ok) throw text.error;
      return new TextDecoder().decode(text.value).split('\n').length - 1;
    });
    const k = 4;
    const lineOfFile = dataLines.slice(0, k).reduce((sum, n) => sum + n, 0) + 2;
    const later = createReplayDecoder();
    later.push(
      rewriteMember(long.members, k, (lines) => [lines[0]!, 'not json', ...lines.slice(1)]),
    );
    later.finish();
    expect(later.issues.map((issue) => [issue.code, issue.line, issue.fileLine])).toEqual([
      ['CORRUPT_LINE', 2, lineOfFile],
    ]);
    // An event whose message breaks its schema is reported as such.
    const invalid = rewriteMember(members, 1, (lines) => [
      lines[0]!,
      lines[1]!.replace('"text":"two"', '"text":""'),
      lines[2]!,
    ]);
    const second = createReplayDecoder();
    second.push(invalid);
    second.finish();
    expect(second.issues.map((issue) => issue.code)).toEqual(['INVALID_MESSAGE']);
  });
});
