import { AppError, parseCommandLine } from '@gw2race/app-shared';
import { computeStandings, encodeStandingsCsv } from '@gw2race/standings';
import { findRecordings, judgeRecordings } from '../tournament/judge-recordings';
import { loadTournament } from '../tournament/load-tournament';
import { formatStandingsTable } from '../tournament/standings-table';

const USAGE = `Usage: gw2race-host standings TOURNAMENT.json DIR|FILE... [--json | --csv]

Re-judges every recording (race_*.replay.jsonl.gz; a folder: every one in it) with the race
engine, as \`results\` does, files each under its race of the tournament by race id, and prints
the standings: points, positions, tie-breaks, and who qualifies for the races still to run.
They are the standings \`gw2race-host tournament\` computed live.

  --json   the standings as JSON (schemas/standings.schema.json of @gw2race/protocol)
  --csv    one row per racer, the points of each race as columns`;

/** `gw2race-host standings TOURNAMENT.json DIR|FILE... [--json|--csv]`. */
export async function standingsCommand(args: string[]): Promise<number> {
  const command = parseCommandLine(
    args,
    { json: { type: 'boolean' }, csv: { type: 'boolean' } },
    USAGE,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const [file, ...paths] = positionals;
  if (!file || paths.length === 0)
    throw new AppError('USAGE', 'give a tournament file and its recordings (files or folders)', {
      hint: USAGE,
    });
  if (values.json && values.csv) throw new AppError('USAGE', 'give --json or --csv, not both');
  const { tournament } = await loadTournament(file);
  const judged = await judgeRecordings(tournament, await findRecordings(paths));
  for (const race of judged.values())
    for (const warning of race.warnings)
      process.stderr.write(`warning: ${race.file}: ${warning}\n`);
  const standings = computeStandings(
    tournament,
    Object.fromEntries([...judged].map(([id, race]) => [id, race.results])),
  );
  for (const warning of standings.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(standings, null, 2)}\n`
      : values.csv
        ? encodeStandingsCsv(standings)
        : formatStandingsTable(standings),
  );
  return 0;
}
