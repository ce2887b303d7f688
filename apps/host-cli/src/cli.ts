import { AppError, runMain } from '@gw2race/app-shared';
import { replayCommand } from './commands/replay';
import { resultsCommand } from './commands/results';
import { RUN_USAGE, runCommand } from './commands/run';
import { standingsCommand } from './commands/standings';
import { tournamentCommand } from './commands/tournament';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0';

const USAGE = `Usage: gw2race-host <command> [options]

  gw2race-host [run] [options]          host a race (default; see gw2race-host run --help)
  gw2race-host results FILE [--format json|csv]
                                        re-judge a recording and print the results
  gw2race-host tournament FILE [--auto-advance S] [options]
                                        run a tournament's races one after the other
  gw2race-host standings TOURNAMENT.json DIR|FILE... [--json|--csv]
                                        re-judge a tournament's recordings, print the standings
  gw2race-host replay FILE [--http-port N]
                                        watch a recording in the race viewer
  gw2race-host track record|show|export|import  make, check, convert tracks (see track --help)
  gw2race-host hub-config --for mosquitto|emqx|aws-iot --race ID --players ... [--out DIR]
                                        accounts and access rules of a closed race for an
                                        external hub (see hub-config --help)
  gw2race-host --version | --help`;

async function main(): Promise<number> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--version' || first === '-v') {
    process.stdout.write(`gw2race-host ${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${USAGE}\n\n${RUN_USAGE}\n`);
    return 0;
  }
  if (first === 'results') return resultsCommand(rest);
  if (first === 'standings') return standingsCommand(rest);
  if (first === 'tournament') return tournamentCommand(rest, VERSION);
  if (first === 'replay') return replayCommand(rest, VERSION);
  if (first === 'run') return runCommand(rest, VERSION);
  if (first === 'track') return (await import('./commands/track')).trackCommand(rest);
  if (first === 'hub-config') return (await import('./commands/hub-config')).hubConfigCommand(rest);
  if (first === undefined || first.startsWith('-'))
    return runCommand(process.argv.slice(2), VERSION);
  throw new AppError('USAGE', `unknown command "${first}"`, { hint: USAGE });
}

runMain(main, 'gw2race-host');
