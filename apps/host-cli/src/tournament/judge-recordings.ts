import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@gw2race/app-shared';
import type { Tournament } from '@gw2race/protocol';
import type { RaceResults } from '@gw2race/race-engine';
import { rejudge } from '../commands/results';

/** The name of a recording the host writes: `race_{raceId}_{timestamp}.replay.jsonl.gz`. */
export const RECORDING_PATTERN = /\.replay\.jsonl\.gz$/;

/** Every recording named: files as they are, folders' `*.replay.jsonl.gz`, sorted. */
export async function findRecordings(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(path)).isDirectory();
    } catch (cause) {
      throw new AppError('BAD_FILE', `cannot read ${path}: no such file or folder`, { cause });
    }
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const found = (await readdir(path))
      .filter((name) => RECORDING_PATTERN.test(name))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0)
      throw new AppError('BAD_FILE', `${path} holds no recordings (*.replay.jsonl.gz)`);
    files.push(...found);
  }
  return files;
}

/** One re-judged recording of a tournament race. */
export interface JudgedRace {
  readonly file: string;
  readonly results: RaceResults;
  readonly warnings: readonly string[];
}

/**
 * Re-judges every recording (as `gw2race-host results` does) and files each under its race.
 * A recording of a race the tournament does not have is refused, naming it; of several
 * recordings of one race, the one not aborted counts (two that are not: refused).
 */
export async function judgeRecordings(
  tournament: Tournament,
  files: readonly string[],
): Promise<Map<string, JudgedRace>> {
  const known = new Set(tournament.races.map((race) => race.id));
  const byRace = new Map<string, JudgedRace>();
  for (const file of files) {
    const judged = await rejudge(file);
    const raceId = judged.results.raceId ?? '';
    if (!known.has(raceId))
      throw new AppError(
        'BAD_FILE',
        `${file} is a recording of race ${raceId || '(unnamed)'}, which is not a race of the tournament ${tournament.name}`,
      );
    const race: JudgedRace = { file, results: judged.results, warnings: judged.warnings };
    const before = byRace.get(raceId);
    if (before && !before.results.aborted && !race.results.aborted)
      throw new AppError(
        'BAD_FILE',
        `two recordings of race ${raceId}: ${before.file} and ${file}; give only the one that counts`,
      );
    if (!before || before.results.aborted) byRace.set(raceId, race);
  }
  return byRace;
}
