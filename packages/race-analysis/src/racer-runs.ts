import type { Path, ReplayData } from './replay-data';
import type { Run } from './time-delta';
import { sliceRun } from './time-delta';

/** A racer's run in a recording: their path and when their clock started and stopped. */
export interface RacerRun {
  readonly playerId: string;
  readonly name: string;
  readonly path: Path;
  /** Epoch s the racer's clock started (their start, else t0, else their first sample). */
  readonly start: number;
  /** Epoch s of the finish, or null. */
  readonly finish: number | null;
}

/** Every racer's run in a recording. */
export function racerRuns(data: ReplayData): RacerRun[] {
  const results = data.results;
  const runs: RacerRun[] = [];
  for (const [playerId, path] of data.paths) {
    const racer = results?.racers.find((r) => r.playerId === playerId);
    const start = racer?.startAt ?? data.replay.t0 ?? (path.t[0] as number);
    runs.push({
      playerId,
      name: data.names.get(playerId) ?? racer?.name ?? playerId,
      path,
      start,
      finish: racer?.finishAt ?? null,
    });
  }
  return runs.sort(
    (a, b) => (a.finish ?? Number.POSITIVE_INFINITY) - (b.finish ?? Number.POSITIVE_INFINITY),
  );
}

/** The part of a run from its start to its finish (or its last sample), timed from its start. */
export function runOf(run: RacerRun): Run {
  return sliceRun(run.path, run.start, run.finish ?? Number.POSITIVE_INFINITY, run.start);
}

/** A path between two instants (epoch s), as a line; undefined when empty. */
export function pathSlice(
  path: { t: Float64Array; x: Float64Array; z: Float64Array },
  from: number,
  to: number,
): { x: Float64Array; z: Float64Array } | undefined {
  let lo = 0;
  let hi = path.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((path.t[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < path.t.length && (path.t[end] as number) <= to) end++;
  if (end - lo < 2) return undefined;
  return { x: path.x.subarray(lo, end), z: path.z.subarray(lo, end) };
}
