import type { RankingMessage } from '@gw2race/protocol';

/** The racer's last split and how it compares, LiveSplit-style (negative = ahead). */
export interface SplitDelta {
  /** Crossing index (0-based, all laps together) of the split. */
  readonly index: number;
  /** Race time at that crossing, s. */
  readonly split: number;
  /** Minus the fastest other racer's time at the same crossing, s; undefined when nobody else got there. */
  readonly vsField: number | undefined;
  /** Minus the racer's own best run on this course at the same crossing, s; undefined without one. */
  readonly vsBest: number | undefined;
}

/**
 * The racer's latest split from the host's ranking (the credited crossings, with splits), beside
 * the fastest other racer's at the same crossing and the racer's own best run's (`best`: race
 * times at each crossing of a finished run on the same course). Pure; undefined before the
 * racer's first credited crossing.
 *
 * @example
 * const delta = splitDelta(view.ranking, 'ann', personalBest?.splits);
 * if (delta?.vsBest !== undefined) show(delta.vsBest < 0 ? 'green' : 'red');
 */
export function splitDelta(
  ranking: RankingMessage | undefined,
  playerId: string,
  best?: readonly number[],
): SplitDelta | undefined {
  const entries = ranking?.entries ?? [];
  const mine = entries.find((entry) => entry.playerId === playerId)?.splits;
  if (!mine || mine.length === 0) return undefined;
  const index = mine.length - 1;
  const split = mine[index] as number;
  let fastest: number | undefined;
  for (const entry of entries) {
    if (entry.playerId === playerId) continue;
    const theirs = entry.splits?.[index];
    if (theirs !== undefined && (fastest === undefined || theirs < fastest)) fastest = theirs;
  }
  const mineBest = best?.[index];
  return {
    index,
    split,
    vsField: fastest === undefined ? undefined : split - fastest,
    vsBest: mineBest === undefined ? undefined : split - mineBest,
  };
}

/**
 * Whether a finished run beats the stored best (fewer seconds over the whole course, the same
 * number of crossings); a run that is not whole never replaces one.
 */
export function isBetterRun(
  run: { readonly time: number; readonly splits: readonly number[] },
  best: { readonly time: number; readonly splits: readonly number[] } | undefined,
): boolean {
  if (!Number.isFinite(run.time) || run.splits.length === 0) return false;
  if (!best) return true;
  return run.splits.length === best.splits.length && run.time < best.time;
}
