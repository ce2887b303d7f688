import { type PosField, toEpochSeconds } from '@gw2race/protocol';
import { POSITION_COLUMNS, type PositionColumn } from './position-line';
import type { ReplayEntry } from './replay-entry';
import type { ReplayHeader } from './replay-header';

/** Messages to export: what `readReplay` yields, or `Replay.messages()`. */
export type ExportSource = Iterable<ReplayEntry> | AsyncIterable<ReplayEntry>;

/** Options of the CSV and JSON exports. */
export interface ExportOptions {
  /**
   * Start instant for the race-time column (epoch s). When left out, the last start announced
   * so far in the stream (`state.t0`, `START`/`RESUME`) is used, from the header's `t0` on
   * when a header is given: rows before any have none. `null`: no race-time column values at all.
   */
  readonly t0?: number | null;
  /** The recording's header (`readReplay(...).header()` or `Replay.header`): its `t0`, if any, to start from. */
  readonly header?: ReplayHeader | null;
}

/** Rows per yielded text chunk. */
const ROWS_PER_CHUNK = 4096;

/** RFC 4180: quote a field when it holds a comma, a quote or a line break. */
function field(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function trackT0(entry: ReplayEntry, t0: number | null): number | null {
  if (entry.kind === 'state' && typeof entry.message.t0 === 'number') return entry.message.t0;
  if (
    entry.kind === 'control' &&
    (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
    typeof entry.message.t0 === 'number'
  ) {
    return entry.message.t0;
  }
  return t0;
}

async function* rows(
  entries: ExportSource,
  options: ExportOptions,
  headerRow: string,
  row: (entry: ReplayEntry, t0: number | null) => string | undefined,
): AsyncGenerator<string> {
  const follow = options.t0 === undefined;
  let t0 = follow ? (options.header?.t0 ?? null) : options.t0;
  let text = `${headerRow}\r\n`;
  let count = 0;
  for await (const entry of entries) {
    if (follow) t0 = trackT0(entry, t0);
    const line = row(entry, t0);
    if (line === undefined) continue;
    text += `${line}\r\n`;
    if (++count % ROWS_PER_CHUNK === 0) {
      yield text;
      text = '';
    }
  }
  if (text.length > 0) yield text;
}

const raceTime = (time: number, t0: number | null) => (t0 === null ? '' : (time - t0).toFixed(3));

/**
 * The position fields a CSV row leaves out, and why (every other field of `POS_FIELDS` has a
 * column; a test checks it).
 */
export const POSITIONS_CSV_OMITTED: Readonly<Partial<Record<PosField, string>>> = {
  sig: 'a signature of the message as sent, not a value of the sample',
};

/** Position fields with their own column after `playerId t raceTime at`: the position line's order. */
const CSV_FIELDS = POSITION_COLUMNS.filter(
  (column): column is Exclude<PositionColumn, 't' | 'lag'> => column !== 't' && column !== 'lag',
);

/** Columns of {@link encodePositionsCsv}. */
export const POSITIONS_CSV_COLUMNS: readonly (
  | 'playerId'
  | 't'
  | 'raceTime'
  | 'at'
  | (typeof CSV_FIELDS)[number]
)[] = Object.freeze(['playerId', 't', 'raceTime', 'at', ...CSV_FIELDS]);

/**
 * CSV of every position sample, one row each (RFC 4180, CRLF): `playerId`, `t` (epoch s; a
 * race-relative `t` is counted from t0, or left as sent while t0 is unknown), `raceTime` (s since t0), `at` (host receive time, epoch s), `x`, `y`, `z` (m), `v` (m/s),
 * `mapId`, `mount`, `tick`, `seq`, `u` (± s of `t`; empty when absent). Yields text in chunks, so a long race
 * can be streamed to a file.
 *
 * @example
 * let csv = '';
 * for await (const chunk of encodePositionsCsv(readReplay(bytes))) csv += chunk;
 */
export function encodePositionsCsv(
  entries: ExportSource,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  return rows(entries, options, POSITIONS_CSV_COLUMNS.join(','), (entry, t0) => {
    if (entry.kind !== 'pos') return undefined;
    const m = entry.message;
    // Race-relative times (below 1e9) are seconds since t0, as the race engine reads them.
    const t = toEpochSeconds(m.t, t0) ?? m.t;
    let row = `${field(m.playerId)},${field(t)},${raceTime(t, t0)},${field(entry.at)}`;
    for (const name of CSV_FIELDS) row += `,${field(m[name])}`;
    return row;
  });
}

/** Columns of {@link encodeCheckpointsCsv}. */
export const CHECKPOINTS_CSV_COLUMNS = [
  'playerId',
  'cp',
  'lap',
  'ts',
  'raceTime',
  'at',
  'x',
  'y',
  'z',
  'speed',
  'uncertainty',
] as const;

/**
 * CSV of every checkpoint report, one row each: `playerId`, `cp`, `lap`, `ts` (epoch s),
 * `raceTime` (s since t0), `at` (host receive time), `x`, `y`, `z`, `speed`, `uncertainty`.
 * These are the clients' reports as received; the host's verdicts are in the rankings.
 */
export function encodeCheckpointsCsv(
  entries: ExportSource,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  return rows(entries, options, CHECKPOINTS_CSV_COLUMNS.join(','), (entry, t0) => {
    if (entry.kind !== 'checkpoint') return undefined;
    const m = entry.message;
    // Race-relative timestamps (below 1e9) are seconds since t0.
    const ts = toEpochSeconds(m.ts, t0) ?? m.ts;
    return [
      field(m.playerId),
      field(m.cp),
      field(m.lap),
      field(ts),
      raceTime(ts, t0),
      field(entry.at),
      field(m.pos?.x),
      field(m.pos?.y),
      field(m.pos?.z),
      field(m.speed),
      field(m.uncertainty),
    ].join(',');
  });
}

/** Joins the chunks of an export into one string. */
export async function collectText(
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}
