import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../ids';
import { parseRaceFilePath, RACE_FILES, raceFilePath } from '../race-file-path';

describe('race file paths', () => {
  it('reads back every path it builds', () => {
    fc.assert(
      fc.property(fc.stringMatching(ID_PATTERN), fc.constantFrom(...RACE_FILES), (id, file) => {
        const path = decodeURIComponent(raceFilePath(id, file));
        expect(parseRaceFilePath(path)).toEqual({ ok: true, value: { raceId: id, file } });
      }),
    );
  });

  it('refuses a race id that is not an id, with the reason', () => {
    for (const [path, why] of [
      ['/api/races/../results.json', 'race id ".." must start with a letter or digit'],
      ['/api/races//results.json', 'race id "" is empty'],
      ['/api/races/a b/recording', 'race id "a b" contains " "'],
      ['/api/races/..%2Fetc/recording', 'race id "..%2Fetc" contains "%"'],
    ] as const) {
      const parsed = parseRaceFilePath(path);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toContain(why);
    }
  });

  it('refuses an unknown file or a deeper path, naming the files there are', () => {
    for (const path of [
      '/api/races/heat-1',
      '/api/races/heat-1/',
      '/api/races/heat-1/secret.txt',
      '/api/races/heat-1/results.json/x',
      '/api/races/heat-1/../../etc/passwd',
    ]) {
      const parsed = parseRaceFilePath(path);
      expect(parsed.ok, path).toBe(false);
      if (!parsed.ok)
        expect(parsed.error.message).toBe(
          "a race's files are /api/races/{raceId}/recording, /api/races/{raceId}/results.json, /api/races/{raceId}/results.csv",
        );
    }
  });
});
