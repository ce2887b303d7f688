import { AppError, parseCommandLine } from '@gw2race/app-shared';
import {
  isRaceAnalysisError,
  type RejudgedRecording,
  rejudgeRecording,
} from '@gw2race/race-analysis';
import { encodeResultsCsv, encodeSplitsCsv } from '@gw2race/race-engine';
import type { ReplayEntry } from '@gw2race/replay-format';
import { readReplayFile } from '@gw2race/replay-format/node';
import { resultsTable } from './results-table';

const USAGE = `Usage: gw2race-host results FILE [--format table|json|csv|splits] [--strict]

Re-judges a recording (race_*.replay.jsonl.gz) with the race engine and prints the results.
They are the results the host computed live: the same inputs, in the same order, on the
recording's track (else the track its recorded race state describes), as the viewer does.

  --format table    for people (default): place, time, gap, checkpoints, best lap, flags
  --format json     everything: ranking, crossings, splits, sectors, flags (as results.json)
  --format csv      one row per racer
  --format splits   one row per credited crossing (splits and sector times)
  --strict          exit 6 when any part of the recording could not be read (a protest needs
                    the whole race: a crashed host's last, cut-off part is such a loss)`;

/** Exit code of \`results --strict\` when part of the recording was lost (the BAD_FILE code). */
export const LOST_PARTS_EXIT = 6;

/** The closing line when parts of a recording were lost: what it means for the results. */
function lostPartsLine(count: number, strict: boolean): string {
  const parts = count === 1 ? '1 part' : `${count} parts`;
  return `results: ${parts} of the recording could not be read (see the warnings above); these results leave out what ${count === 1 ? 'it' : 'they'} held${strict ? '' : ' (--strict makes this an error)'}\n`;
}

/**
 * Re-judges a recording file by `rejudgeRecording` (the viewer's rule too): the same engine
 * inputs the live host used, in the same order, on the header's track, else the recorded state's.
 */
export async function rejudge(file: string): Promise<RejudgedRecording & { warnings: string[] }> {
  const reader = readReplayFile(file);
  const entries: ReplayEntry[] = [];
  const headerResult = await reader.header();
  if (!headerResult.ok) {
    const cause = headerResult.error.cause as { code?: string } | undefined;
    const why = cause?.code === 'ENOENT' ? 'no such file' : headerResult.error.message;
    throw new AppError('BAD_FILE', `cannot read the recording ${file}: ${why}`, {
      cause: headerResult.error,
    });
  }
  const header = headerResult.value;
  for await (const entry of reader) entries.push(entry);
  if (reader.fatal)
    throw new AppError('BAD_FILE', `${file}: ${reader.fatal.message}`, { cause: reader.fatal });
  const warnings = reader.issues.map((issue) => issue.message);
  try {
    return { ...rejudgeRecording({ header, entries }), warnings };
  } catch (error) {
    if (!isRaceAnalysisError(error)) throw error;
    throw new AppError('BAD_FILE', `${file}: ${error.message}`, { cause: error });
  }
}

const FORMATS = ['table', 'json', 'csv', 'splits'] as const;
type Format = (typeof FORMATS)[number];

function render(format: Format, results: RejudgedRecording['results']): string {
  if (format === 'table') return resultsTable(results);
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  return format === 'csv' ? encodeResultsCsv(results) : encodeSplitsCsv(results);
}

/** `gw2race-host results FILE [--format table|json|csv|splits] [--strict]`. */
export async function resultsCommand(args: string[]): Promise<number> {
  const command = parseCommandLine(
    args,
    { format: { type: 'string' }, strict: { type: 'boolean' } },
    USAGE,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new AppError('USAGE', 'give one recording file', { hint: USAGE });
  const format = (values.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) {
    throw new AppError(
      'USAGE',
      `--format must be table, json, csv or splits, got "${values.format}"`,
    );
  }
  const { results, source, warnings } = await rejudge(file);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  if (source === 'state')
    process.stderr.write(
      'note: the recording has no track in its header; judged on the track its race state describes\n',
    );
  process.stdout.write(render(format, results));
  if (warnings.length === 0) return 0;
  process.stderr.write(lostPartsLine(warnings.length, values.strict ?? false));
  return values.strict ? LOST_PARTS_EXIT : 0;
}
