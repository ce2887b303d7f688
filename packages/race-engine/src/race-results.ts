import type { FlagMessage, RacerStatus, RankingEntry, StartRule } from '@gw2race/protocol';
import type { Crossing } from './advance-course';
import { finishTime, listRacers, type RacePhase, type RaceState, racerAt } from './race-state';
import { racerUncertainty, rankingEntries } from './ranking';

/** Everything the engine knows about one ranked racer at the end. Times are seconds. */
export interface RacerResult {
  readonly playerId: string;
  readonly name: string | undefined;
  /** Place in the ranking, from 1. */
  readonly position: number;
  readonly status: RacerStatus;
  /** Organizer-clock epoch s the racer's clock started, or null. */
  readonly startAt: number | null;
  /** Organizer-clock epoch s of the finish, or null. */
  readonly finishAt: number | null;
  /** Total race time, or null when not finished. */
  readonly time: number | null;
  /** Every crossing credited, with how it was established and its uncertainty. */
  readonly crossings: readonly Crossing[];
  /** Race time at each credited crossing. */
  readonly splits: readonly number[];
  /** Time of each completed lap. */
  readonly lapTimes: readonly number[];
  /** Sector times per lap (`sectors[lap - 1][sector]`), the last lap possibly partial. */
  readonly sectors: readonly (readonly number[])[];
  /** The racer's best time for each sector of a lap, or null where never completed. */
  readonly bestSectors: readonly (number | null)[];
  /** The racer's best lap time, or null. */
  readonly bestLap: number | null;
  /** ± seconds on the racer's times. */
  readonly uncertainty: number;
  /** The organizer's ruling, if any, and why. */
  readonly ruling: 'dsq' | 'dnf' | null;
  readonly rulingReason: string | undefined;
  /** Flags raised for this racer, in order. */
  readonly flags: readonly FlagMessage[];
  /** Flags not raised because an identical kind was raised moments before. */
  readonly suppressedFlags: number;
  /** Position messages used, and ignored (stale, duplicated, after the finish...). */
  readonly samples: number;
  readonly ignoredSamples: number;
}

/** The fastest time of one sector over all racers and laps. */
export interface SectorRecord {
  /** Sector index within a lap, from 0. */
  readonly sector: number;
  /** Checkpoint the sector starts at, or null for "the start of the lap". */
  readonly from: number | null;
  /** Checkpoint the sector ends at. */
  readonly to: number;
  readonly time: number;
  readonly playerId: string;
  readonly lap: number;
}

/** The outcome of a race: the ranking, per-racer detail, and every flag. */
export interface RaceResults {
  readonly raceId: string | undefined;
  readonly trackId: string;
  readonly phase: RacePhase;
  /** True once END was received: the ranking is final. */
  readonly final: boolean;
  /** True when the race was aborted (the ranking is informative only). */
  readonly aborted: boolean;
  /** Why the race ended or was aborted, when given. */
  readonly reason: string | undefined;
  readonly t0: number | null;
  readonly endedAt: number | null;
  readonly startRule: StartRule;
  readonly laps: number;
  readonly circuit: boolean;
  /** The ranking, protocol-shaped, with splits. */
  readonly ranking: readonly RankingEntry[];
  /** Per-racer detail, in ranking order. */
  readonly racers: readonly RacerResult[];
  /** Every flag, by time (then player, then id). */
  readonly flags: readonly FlagMessage[];
  /** The best time of each sector over the field (null if nobody completed it). */
  readonly bestSectors: readonly (SectorRecord | null)[];
  /** The fastest lap over the field. */
  readonly bestLap: {
    readonly playerId: string;
    readonly lap: number;
    readonly time: number;
  } | null;
}

/**
 * The results of the race as it stands: what `adjudicate` returns after the last input, and what
 * the live host shows after END. Pure: the same state gives the same results.
 */
export function raceResults(state: RaceState): RaceResults {
  const course = state.config.course;
  const lapLength = course.lap.length;
  const ranking = rankingEntries(state);
  const racers: RacerResult[] = [];
  const bestSectors: (SectorRecord | null)[] = course.lap.map(() => null);
  let bestLap: RaceResults['bestLap'] = null;
  const flags: FlagMessage[] = [];

  state.order.forEach((i, position) => {
    const racer = racerAt(state, i);
    const entry = ranking[position] as RankingEntry;
    const { crossings, startAt, finishAt } = racer.course;
    const sectors: number[][] = [];
    const lapTimes: number[] = [];
    const best: (number | null)[] = course.lap.map(() => null);
    let previous = startAt ?? 0;
    let lapStart = previous;
    for (const crossing of crossings) {
      const lap = Math.floor(crossing.index / lapLength);
      const sector = crossing.index % lapLength;
      const time = crossing.t - previous;
      const lapSectors = sectors[lap] ?? [];
      sectors[lap] = lapSectors;
      lapSectors.push(time);
      const mine = best[sector];
      if (mine === null || mine === undefined || time < mine) best[sector] = time;
      const record = bestSectors[sector];
      if (record === null || record === undefined || time < record.time) {
        bestSectors[sector] = {
          sector,
          from: sector === 0 ? null : (course.lap[sector - 1]?.id ?? null),
          to: crossing.cp,
          time,
          playerId: racer.playerId,
          lap: lap + 1,
        };
      }
      previous = crossing.t;
      if (sector === lapLength - 1) {
        const lapTime = crossing.t - lapStart;
        lapTimes.push(lapTime);
        if (bestLap === null || lapTime < bestLap.time) {
          bestLap = { playerId: racer.playerId, lap: lap + 1, time: lapTime };
        }
        lapStart = crossing.t;
      }
    }
    racers.push({
      playerId: racer.playerId,
      name: racer.name,
      position: position + 1,
      status: entry.status,
      startAt,
      finishAt,
      time: finishTime(racer) ?? null,
      crossings,
      splits: startAt === null ? [] : crossings.map((c) => c.t - startAt),
      lapTimes,
      sectors,
      bestSectors: best,
      bestLap: lapTimes.length === 0 ? null : Math.min(...lapTimes),
      uncertainty: racerUncertainty(state, racer),
      ruling: racer.ruling,
      rulingReason: racer.rulingReason,
      flags: racer.flags,
      suppressedFlags: racer.suppressed,
      samples: racer.samples,
      ignoredSamples: racer.ignored,
    });
  });
  for (const racer of listRacers(state)) for (const flag of racer.flags) flags.push(flag);
  flags.sort(
    (a, b) =>
      a.t - b.t ||
      (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0) ||
      ((a.id ?? '') < (b.id ?? '') ? -1 : (a.id ?? '') > (b.id ?? '') ? 1 : 0),
  );
  return {
    raceId: state.raceId,
    trackId: state.config.track.id,
    phase: state.phase,
    final: state.phase === 'ended',
    aborted: state.phase === 'aborted',
    reason: state.endReason,
    t0: state.t0,
    endedAt: state.endedAt,
    startRule: course.startRule,
    laps: course.laps,
    circuit: course.circuit,
    ranking,
    racers,
    flags,
    bestSectors,
    bestLap,
  };
}
