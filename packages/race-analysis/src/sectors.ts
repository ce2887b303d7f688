import type { RaceResults } from '@gw2race/race-engine';

/** One sector of a lap: from a checkpoint (or the lap's start) to the next. */
export interface SectorColumn {
  readonly index: number;
  /** Checkpoint id where it starts, `null` for the start of the lap. */
  readonly from: number | null;
  readonly to: number;
  /** `S1`, `S2`, … */
  readonly label: string;
}

/** How a sector time compares. */
export type SectorMark = 'overall-best' | 'personal-best' | '';

/** One lap of one racer. */
export interface SectorRow {
  readonly playerId: string;
  readonly name: string;
  readonly lap: number;
  readonly times: readonly (number | null)[];
  readonly marks: readonly SectorMark[];
  /** The lap's time when complete. */
  readonly lapTime: number | null;
}

/** Per racer: best sectors and the lap they add up to. */
export interface TheoreticalRow {
  readonly playerId: string;
  readonly name: string;
  readonly bestSectors: readonly (number | null)[];
  /** Sum of the racer's best sectors, when every sector was completed. */
  readonly theoretical: number | null;
  readonly bestLap: number | null;
  /** Best lap minus theoretical: what the racer left on the course. */
  readonly potential: number | null;
}

/** The sector analysis of a race. */
export interface SectorAnalysis {
  readonly columns: readonly SectorColumn[];
  readonly rows: readonly SectorRow[];
  readonly racers: readonly TheoreticalRow[];
  /** The field's best time of each sector and who set it. */
  readonly best: readonly ({ time: number; playerId: string; lap: number } | null)[];
  /** Sum of the field's best sectors, when every sector was completed by someone. */
  readonly theoreticalBest: number | null;
}

const sum = (values: readonly (number | null)[]): number | null =>
  values.length > 0 && values.every((v) => v !== null)
    ? (values as number[]).reduce((a, b) => a + b, 0)
    : null;

/**
 * The sector analysis of race results: sector times per racer and lap, the field's and each
 * racer's best sectors (marked), and the theoretical best laps they add up to.
 *
 * @param lapCheckpoints ids of the checkpoints that end each sector of a lap, in order (the
 *   engine's compiled course, `state.config.course.lap`).
 */
export function sectorAnalysis(
  results: RaceResults,
  lapCheckpoints: readonly number[],
): SectorAnalysis {
  const columns: SectorColumn[] = lapCheckpoints.map((to, index) => ({
    index,
    from: index === 0 ? null : (lapCheckpoints[index - 1] as number),
    to,
    label: `S${index + 1}`,
  }));
  const best = columns.map((c) => {
    const record = results.bestSectors[c.index];
    return record ? { time: record.time, playerId: record.playerId, lap: record.lap } : null;
  });
  const rows: SectorRow[] = [];
  const racers: TheoreticalRow[] = [];
  for (const racer of results.racers) {
    const name = racer.name ?? racer.playerId;
    racer.sectors.forEach((lapSectors, lapIndex) => {
      const times = columns.map((c) => lapSectors[c.index] ?? null);
      const marks = times.map((time, i): SectorMark => {
        if (time === null) return '';
        if (best[i] && time === best[i]?.time) return 'overall-best';
        return time === racer.bestSectors[i] ? 'personal-best' : '';
      });
      rows.push({
        playerId: racer.playerId,
        name,
        lap: lapIndex + 1,
        times,
        marks,
        lapTime: racer.lapTimes[lapIndex] ?? null,
      });
    });
    const bestSectors = columns.map((c) => racer.bestSectors[c.index] ?? null);
    const theoretical = sum(bestSectors);
    racers.push({
      playerId: racer.playerId,
      name,
      bestSectors,
      theoretical,
      bestLap: racer.bestLap,
      potential:
        theoretical !== null && racer.bestLap !== null ? racer.bestLap - theoretical : null,
    });
  }
  return {
    columns,
    rows,
    racers,
    best,
    theoreticalBest: sum(best.map((b) => b?.time ?? null)),
  };
}
