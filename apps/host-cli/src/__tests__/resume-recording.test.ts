import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '@gw2race/app-shared';
import type { Track } from '@gw2race/protocol';
import { createReplayFileWriter } from '@gw2race/replay-format/node';
import { describe, expect, it } from 'vitest';
import { openResumePoint, recordingsOf } from '../host/resume-recording';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'unit',
  name: 'Unit course',
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
    { id: 1, role: 'finish', x: 100, y: 0, z: 0, r: 10 },
  ],
};
const RACE = { raceId: 'abc123', track: TRACK, laps: 1, startRule: 'mass' as const };
const T = 1_795_000_000;

async function recording(dir: string, createdAt: number, close: boolean, laps = 1) {
  const { path, writer } = await createReplayFileWriter(
    dir,
    { raceId: 'abc123', createdAt, track: TRACK, laps },
    { idleFlushMs: false },
  );
  writer.append({
    kind: 'presence',
    at: createdAt + 1,
    message: { playerId: 'ann', event: 'join', mode: 'racer', name: 'Ann' },
  });
  if (close) await writer.close();
  else await writer.flush();
  return path;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('finding the race to resume', () => {
  it('is none in an empty or missing folder: a new race', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-resume-'));
    expect(await openResumePoint(dir, RACE)).toBeUndefined();
    expect(await openResumePoint(join(dir, 'nowhere'), RACE)).toBeUndefined();
  });

  it('is the newest recording of the race, read back to the last line written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-resume-'));
    await recording(dir, T, true);
    const newest = await recording(dir, T + 60, false);
    await writeFile(join(dir, 'race_other_20261207T101500Z.replay.jsonl.gz'), 'not ours');
    expect(await recordingsOf(dir, 'abc123')).toHaveLength(2);
    const point = await openResumePoint(dir, RACE);
    expect(point?.path).toBe(newest);
    expect(point?.entries.map((e) => e.kind)).toEqual(['presence']);
    expect(point?.report.truncated).toBe(false);
    await point?.writer.close();
  });

  it('refuses a race that is over, and says how to run it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-resume-'));
    const path = await recording(dir, T, true);
    const error = await failure(openResumePoint(dir, RACE));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(`race abc123 is over: its recording ${path} is closed`);
    expect(error.hint).toMatch(/--new/);
  });

  it('refuses a recording of another course or other laps: the options must be the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-resume-'));
    await recording(dir, T, false, 2);
    const error = await failure(openResumePoint(dir, RACE));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/^race abc123 was recorded with 2 laps, not 1 \(/);
    const other = await failure(
      openResumePoint(dir, { ...RACE, laps: 2, track: { ...TRACK, id: 'x', name: 'Other' } }),
    );
    expect(other.message).toMatch(/on track "Unit course", not "Other"/);
    // Left as it was: the same command with the right options resumes it.
    const point = await openResumePoint(dir, { ...RACE, laps: 2 });
    expect(point?.entries).toHaveLength(1);
    await point?.writer.close();
  });

  it('says why a recording that is not one cannot be resumed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-resume-'));
    await writeFile(join(dir, 'race_abc123_20261207T101500Z.replay.jsonl.gz'), 'garbage');
    const error = await failure(openResumePoint(dir, RACE));
    expect(error.code).toBe('BAD_FILE');
    expect(error.message).toMatch(/^cannot resume race abc123: /);
  });
});
