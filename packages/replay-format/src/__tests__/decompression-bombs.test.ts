import { constants, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeMember, inflateMember, MAX_MEMBER_TEXT, readMemberHeader } from '../gzip-member';
import { inflatePlainGzip, PLAIN_GZIP_LIMITS } from '../inflate-plain-gzip';
import { nodeGunzip } from '../node/index';
import { openReplay } from '../open-replay';
import { readReplay } from '../read-replay';
import { recoverReplay } from '../recover-replay';
import { createReplayDecoder } from '../replay-decoder';
import type { ReplayEntry } from '../replay-entry';
import { collect, concat, record } from './helpers';

const MiB = 1024 * 1024;
const encoder = new TextEncoder();

/**
 * Raw deflate data that inflates to `piece` repeated `times` times, in about `times` KiB: one
 * sync-flushed block (byte-aligned, not final, referring to nothing before it) repeated, then
 * an empty final block. Gigabytes of text from a few KiB of test memory.
 */
function repeatedDeflate(piece: Uint8Array, times: number): Uint8Array {
  const block = deflateRawSync(piece, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return concat([...Array.from({ length: times }, () => block), new Uint8Array([0x03, 0x00])]);
}

/** A plain gzip member (no `GR` field) around raw deflate data; its trailer is not checked. */
function plainMember(deflated: Uint8Array): Uint8Array {
  const header = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  return concat([header, deflated, new Uint8Array(8)]);
}

/** A member of ours whose `GR` field and trailer claim `claimed` bytes, around `deflated`. */
function lyingMember(deflated: Uint8Array, claimed: number): Uint8Array {
  const info = { flags: 0, kinds: 1 << 3, records: 1, from: 1724312310, to: 1724312311 };
  const shape = encodeMember(encoder.encode('\n'), info);
  const length = 44 + deflated.length + 8;
  const member = concat([shape.subarray(0, 44), deflated, new Uint8Array(8)]);
  const view = new DataView(member.buffer);
  view.setUint32(20, length, true); // GR: the whole member's length
  view.setUint32(length - 4, claimed, true); // ISIZE
  return member;
}

const X_MIB = encoder.encode('x'.repeat(MiB));

const pos = (i: number): ReplayEntry => ({
  kind: 'pos',
  at: 1724312310 + i / 10 + 0.04,
  message: { playerId: 'p1', t: 1724312310 + i / 10, x: i, y: 2, z: 3 },
});

async function smallRecording() {
  return record(
    Array.from({ length: 200 }, (_, i) => pos(i)),
    { raceId: 'bomb', createdAt: 1724312300 },
    // Every member a keyframe: a member skipped costs no positions of the next.
    { flushIntervalMs: 5000, keyframeIntervalMs: 1000 },
  );
}

describe('decompression bombs', () => {
  it('a member is inflated no further than it claims: natively and with fflate', () => {
    // 256 MiB of text in 2 KiB of member, which claims 1000 bytes.
    const bomb = lyingMember(repeatedDeflate(X_MIB, 256), 1000);
    expect(bomb.length).toBeLessThan(300 * 1024);
    const found = readMemberHeader(bomb, 0);
    if (found.kind !== 'ours') throw new Error('not a member of ours');

    const limits: number[] = [];
    const produced: number[] = [];
    const counting = (member: Uint8Array, max: number) => {
      limits.push(max);
      try {
        const text = nodeGunzip(member, max);
        produced.push(text.length);
        return text;
      } catch (error) {
        produced.push(-1);
        throw error;
      }
    };
    const native = inflateMember(bomb, 0, found, { gunzip: counting });
    expect(native.ok).toBe(false);
    if (!native.ok) expect(native.error.code).toBe('TOO_LARGE');
    // The inflater was told the claim, and stopped there (it threw rather than return more).
    expect(limits).toEqual([1000]);
    expect(produced).toEqual([-1]);

    const scratch = { bytes: new Uint8Array(0) };
    const fflate = inflateMember(bomb, 0, found, {}, 0, scratch);
    expect(fflate.ok).toBe(false);
    if (!fflate.ok) expect(fflate.error.code).toBe('TOO_LARGE');
    // fflate inflated into room for one byte more than the claim, and no more.
    expect(scratch.bytes.length).toBe(1001);
  });

  it('a member that claims more than a member may hold is refused before inflating', () => {
    const bomb = lyingMember(repeatedDeflate(X_MIB, 300), MAX_MEMBER_TEXT + 1);
    const found = readMemberHeader(bomb, 0);
    if (found.kind !== 'ours') throw new Error('not a member of ours');
    let called = false;
    const result = inflateMember(bomb, 0, found, {
      gunzip: (member, max) => {
        called = true;
        return nodeGunzip(member, max);
      },
    });
    expect(called).toBe(false);
    expect(result.ok ? undefined : result.error.code).toBe('TOO_LARGE');
  });

  it('a bomb member among good ones: every other message is read, the bomb is a TOO_LARGE issue', async () => {
    const { members } = await smallRecording();
    expect(members.length).toBeGreaterThan(4);
    const bomb = lyingMember(repeatedDeflate(X_MIB, 64), 4096);
    const bytes = concat([...members.slice(0, 2), bomb, ...members.slice(2)]);
    const bombAt = members[0]!.length + members[1]!.length;
    for (const gunzip of [undefined, nodeGunzip]) {
      const options = gunzip ? { gunzip } : {};
      const reader = readReplay(bytes, options);
      const messages = await collect(reader);
      expect(messages).toHaveLength(200);
      expect(reader.fatal).toBeUndefined();
      expect(reader.issues.map((issue) => [issue.code, issue.offset])).toContainEqual([
        'TOO_LARGE',
        bombAt,
      ]);
      const opened = openReplay(bytes, options);
      if (!opened.ok) throw opened.error;
      expect(opened.value.messages()).toHaveLength(200);
      expect(opened.value.issues.some((issue) => issue.code === 'TOO_LARGE')).toBe(true);
    }
    const recovered = recoverReplay(bytes);
    if (!recovered.ok) throw recovered.error;
    expect(recovered.value.report.droppedMembers.map((member) => member.offset)).toEqual([bombAt]);
    expect(recovered.value.report.records).toBe(200);
  });

  it('plain gzip stops at the running cap and skips over-long lines, keeping every whole line', () => {
    const lines = encoder.encode('{"a":1}\n{"b":2}\n');
    const bytes = concat([
      gzipSync(lines),
      plainMember(repeatedDeflate(X_MIB, 3)), // a 3 MiB line …
      gzipSync(encoder.encode('\n{"c":3}\n')), // … ended here, then a good one
      plainMember(repeatedDeflate(X_MIB, 1024)), // 1 GiB without a newline
      gzipSync(encoder.encode('{"lost":true}\n')),
    ]);
    expect(bytes.length).toBeLessThan(3 * MiB);
    const limits = { maxText: 16 * MiB, maxLine: 2 * MiB };
    const result = inflatePlainGzip(bytes, 0, 0, limits);
    expect(new TextDecoder().decode(result.text)).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    // What was inflated: the cap and at most one step of input past it (4 KiB × 1032).
    expect(result.inflated).toBeGreaterThan(limits.maxText);
    expect(result.inflated).toBeLessThanOrEqual(limits.maxText + 4 * 1024 * 1032 + 64 * 1024);
    expect(result.error?.code).toBe('TOO_LARGE');
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([
      ['TOO_LARGE', 3],
      ['TOO_LARGE', 5],
    ]);
  });

  it('plain gzip at the default limits: the reader keeps the lines before and around the bomb', async () => {
    const { bytes: recording } = await smallRecording();
    // The same recording as one plain gzip stream (what another tool's recompression gives).
    const text = new Uint8Array(gunzipSync(recording));
    const lastLine = text.lastIndexOf(0x0a, text.length - 2) + 1; // the index trailer
    const bytes = concat([
      gzipSync(text.subarray(0, lastLine)),
      plainMember(repeatedDeflate(X_MIB, PLAIN_GZIP_LIMITS.maxText / MiB + 64)),
    ]);
    expect(bytes.length).toBeLessThan(2 * MiB);
    const decoder = createReplayDecoder();
    const messages = [...decoder.push(bytes), ...decoder.finish()];
    expect(decoder.fatal).toBeUndefined();
    expect(messages).toHaveLength(200);
    expect(decoder.issues.map((issue) => issue.code)).toContain('TOO_LARGE');
  }, 60_000);
});
