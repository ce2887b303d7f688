import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRaceFlags, setupRace } from '../host/race-setup';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw2race-setup-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('race setup: check the options first, ask after', () => {
  it('reports a missing track file, a bad number or a bad code before any question', async () => {
    const out = join(dir, 'out');
    await expect(checkRaceFlags({ track: join(dir, 'nope.csv'), out })).rejects.toMatchObject({
      message: expect.stringContaining('nope.csv'),
    });
    await expect(checkRaceFlags({ laps: 'many', out })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(checkRaceFlags({ race: 'Bad Code!', out })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/^--race: /),
    });
    await expect(checkRaceFlags({ 'time-limit': '-3', out })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('sets up from the checked options without asking when not interactive', async () => {
    const flags = { track: 'gendarran', race: 'cup1', laps: '2', out: join(dir, 'r') };
    const checked = await checkRaceFlags(flags);
    const setup = await setupRace(flags, false, checked);
    expect(setup).toMatchObject({
      raceId: 'cup1',
      laps: 2,
      outDir: join(dir, 'r'),
      name: 'gw2race',
    });
    expect(setup.track.checkpoints.length).toBeGreaterThan(2);
  });
});
