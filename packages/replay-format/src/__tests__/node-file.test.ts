import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateRace } from '../../bench/simulated-race';
import {
  createReplayFileWriter,
  nodeGunzip,
  openReplayFile,
  readReplayFile,
  recoverReplayFile,
} from '../node/index';
import { openReplay } from '../open-replay';
import { readReplay } from '../read-replay';
import { createReplayDecoder } from '../replay-decoder';
import { parseReplayFileName, replayFileName } from '../replay-file-name';
import { collect, recordedRace } from './helpers';

describe('the node file helper', () => {
  it('names files by race and UTC time, safe on Windows', () => {
    const name = replayFileName('abc123', 1_724_312_345.5);
    expect(name).toBe('race_abc123_20240822T073905Z.replay.jsonl.gz');
    expect(name).not.toMatch(/[:<>"|?*\\/]/);
    expect(parseReplayFileName(name)).toEqual({ raceId: 'abc123', createdAt: 1_724_312_345 });
    expect(parseReplayFileName('race_a_b_20240822T073905Z.replay.jsonl.gz')?.raceId).toBe('a_b');
    expect(() => replayFileName('no/slash', 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('records to a file member by member, and the file reads, opens and recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw2race-replay-'));
    const race = simulateRace({ racers: 3, durationS: 15 });
    const { path, writer } = await createReplayFileWriter(
      dir,
      {
        raceId: race.raceId,
        createdAt: race.startAt,
        track: race.track,
      },
      { flushIntervalMs: 1000 },
    );
    expect(path).toBe(join(dir, replayFileName(race.raceId, race.startAt)));
    const half = Math.floor(race.messages.length / 2);
    for (const message of race.messages.slice(0, half)) writer.append(message);
    await writer.flush();
    // Everything flushed is on disk already, a readable prefix of the recording.
    const midway = await collect(readReplay(readFileSync(path)));
    expect(midway.length).toBeGreaterThan(half * 0.9);
    expect(midway.length).toBeLessThanOrEqual(half);
    for (const message of race.messages.slice(half)) writer.append(message);
    await writer.close();
    // A second recording of the race within the same second gets its own name; the first
    // file is left as it is.
    const before = readFileSync(path);
    const second = await createReplayFileWriter(dir, {
      raceId: race.raceId,
      createdAt: race.startAt,
    });
    expect(second.path).toBe(join(dir, replayFileName(race.raceId, race.startAt, 2)));
    expect(parseReplayFileName(basename(second.path))).toEqual({
      raceId: race.raceId,
      createdAt: Math.floor(race.startAt),
      sequence: 2,
    });
    await second.writer.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    // A full path is never overwritten: a clear IO_FAILED, the cause kept.
    const exists = await createReplayFileWriter(path, {
      raceId: race.raceId,
      createdAt: race.startAt,
    }).catch((error: unknown) => error);
    expect(exists).toMatchObject({ name: 'ReplayError', code: 'IO_FAILED' });
    expect((exists as Error).message).toMatch(/exists already/);
    expect(((exists as Error).cause as { code?: string }).code).toBe('EEXIST');
    expect(readFileSync(path).equals(before)).toBe(true);

    const streamed = readReplayFile(path);
    const all = await collect(streamed);
    expect(all).toHaveLength(race.messages.length);
    expect(streamed.issues).toEqual([]);
    const opened = await openReplayFile(path);
    expect(opened.ok && opened.value.complete).toBe(true);

    const bytes = readFileSync(path);
    const crashed = join(dir, 'race_crashed_20240822T073905Z.replay.jsonl.gz');
    writeFileSync(crashed, bytes.subarray(0, bytes.length - 300));
    const recovered = await recoverReplayFile(crashed);
    expect(recovered.ok).toBe(true);
    if (!recovered.ok) return;
    expect(recovered.value.path).toBe(
      join(dir, 'race_crashed_20240822T073905Z.recovered.replay.jsonl.gz'),
    );
    expect(readdirSync(dir)).toContain('race_crashed_20240822T073905Z.recovered.replay.jsonl.gz');
    const reopened = await openReplayFile(recovered.value.path);
    expect(reopened.ok && reopened.value.complete).toBe(true);
  });
});

describe('the node file helper, when files are missing or in the way', () => {
  it('reports a file it cannot read or write as IO_FAILED with its cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw2race-replay-'));
    const missing = join(dir, 'race_none_20240822T073905Z.replay.jsonl.gz');
    const reader = readReplayFile(missing);
    const header = await reader.header();
    expect(header.ok).toBe(false);
    if (header.ok) return;
    expect(header.error.code).toBe('IO_FAILED');
    expect(header.error.message).toContain(missing);
    expect((header.error.cause as { code?: string }).code).toBe('ENOENT');
    expect(reader.fatal?.code).toBe('IO_FAILED');
    expect(await collect(reader)).toEqual([]);

    const opened = await openReplayFile(missing);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe('IO_FAILED');
    const recovered = await recoverReplayFile(missing);
    expect(recovered.ok).toBe(false);
    if (!recovered.ok) expect(recovered.error.code).toBe('IO_FAILED');

    // Recovering onto an existing output file leaves it alone.
    const race = await recordedRace({ racers: 2, durationS: 5 });
    const crashed = join(dir, 'race_crashed_20240822T073905Z.replay.jsonl.gz');
    writeFileSync(crashed, race.bytes.subarray(0, race.bytes.length - 100));
    expect((await recoverReplayFile(crashed)).ok).toBe(true);
    const out = join(dir, 'race_crashed_20240822T073905Z.recovered.replay.jsonl.gz');
    const kept = readFileSync(out);
    const again = await recoverReplayFile(crashed);
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('IO_FAILED');
      expect(again.error.message).toContain(out);
      expect((again.error.cause as { code?: string }).code).toBe('EEXIST');
    }
    expect(readFileSync(out).equals(kept)).toBe(true);
    // A folder that is not there.
    await expect(
      createReplayFileWriter(join(dir, 'nope'), { raceId: 'r', createdAt: 1_724_312_345 }),
    ).rejects.toMatchObject({ code: 'IO_FAILED' });
  });

  it('writes what is buffered to disk once messages stop, without a flush() or close()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw2race-replay-'));
    const race = simulateRace({ racers: 2, durationS: 3, positionsOnly: true });
    const { path, writer } = await createReplayFileWriter(
      dir,
      { raceId: race.raceId, createdAt: race.startAt },
      { idleFlushMs: 100 },
    );
    // Fewer seconds of messages than a member holds: nothing would be written until more came.
    for (const message of race.messages) writer.append(message);
    const onDisk = async () => (await collect(readReplay(readFileSync(path)))).length;
    expect(await onDisk()).toBe(0);
    let count = 0;
    for (let tries = 0; tries < 200 && count < race.messages.length; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      count = await onDisk();
    }
    expect(count).toBe(race.messages.length);
    expect(writer.stats.records).toBe(race.messages.length);
    await writer.close();
    expect(await collect(readReplayFile(path))).toHaveLength(race.messages.length);
    await expect(
      createReplayFileWriter(dir, { raceId: 'r', createdAt: 1 }, { idleFlushMs: 0 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('native inflating', () => {
  it('gives the same messages as fflate, and still catches a damaged member', async () => {
    const race = await recordedRace({ racers: 3, durationS: 20 }, { flushIntervalMs: 1000 });
    const withFflate = openReplay(race.bytes);
    const native = openReplay(race.bytes, { gunzip: nodeGunzip });
    if (!withFflate.ok || !native.ok) throw new Error('not opened');
    expect(native.value.messages()).toEqual(withFflate.value.messages());
    const damaged = race.bytes.slice();
    const offset = race.members.slice(0, 5).reduce((sum, m) => sum + m.length, 0);
    damaged[offset + race.members[5]!.length - 6]! ^= 0x01; // inside the CRC-32
    const decoder = createReplayDecoder({ gunzip: nodeGunzip });
    decoder.push(damaged);
    decoder.finish();
    expect(decoder.issues[0]).toMatchObject({ code: 'CORRUPT_MEMBER', offset });
  });
});
