import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateRace } from '../../bench/simulated-race';
import {
  createReplayFileWriter,
  openReplayFile,
  readReplayFile,
  resumeReplayFile,
} from '../node/index';
import { readReplay } from '../read-replay';
import { scanMembers } from '../scan-members';
import { collect } from './helpers';

/** A recording killed mid-race: `cut` of the messages flushed, then half a member of the rest. */
async function crashedRecording(cut: number) {
  const dir = mkdtempSync(join(tmpdir(), 'gw2race-resume-'));
  const race = simulateRace({ racers: 3, durationS: 60 });
  const header = { raceId: race.raceId, createdAt: race.startAt, track: race.track };
  const { path, writer } = await createReplayFileWriter(dir, header, {
    flushIntervalMs: 1000,
    idleFlushMs: false,
  });
  const before = race.messages.slice(0, cut);
  for (const message of before) writer.append(message);
  await writer.flush();
  const flushed = readFileSync(path);
  // The member being written when the process died: its first half reached the disk.
  const { path: other, writer: tail } = await createReplayFileWriter(join(dir, 'tail.gz'), header);
  for (const message of race.messages.slice(cut, cut + 40)) tail.append(message);
  await tail.close();
  const scan = scanMembers(readFileSync(other));
  const member = scan.members[1];
  if (!member) throw new Error('no data member');
  const bytes = readFileSync(other).subarray(member.offset, member.offset + member.info.length);
  appendFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return { dir, race, path, flushed, before };
}

describe('resumeReplayFile', () => {
  it('carries on a crashed recording in the same file, which then reads as one', async () => {
    const { race, path, flushed, before } = await crashedRecording(1200);
    const resumed = await resumeReplayFile(path, { idleFlushMs: false });
    if (!resumed.ok) throw resumed.error;
    const { recovered, writer } = resumed.value;
    expect(recovered.report.truncated).toBe(true);
    expect(recovered.report.hadIndex).toBe(false);
    expect(resumed.value.damagedCopy).toBeUndefined();
    // The cut-off member is gone; the intact ones are the file, byte for byte.
    expect(Buffer.compare(readFileSync(path), flushed)).toBe(0);
    const rebuilt = await collect(readReplay(recovered.bytes));
    expect(rebuilt.length).toBe(before.length);
    const after = race.messages.slice(1300);
    expect(after.length).toBeGreaterThan(500);
    for (const message of after) writer.append(message);
    const index = await writer.close();

    const read = readReplayFile(path);
    const messages = await collect(read);
    expect(read.issues).toEqual([]);
    expect(messages.length).toBe(before.length + after.length);
    expect(messages.filter((m) => m.kind !== 'pos').map((m) => m.kind)).toEqual(
      [...before, ...after].filter((m) => m.kind !== 'pos').map((m) => m.kind),
    );
    expect(index.records).toBe(before.length + after.length);
    expect(index.members.filter((m) => m.role === 'header')).toHaveLength(1);
    // The index trailer lists every member where scanning finds it.
    const scanned = scanMembers(readFileSync(path)).members.map((m) => m.offset);
    expect(index.members.map((m) => m.offset)).toEqual(scanned.slice(0, -1));
    const opened = await openReplayFile(path);
    if (!opened.ok) throw opened.error;
    expect(opened.value.issues.filter((i) => i.code === 'INDEX_MISMATCH')).toEqual([]);
    expect(opened.value.index.records).toBe(index.records);
    // Seeking after the resume finds every racer, decoded from the continuation's keyframe.
    const later = after[Math.floor(after.length / 2)]?.at ?? 0;
    expect(opened.value.seek(opened.value.raceTimeMs(later)).positions.length).toBe(3);
  });

  it('refuses a closed recording: its race is over', async () => {
    const { path } = await crashedRecording(300);
    const resumed = await resumeReplayFile(path, { idleFlushMs: false });
    if (!resumed.ok) throw resumed.error;
    await resumed.value.writer.close();
    const again = await resumeReplayFile(path);
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('CLOSED');
      expect(again.error.message).toContain('its race is over');
    }
  });

  it('keeps a copy of a file damaged before its end, and carries on its intact members', async () => {
    const { dir, path, before } = await crashedRecording(1200);
    const bytes = readFileSync(path);
    const second = scanMembers(bytes).members[2];
    if (!second) throw new Error('no second data member');
    const damagedAt = second.offset + Math.floor(second.info.length / 2);
    bytes[damagedAt] = (bytes[damagedAt] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const resumed = await resumeReplayFile(path, { idleFlushMs: false });
    if (!resumed.ok) throw resumed.error;
    expect(resumed.value.damagedCopy).toBe(`${path}.damaged-1`);
    expect(readdirSync(dir)).toContain(`${path.split('/').pop()}.damaged-1`);
    await resumed.value.writer.close();
    const read = readReplayFile(path);
    const messages = await collect(read);
    expect(read.issues).toEqual([]);
    expect(messages.length).toBeLessThan(before.length);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('says why a missing file cannot be carried on', async () => {
    const resumed = await resumeReplayFile(join(tmpdir(), 'no-such-race.replay.jsonl.gz'));
    expect(resumed.ok).toBe(false);
    if (!resumed.ok) expect(resumed.error.code).toBe('IO_FAILED');
  });
});
