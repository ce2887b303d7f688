/** What the bench reads off the host process and off the messages it sees. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Sent } from './fleet';

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

/** Peak resident memory in MB (VmHWM), or undefined once the process is gone. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The q-quantile of sorted values (NaN when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The index of the first sent position at or after race time `at` (-1: none yet). */
function firstAtOrAfter(sent: Sent, at: number): number {
  let lo = 0;
  let hi = sent.raceTime.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sent.raceTime[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < sent.raceTime.length ? lo : -1;
}

interface RankingEntry {
  playerId: string;
  checkpoints: number;
  lastAt?: number;
  splits?: number[];
}

/**
 * Follows the ranking messages: each checkpoint newly credited to a racer is a crossing, timed
 * from the first position that racer sent at or after the crossing instant (the one that let the
 * host see it) to the ranking that shows it.
 */
export function createCrossingClock(sent: ReadonlyMap<string, Sent>) {
  const credited = new Map<string, number>();
  const latencies: number[] = [];
  let untimed = 0;
  return {
    latencies,
    credited,
    untimed: () => untimed,
    onRanking(entries: readonly RankingEntry[]): void {
      const now = performance.now();
      for (const entry of entries) {
        const before = credited.get(entry.playerId) ?? 0;
        if (entry.checkpoints <= before) continue;
        credited.set(entry.playerId, entry.checkpoints);
        const record = sent.get(entry.playerId);
        for (let k = before + 1; k <= entry.checkpoints; k++) {
          const at = entry.splits?.[k - 1] ?? (k === entry.checkpoints ? entry.lastAt : undefined);
          const index = record && at !== undefined ? firstAtOrAfter(record, at) : -1;
          if (record && index >= 0) latencies.push(now - (record.perf[index] as number));
          else untimed++;
        }
      }
    },
  };
}
