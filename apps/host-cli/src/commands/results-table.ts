import { formatGap, formatRaceTime, formatTable } from '@gw2race/app-shared';
import { toDisplayText } from '@gw2race/protocol';
import type { RaceResults, RacerResult } from '@gw2race/race-engine';

/** The checkpoints a finisher crosses over the race (every lap's, the finish included). */
function checkpointCount(results: RaceResults, racer: RacerResult): number {
  const entry = results.ranking.find((ranked) => ranked.playerId === racer.playerId);
  return entry?.checkpoints ?? racer.crossings.length;
}

/** The state of a racer for people: a finish time, or why there is none. */
function outcome(racer: RacerResult): string {
  if (racer.ruling === 'dsq') return 'DSQ';
  if (racer.ruling === 'dnf') return 'DNF';
  if (racer.status === 'finished') return formatRaceTime(racer.time);
  return racer.status === 'dnf' || racer.status === 'dsq' ? racer.status.toUpperCase() : '-';
}

function headline(results: RaceResults): string {
  const race = toDisplayText(results.raceId ?? 'unnamed race', 80);
  const laps = results.laps === 1 ? '1 lap' : `${results.laps} laps`;
  const state = results.aborted
    ? 'aborted'
    : results.final
      ? 'final'
      : `not final (${results.phase})`;
  const reason = results.reason ? ` - ${toDisplayText(results.reason, 200)}` : '';
  return `Race ${race} on ${toDisplayText(results.trackId, 80)}, ${laps}: ${state}${reason}`;
}

function flagLines(results: RaceResults): string[] {
  if (results.flags.length === 0) return ['No flags.'];
  const names = new Map(results.racers.map((racer) => [racer.playerId, racer.name]));
  const shown = results.flags.filter((flag) => flag.severity !== 'info');
  const info = results.flags.length - shown.length;
  const lines = [
    `Flags to review (${shown.length}${info > 0 ? `; ${info} for information only, in the JSON` : ''}):`,
  ];
  for (const flag of shown) {
    const who = toDisplayText(names.get(flag.playerId) ?? flag.playerId, 64);
    lines.push(
      `  ${flag.severity.padEnd(8)} ${toDisplayText(flag.kind, 40)} ${who}: ${toDisplayText(flag.message, 300)}`,
    );
  }
  return lines;
}

/**
 * The results as people read them in a terminal: a headline, one row per racer (place, name,
 * time or DNF/DSQ, gap, checkpoints, best lap, ± uncertainty, flags), the fastest lap, the flags.
 * Names and flag texts go through `toDisplayText`: a hand-made recording cannot reach the
 * terminal with escape sequences.
 */
export function resultsTable(results: RaceResults): string {
  const leader = results.racers[0];
  const rows = results.racers.map((racer) => [
    racer.position,
    toDisplayText(racer.name ?? racer.playerId, 64),
    outcome(racer),
    racer === leader || racer.time === null || leader?.time == null
      ? ''
      : formatGap(racer.time - leader.time),
    checkpointCount(results, racer),
    racer.bestLap === null ? '-' : formatRaceTime(racer.bestLap),
    `±${(racer.uncertainty * 1000).toFixed(1)} ms`,
    racer.flags.length,
  ]);
  const table =
    rows.length === 0
      ? 'No racers.'
      : formatTable(
          ['#', 'racer', 'time', 'gap', 'checkpoints', 'best lap', 'uncertainty', 'flags'],
          rows,
        );
  const best = results.bestLap;
  const bestName = best
    ? toDisplayText(
        results.racers.find((r) => r.playerId === best.playerId)?.name ?? best.playerId,
        64,
      )
    : '';
  const fastest = best
    ? [`Fastest lap: ${formatRaceTime(best.time)} by ${bestName} (lap ${best.lap})`]
    : [];
  return [headline(results), '', table, '', ...fastest, ...flagLines(results), ''].join('\n');
}
