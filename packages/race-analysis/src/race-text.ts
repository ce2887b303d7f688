import type { RankingEntry } from '@gw2race/protocol';
import type { LiveRace } from './live-race';

/** The race's stage in words, for a header or an overlay: waiting for start, racing, paused, finished, aborted. */
export function liveStageText(race: LiveRace): string {
  if (race.ended === 'aborted') return 'aborted';
  if (race.ended === 'ended') return 'finished';
  if (race.paused) return 'paused';
  if (race.t0 === null) return race.state?.stage === 'post' ? 'finished' : 'waiting for start';
  return 'racing';
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
