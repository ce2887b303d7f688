import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RankingMessage, StateMessage } from '@gw2race/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepPersonalBest, personalBestFile, readPersonalBest } from '../personal-best';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw2race-pb-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const state = {
  v: 1,
  raceId: 'r1',
  trackId: '../Tyria Gendarran!',
  checkpoints: [{ id: 0, x: 0, y: 0, z: 0, r: 10 }],
  laps: 1,
} as unknown as StateMessage;

const final = (time: number, status = 'finished'): RankingMessage =>
  ({
    raceId: 'r1',
    t: 1,
    final: true,
    entries: [
      {
        playerId: 'ann',
        position: 1,
        status,
        lap: 1,
        checkpoints: 2,
        time,
        splits: [time / 2, time],
      },
    ],
  }) as RankingMessage;

describe("the racer's best run on a course", () => {
  it('names one safe file per course (track, laps, checkpoints)', () => {
    const file = personalBestFile(dir, state);
    expect(file.startsWith(join(dir, 'bests'))).toBe(true);
    expect(basename(file)).toMatch(/^_tyria_gendarran_-[0-9a-f]{12}\.json$/);
    expect(personalBestFile(dir, { ...state, laps: 2 })).not.toBe(file);
  });

  it('keeps a finished run when it is faster, and never an unfinished or slower one', async () => {
    const file = personalBestFile(dir, state);
    expect(readPersonalBest(file)).toBeUndefined();
    expect(keepPersonalBest(file, final(80), 'ann')).toBe(true);
    expect(readPersonalBest(file)).toEqual({ time: 80, splits: [40, 80] });
    expect(keepPersonalBest(file, final(85), 'ann')).toBe(false);
    expect(keepPersonalBest(file, final(70, 'dnf'), 'ann')).toBe(false);
    expect(keepPersonalBest(file, { ...final(70), final: false }, 'ann')).toBe(false);
    expect(keepPersonalBest(file, final(70), 'bob')).toBe(false);
    expect(keepPersonalBest(file, final(78), 'ann')).toBe(true);
    expect(readPersonalBest(file)?.time).toBe(78);
    await writeFile(file, '{"time":"fast"}');
    expect(readPersonalBest(file)).toBeUndefined();
  });
});
