import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RankingMessage, StateMessage } from '@gw2race/protocol';
import { isBetterRun } from '@gw2race/racer-core';

/** A finished run kept to race against: total time and the race time at each crossing. */
export interface PersonalBest {
  readonly time: number;
  readonly splits: readonly number[];
}

/**
 * The file of the racer's best run on the course a state describes, in `dir`: one per course
 * (track id, laps and the checkpoints themselves, so an edited track is a new course), named
 * with only safe characters whatever the track id holds.
 */
export function personalBestFile(dir: string, state: StateMessage): string {
  const course = JSON.stringify([state.trackId, state.laps ?? 1, state.checkpoints]);
  const hash = createHash('sha256').update(course).digest('hex').slice(0, 12);
  const name = state.trackId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '_')
    .slice(0, 40);
  return join(dir, 'bests', `${name}-${hash}.json`);
}

function isRun(value: unknown): value is PersonalBest {
  const run = value as { time?: unknown; splits?: unknown };
  return (
    typeof run?.time === 'number' &&
    Number.isFinite(run.time) &&
    Array.isArray(run.splits) &&
    run.splits.every((s) => typeof s === 'number' && Number.isFinite(s))
  );
}

/** The best run kept in `file`, or undefined (none yet, or a damaged file: it is ignored). */
export function readPersonalBest(file: string): PersonalBest | undefined {
  try {
    const saved: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRun(saved) ? { time: saved.time, splits: saved.splits } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps this race's run in `file` when the final ranking has the racer finished and faster than
 * the kept best; says whether it did. A file that cannot be written only loses the best.
 */
export function keepPersonalBest(
  file: string,
  ranking: RankingMessage | undefined,
  playerId: string,
): boolean {
  if (!ranking?.final) return false;
  const mine = ranking.entries.find((entry) => entry.playerId === playerId);
  if (mine?.status !== 'finished' || mine.time === undefined || !mine.splits) return false;
  const run = { time: mine.time, splits: mine.splits };
  if (!isBetterRun(run, readPersonalBest(file))) return false;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(run)}\n`, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}
