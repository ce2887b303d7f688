import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    await expect(
      createReplayFileWriter(dir, { raceId: race.raceId, createdAt: race.startAt }),
    ).rejects.toThrow();

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
