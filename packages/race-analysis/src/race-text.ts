import type { RankingEntry, RankingMessage, Track } from '@gw2race/protocol';
import { compileCourse } from '@gw2race/race-engine';
import { formatGap, formatRaceTime } from './format';
import type { LiveRace } from './live-race';

/** Where a race is, as a viewer shows it. */
export type RacePhase = 'waiting' | 'countdown' | 'racing' | 'paused' | 'finished' | 'aborted';

/** Each phase in words, for a header or an overlay. */
export const PHASE_TEXT: Record<RacePhase, string> = {
  waiting: 'waiting for start',
  countdown: 'countdown',
  racing: 'racing',
  paused: 'paused',
  finished: 'finished',
  aborted: 'aborted',
};

/**
 * The phase of a live race now: waiting (no START yet), countdown (START announced, its t0 still
 * ahead on the organizer's clock), racing, paused, finished or aborted.
 */
export function livePhase(race: LiveRace): RacePhase {
  if (race.ended === 'aborted') return 'aborted';
  if (race.ended === 'ended') return 'finished';
  if (race.paused) return 'paused';
  if (race.t0 === null) return race.state?.stage === 'post' ? 'finished' : 'waiting';
  const t = race.raceTimeNow();
  return t !== null && t < 0 ? 'countdown' : 'racing';
}

/** The race's stage in words, for a header or an overlay (see {@link livePhase}). */
export function liveStageText(race: LiveRace): string {
  return PHASE_TEXT[livePhase(race)];
}

/**
 * The phase of a recorded race at race time `raceTimeMs`: waiting until START was announced
 * (`startAnnouncedMs`, race-time ms; null when the recording has none), a countdown from there
 * to t0, finished once the ranking shown is final or the race is over, else racing.
 */
export function replayPhase(
  raceTimeMs: number,
  startAnnouncedMs: number | null,
  ranking: Pick<RankingMessage, 'final' | 'stage'> | null,
): RacePhase {
  if (ranking?.final || ranking?.stage === 'post') return 'finished';
  if (startAnnouncedMs === null || raceTimeMs < startAnnouncedMs) return 'waiting';
  return raceTimeMs < 0 ? 'countdown' : 'racing';
}

/**
 * What a race's course asks of a racer: crossings per lap (every checkpoint after the start and
 * the finish; on a circuit, the start line again), laps, and crossings in all. A track of a start,
 * 12 checkpoints and a finish has 14 entries and 13 crossings a lap.
 */
export interface CourseCounts {
  readonly perLap: number;
  readonly laps: number;
  readonly total: number;
}

/**
 * The {@link CourseCounts} of a track, counted as the race engine counts them
 * (`compileCourse`); `laps` and `circuit` as the race state says (else the track's).
 * Undefined for a track the engine would refuse.
 */
export function courseCounts(
  track: Track,
  options: { laps?: number | undefined; circuit?: boolean | undefined } = {},
): CourseCounts | undefined {
  try {
    const course = compileCourse(track, {
      ...(options.laps === undefined ? {} : { laps: options.laps }),
      ...(options.circuit === undefined ? {} : { circuit: options.circuit }),
    });
    return { perLap: course.lap.length, laps: course.laps, total: course.length };
  } catch {
    return undefined;
  }
}

/** `13 checkpoints · 3 laps`: crossings per lap (the finish counted, the start not) and laps. */
export function courseSummary(counts: CourseCounts): string {
  const laps = counts.laps === 1 ? '1 lap' : `${counts.laps} laps`;
  return `${counts.perLap} checkpoint${counts.perLap === 1 ? '' : 's'} · ${laps}`;
}

/**
 * Whether a ranking orders anyone yet: someone crossed a checkpoint or finished. Before that,
 * position 1 is only who joined first, and nobody is shown as leading.
 */
export function rankingHasOrder(entries: readonly RankingEntry[]): boolean {
  return entries.some((e) => e.checkpoints > 0 || e.status === 'finished' || e.time != null);
}

/**
 * The lap a racer is on, from 1: `2/3` on a 3-lap race, `1` on a 1-lap one; the last lap once
 * finished; `–` before their start (waiting).
 */
export function lapText(entry: RankingEntry, counts: CourseCounts | undefined): string {
  if (entry.status === 'waiting') return '–';
  const laps = counts?.laps;
  const lap = entry.status === 'finished' ? entry.lap : entry.lap + 1;
  const shown = laps === undefined ? Math.max(1, lap) : Math.min(laps, Math.max(1, lap));
  return laps === undefined || laps === 1 ? String(shown) : `${shown}/${laps}`;
}

/**
 * Checkpoints crossed on the racer's current lap out of the lap's: `0/13` at the start, `13/13`
 * at the finish (with the engine's count, {@link CourseCounts}); the credited count alone when
 * the course is unknown.
 */
export function checkpointText(entry: RankingEntry, counts: CourseCounts | undefined): string {
  if (!counts) return String(entry.checkpoints);
  const done = Math.min(entry.checkpoints, counts.total);
  const lapIndex = Math.min(counts.laps - 1, Math.floor(done / counts.perLap));
  return `${done - lapIndex * counts.perLap}/${counts.perLap}`;
}

/** A racer status as a ranking table shows it (`DNF`, `DSQ`). */
export const STATUS_LABEL: Record<string, string> = {
  waiting: 'waiting',
  racing: 'racing',
  finished: 'finished',
  dnf: 'DNF',
  dsq: 'DSQ',
  disconnected: 'disconnected',
};

/** The split to show: the finish time, else the race time at the last checkpoint. */
export function rankingSplit(entry: RankingEntry): number | undefined {
  if (entry.time !== undefined && entry.time !== null) return entry.time;
  return entry.lastAt ?? undefined;
}

/** How far before a checkpoint counts as its approach: three radii, at least 40 m. */
export function approachRadius(r: number): number {
  return Math.max(40, 3 * r);
}

/**
 * A ranking row's one value on an overlay or a video's HUD: the finish time, the gap to the
 * leader, the leader's checkpoints on this lap (`CP 5/13`), or the status (`WAITING`, `DNF`);
 * `–` for racing rows while nobody leads ({@link rankingHasOrder} of the whole ranking).
 */
export function rankingValue(
  entry: RankingEntry,
  ordered: boolean,
  counts: CourseCounts | undefined,
): string {
  if (entry.status === 'finished' && entry.time !== undefined) return formatRaceTime(entry.time, 3);
  if (entry.status !== 'racing') return entry.status.toUpperCase();
  if (!ordered) return '–';
  return entry.position === 1
    ? `CP ${checkpointText(entry, counts)}`
    : formatGap(entry.gapToLeader ?? undefined, 1);
}
