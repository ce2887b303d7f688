import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@gw2race/app-shared';
import type { ReceivedMessage, StartRule, Track } from '@gw2race/protocol';
import {
  parseReplayFileName,
  type RecoveryReport,
  type ReplayHeader,
  type ReplayWriter,
  readReplay,
} from '@gw2race/replay-format';
import { nodeGunzip, readReplayFile, resumeReplayFile } from '@gw2race/replay-format/node';

/** An unfinished recording of the race, opened to carry on: what a restarted host resumes. */
export interface ResumePoint {
  /** The recording (the same file goes on). */
  readonly path: string;
  /** Appends after its intact members. */
  readonly writer: ReplayWriter;
  readonly header: ReplayHeader;
  /** Every line recorded before the crash that can be read, in recorded order. */
  readonly entries: readonly ReceivedMessage[];
  /** What the crash cost the file (`truncated`: a cut-off last member was dropped). */
  readonly report: RecoveryReport;
  /** Where the file as found was kept, when it had damage before its end. */
  readonly damagedCopy: string | undefined;
}

/** Recordings of `raceId` in `outDir`, newest last (by start time, then sequence). */
export async function recordingsOf(outDir: string, raceId: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return [];
  }
  const found: { name: string; createdAt: number; sequence: number }[] = [];
  for (const name of names) {
    const parsed = parseReplayFileName(name);
    if (parsed?.raceId !== raceId) continue;
    found.push({ name, createdAt: parsed.createdAt, sequence: parsed.sequence ?? 1 });
  }
  found.sort((a, b) => a.createdAt - b.createdAt || a.sequence - b.sequence);
  return found.map((f) => join(outDir, f.name));
}

/** What a resumed recording must agree with: the race the command line describes. */
export interface RaceShape {
  readonly raceId: string;
  readonly track: Track;
  readonly laps: number;
  readonly startRule: StartRule;
}

/**
 * The race's unfinished recording in `outDir`, opened to carry on, or undefined when there is
 * none (a new race). Throws an {@link AppError}: `USAGE` when the race's last recording is
 * closed (the race is over: `--new` runs it again) or describes another track, laps or start
 * rule than the command line; `BAD_FILE` when it cannot be read or carried on.
 */
export async function openResumePoint(
  outDir: string,
  race: RaceShape,
): Promise<ResumePoint | undefined> {
  const path = (await recordingsOf(outDir, race.raceId)).at(-1);
  if (path === undefined) return undefined;
  // The race it describes first: a recording of another race is left exactly as it is.
  const header = await readReplayFile(path).header();
  const mismatch = header.ok ? shapeMismatch(header.value, race) : undefined;
  if (mismatch)
    throw new AppError('USAGE', `race ${race.raceId} was recorded ${mismatch} (${path})`, {
      hint: 'give the options it was started with to resume it, or add --new to start it again',
    });
  const resumed = await resumeReplayFile(path);
  if (!resumed.ok) {
    if (resumed.error.code === 'CLOSED')
      throw new AppError('USAGE', `race ${race.raceId} is over: its recording ${path} is closed`, {
        hint: 'to run it again, add --new (a new recording; the old one is kept), or use another --race',
      });
    throw new AppError('BAD_FILE', `cannot resume race ${race.raceId}: ${resumed.error.message}`, {
      cause: resumed.error,
      hint: 'move the file away (or add --new) to start the race again',
    });
  }
  const { writer, recovered, damagedCopy } = resumed.value;
  const entries: ReceivedMessage[] = [];
  for await (const entry of readReplay(recovered.bytes, { gunzip: nodeGunzip }))
    if (entry.kind !== 'unknown') entries.push(entry);
  return {
    path,
    writer,
    header: recovered.header,
    entries,
    report: recovered.report,
    damagedCopy,
  };
}

/** How the recording's race differs from the command line's, or undefined. */
function shapeMismatch(header: ReplayHeader, race: RaceShape): string | undefined {
  const track = header.track;
  if (track && track.id !== race.track.id)
    return `on track "${track.name}", not "${race.track.name}"`;
  if (header.laps !== race.laps) return `with ${header.laps} laps, not ${race.laps}`;
  const startRule = header.state?.startRule;
  if (startRule !== undefined && startRule !== race.startRule)
    return `as a ${startRule === 'mass' ? 'mass start' : 'time trial'}, not a ${race.startRule === 'mass' ? 'mass start' : 'time trial'}`;
  return undefined;
}
