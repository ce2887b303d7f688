import { basename } from 'node:path';
import { AppError, numberOption, parseCommandLine } from '@gw2race/app-shared';
import type { Track } from '@gw2race/protocol';
import { encodeBeetlerankCsv, parseBeetlerankCsv, validateTrack } from '@gw2race/race-engine';
import {
  csvLosses,
  encodeTrackJson,
  formatTrackSummary,
  summarizeTrack,
  withoutRepeatedStart,
} from '@gw2race/track-authoring';
import { BUNDLED_TRACKS, loadTrack } from '../host/load-track';
import { checkOutput, readTextFile, writeFileAtomically } from '../track/track-file';
import { processIo, type TrackIo, trackRecordCommand } from './track-record';

export const TRACK_USAGE = `Usage: gw2race-host track <command> [options]

  track record [options]     ride the course in the game and drop checkpoints with keys
                             (gw2race-host track record --help lists its options and keys)
  track show FILE [--map ID] [--json] [--strict]
                             summary (checkpoints, legs, length, map) and warnings
  track export FILE [--out FILE.csv] [--map ID] [--force]
                             the track as a Beetlerank CSV (to stdout without --out)
  track import FILE.csv [--out FILE.json|-] [--map ID] [--name TEXT] [--circuit] [--laps N] [--force]
                             a Beetlerank CSV (any variant) as a gw2race track JSON
                             (default --out: FILE with .track.json instead of .csv)

FILE is a gw2race track JSON, a Beetlerank CSV, or a bundled track: ${Object.keys(BUNDLED_TRACKS).join(', ')}.
--map gives the GW2 map id of a CSV (Beetlerank files do not say); --strict makes show exit with
code 1 when it finds problems; --force replaces an existing output file.`;

const MAP = { min: 0, max: 0xffffffff, integer: true } as const;

/** `gw2race-host track …`. */
export async function trackCommand(args: string[], io: TrackIo = processIo()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'record') return trackRecordCommand(rest, io);
  if (sub === 'show') return showCommand(rest, io);
  if (sub === 'export') return exportCommand(rest, io);
  if (sub === 'import') return importCommand(rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(`${TRACK_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  throw new AppError('USAGE', `unknown track command "${sub}"`, { hint: TRACK_USAGE });
}

function oneFile(positionals: string[], what: string): string {
  const [file, ...more] = positionals;
  if (file === undefined || more.length > 0)
    throw new AppError('USAGE', `give one ${what}`, { hint: TRACK_USAGE });
  return file;
}

async function showCommand(args: string[], io: TrackIo): Promise<number> {
  const command = parseCommandLine(
    args,
    {
      map: { type: 'string' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
    },
    TRACK_USAGE,
    io.stdout,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const file = oneFile(positionals, 'track file to show');
  const mapId = values.map === undefined ? undefined : numberOption(values.map, 'map', 0, MAP);
  const track = await loadTrack(file, mapId !== undefined ? { mapId } : {});
  const summary = summarizeTrack(track);
  const warnings = validateTrack(track);
  if (values.json) {
    const { referenceLine: _line, ...about } = track;
    io.stdout.write(`${JSON.stringify({ track: about, summary, warnings }, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatTrackSummary(track, summary, warnings)}\n`);
  }
  if (values.strict && warnings.length > 0) {
    io.stderr.write(
      `gw2race-host: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${file} (--strict)\n`,
    );
    return 1;
  }
  return 0;
}

async function exportCommand(args: string[], io: TrackIo): Promise<number> {
  const command = parseCommandLine(
    args,
    {
      out: { type: 'string', short: 'o' },
      map: { type: 'string' },
      force: { type: 'boolean' },
    },
    TRACK_USAGE,
    io.stdout,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const file = oneFile(positionals, 'track file to export');
  const mapId = values.map === undefined ? undefined : numberOption(values.map, 'map', 0, MAP);
  const out = values.out === '-' ? undefined : values.out;
  if (out !== undefined) checkOutput(out, '--out', values.force === true);
  const track = await loadTrack(file, mapId !== undefined ? { mapId } : {});
  const csv = encodeBeetlerankCsv(track);
  for (const note of csvLosses(track)) io.stderr.write(`note: ${note}\n`);
  if (out === undefined) io.stdout.write(csv);
  else {
    await writeFileAtomically(out, csv);
    io.stdout.write(`wrote ${out}: ${track.checkpoints.length} checkpoints\n`);
  }
  return 0;
}

async function importCommand(args: string[], io: TrackIo): Promise<number> {
  const command = parseCommandLine(
    args,
    {
      out: { type: 'string', short: 'o' },
      map: { type: 'string' },
      name: { type: 'string' },
      circuit: { type: 'boolean' },
      laps: { type: 'string' },
      force: { type: 'boolean' },
    },
    TRACK_USAGE,
    io.stdout,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const file = oneFile(positionals, 'Beetlerank CSV file to import');
  const mapId = values.map === undefined ? undefined : numberOption(values.map, 'map', 0, MAP);
  const laps =
    values.laps === undefined
      ? undefined
      : numberOption(values.laps, 'laps', 1, { min: 1, max: 1000, integer: true });
  if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 200))
    throw new AppError('USAGE', '--name must be 1 to 200 characters');
  const toStdout = values.out === '-';
  const out = toStdout
    ? undefined
    : (values.out ??
      (/\.csv$/i.test(file) ? file.replace(/\.csv$/i, '.track.json') : `${file}.track.json`));
  if (out !== undefined) checkOutput(out, '--out', values.force === true);
  const text = await readTextFile(file, 'the CSV');
  if (/^\uFEFF?\s*[{[]/.test(text)) {
    throw new AppError('BAD_FILE', `${file} is JSON, not a Beetlerank CSV`, {
      hint: `if it is a gw2race track already, see it with: gw2race-host track show ${file}`,
    });
  }
  const parsed = parseBeetlerankCsv(text, {
    file: basename(file),
    ...(mapId !== undefined ? { mapId } : {}),
    ...(values.name !== undefined ? { name: values.name.trim() } : {}),
    ...(values.circuit ? { circuit: true } : {}),
    ...(laps !== undefined ? { laps } : {}),
  });
  if (!parsed.ok) {
    throw new AppError('BAD_FILE', `${file}: ${parsed.error.message}`, {
      cause: parsed.error,
      hint: 'a Beetlerank CSV has the header STEP,STEPNAME,X,Y,Z[,RADIUS[,ANGLE]]',
    });
  }
  const track = values.circuit ? dropRepeatedStart(parsed.value, io) : parsed.value;
  const report = `${formatTrackSummary(track, summarizeTrack(track), validateTrack(track))}\n`;
  if (out === undefined) {
    io.stdout.write(encodeTrackJson(track));
    io.stderr.write(report);
  } else {
    await writeFileAtomically(out, encodeTrackJson(track));
    io.stdout.write(`${report}\nwrote ${out}\n`);
  }
  return 0;
}

/** Drops the `end` row that repeats a circuit's start (see `withoutRepeatedStart`), saying so. */
function dropRepeatedStart(track: Track, io: TrackIo): Track {
  const result = withoutRepeatedStart(track);
  if (result.dropped)
    io.stderr.write(
      `note: the last row repeats the start, which ends every lap of a circuit: dropped\n`,
    );
  return result.track;
}
