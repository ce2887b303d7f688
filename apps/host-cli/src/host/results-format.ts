import type { RaceResults } from '@gw2race/race-engine';

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Column names of {@link encodeResultsCsv}. */
export const RESULTS_CSV_COLUMNS = [
  'position',
  'player_id',
  'name',
  'status',
  'time_s',
  'gap_to_leader_s',
  'laps',
  'checkpoints',
  'uncertainty_s',
  'best_lap_s',
  'flags',
  'ruling',
  'splits_s',
] as const;

/** The results as CSV: one row per racer in ranking order; splits are `;`-separated race times. */
export function encodeResultsCsv(results: RaceResults): string {
  const rows = results.racers.map((racer) => {
    const entry = results.ranking.find((e) => e.playerId === racer.playerId);
    return [
      racer.position,
      racer.playerId,
      racer.name ?? '',
      racer.status,
      racer.time,
      entry?.gapToLeader ?? null,
      entry?.lap ?? 0,
      entry?.checkpoints ?? racer.crossings.length,
      racer.uncertainty,
      racer.bestLap,
      racer.flags.length,
      racer.ruling ?? '',
      racer.splits.map((s) => Math.round(s * 1e6) / 1e6).join(';'),
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[RESULTS_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
