import type { RaceResults } from './race-results';

/**
 * RFC 4180: quote a field when it holds a comma, a quote or a line break. A text that a
 * spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return: a racer named `=HYPERLINK(…)`) gets a leading `'`, so it shows as the text it is
 * (OWASP's advice for CSV injection). Numbers are written as numbers.
 */
function csvField(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const raw = String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line (RFC 4180, ending in CRLF) of these fields, each written as {@link csvField} does:
 * quoted when needed, a formula-looking text defused with a leading `'`, numbers as numbers,
 * null, undefined and non-finite numbers empty. Every gw2race CSV writes its rows with it.
 *
 * @example
 * csvRow([1, 'ann', '=HYPERLINK("x")']); // '1,ann,"\'=HYPERLINK(""x"")"\r\n'
 */
export function csvRow(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

const round = (value: number | null | undefined) =>
  value === null || value === undefined ? undefined : Math.round(value * 1e6) / 1e6;

/**
 * The results as CSV (RFC 4180, CRLF): one row per racer in ranking order, times in seconds:
 * `position, playerId, name, status, time, gapToLeader, laps, checkpoints, bestLap, uncertainty,
 * flags, ruling`. The host writes it next to a recording; the viewer exports it.
 */
export function encodeResultsCsv(results: RaceResults): string {
  let text = csvRow([
    'position',
    'playerId',
    'name',
    'status',
    'time',
    'gapToLeader',
    'laps',
    'checkpoints',
    'bestLap',
    'uncertainty',
    'flags',
    'ruling',
  ]);
  for (const racer of results.racers) {
    const entry = results.ranking.find((e) => e.playerId === racer.playerId);
    text += csvRow([
      racer.position,
      racer.playerId,
      racer.name ?? '',
      racer.status,
      round(racer.time),
      round(entry?.gapToLeader ?? undefined),
      racer.lapTimes.length,
      racer.crossings.length,
      round(racer.bestLap),
      round(racer.uncertainty),
      racer.flags.length,
      racer.ruling ?? '',
    ]);
  }
  return text;
}

/**
 * Every credited crossing as CSV (RFC 4180, CRLF): `playerId, name, lap, index, checkpoint, split`
 * (race time), `sector` (time since the previous crossing), `at` (epoch s), `uncertainty`,
 * `source` (stream, gap, inferred), `speed`, `x, y, z`.
 */
export function encodeSplitsCsv(results: RaceResults): string {
  let text = csvRow([
    'playerId',
    'name',
    'lap',
    'index',
    'checkpoint',
    'split',
    'sector',
    'at',
    'uncertainty',
    'source',
    'speed',
    'x',
    'y',
    'z',
  ]);
  for (const racer of results.racers) {
    let previous = racer.startAt;
    racer.crossings.forEach((crossing, i) => {
      text += csvRow([
        racer.playerId,
        racer.name ?? '',
        crossing.lap,
        crossing.index,
        crossing.cp,
        round(racer.splits[i]),
        previous === null ? undefined : round(crossing.t - previous),
        crossing.t,
        round(crossing.uncertainty),
        crossing.source,
        round(crossing.speed),
        round(crossing.x),
        round(crossing.y),
        round(crossing.z),
      ]);
      previous = crossing.t;
    });
  }
  return text;
}
