import { resolve } from 'node:path';
import {
  AppError,
  createScreen,
  numberOption,
  parseCommandLine,
  type Screen,
} from '@gw2race/app-shared';
import { createFileSource, createMumbleLinkReader } from '@gw2race/mumblelink';
import { KEY_HELP, nameFromFile, RADIUS_LIMITS, trackIdFrom } from '@gw2race/track-authoring';
import { DEFAULT_TRACK, loadTrack } from '../host/load-track';
import { listenToKeys } from '../track/keys';
import { createRecordSession, type RecordSession } from '../track/record-session';
import { type SimulatedRide, startSimulatedRide } from '../track/simulate-ride';
import { checkOutput } from '../track/track-file';

/** Where the track commands read and write (the process's streams; tests pass their own). */
export interface TrackIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Default `false`: a terminal on stdout redraws the screen; `true` prints lines only. */
  readonly plain?: boolean;
  /** Subscribes to the signals that end a recording; returns the unsubscribe function. */
  readonly onSignal?: (handler: () => void) => () => void;
}

/** The process's own streams and signals. */
export function processIo(): TrackIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onSignal(handler) {
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

export const TRACK_RECORD_USAGE = `Usage: gw2race-host track record [options]

Makes a track by riding it: reads your own position from the game (MumbleLink, as the racer
does) and drops the start, checkpoints and finish where you are when you press a key.

Track:
  --out FILE           the track JSON to write (default: NAME.track.json from --name, else
                       track-DATE.track.json); refused if it exists, unless --force
  --csv FILE           also write a Beetlerank CSV on every save
  --name TEXT          track name (default: from --out, else "Track DATE")
  --author TEXT        author (default: your character's name, from MumbleLink)
  --radius M           radius of the checkpoints until changed with keys (default 15)
  --circuit            the start is the finish of every lap (f closes the loop)
  --laps N             the track's default number of laps
  --multi-map          allow checkpoints on other maps than the start's
  --path               record the ridden path as the track's reference line (the ideal line
                       the viewer draws, and simulated riders follow: --track-to-ride here,
                       gw2race-racer --sim-line)
  --force              replace --out and --csv if they exist
MumbleLink:
  --mumble NAME        shared memory name on Windows (the game's -mumble option; default MumbleLink)
  --mumble-file PATH   a MumbleLink file (Linux bridges; default /dev/shm/MumbleLink)
  --simulate           no game: a bot rides a track into a MumbleLink file, setting off when
                       you drop the start
  --track-to-ride T    the track the bot rides: JSON, CSV or bundled name (default ${DEFAULT_TRACK})
  --map ID             map id of --track-to-ride when it is a CSV without one
  --sim-speed M/S      the bot's cruise speed (default 30)
  --sim-seed N         the bot's randomness (default 1)
Other:
  --plain              no screen redraw: print what happens as lines
  -h, --help

Keys (in a terminal; from a pipe or file: one key per character or line, e.g. "c", "space"):
${KEY_HELP.map(([keys, what]) => `  ${keys.padEnd(19)}${what}`).join('\n')}`;

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The options of `track record`, as `parseArgs` takes them. */
const RECORD_OPTIONS = {
  out: { type: 'string', short: 'o' },
  csv: { type: 'string' },
  name: { type: 'string' },
  author: { type: 'string' },
  radius: { type: 'string' },
  circuit: { type: 'boolean' },
  laps: { type: 'string' },
  'multi-map': { type: 'boolean' },
  path: { type: 'boolean' },
  force: { type: 'boolean' },
  mumble: { type: 'string' },
  'mumble-file': { type: 'string' },
  simulate: { type: 'boolean' },
  'track-to-ride': { type: 'string' },
  map: { type: 'string' },
  'sim-speed': { type: 'string' },
  'sim-seed': { type: 'string' },
  plain: { type: 'boolean' },
} as const;

/** The parsed options of `track record`. */
type RecordValues = {
  [K in keyof typeof RECORD_OPTIONS]?: (typeof RECORD_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

/**
 * The radius and laps, after refusing what makes no sense (in this order, so the first problem
 * is the one reported), before anything is opened.
 */
function checkRecordOptions(values: RecordValues, positionals: readonly string[]) {
  if (positionals.length > 0)
    throw new AppError('USAGE', `unexpected argument "${positionals[0]}"`, {
      hint: 'give the output file with --out FILE',
    });
  const radius = numberOption(values.radius, 'radius', 15, RADIUS_LIMITS);
  const laps =
    values.laps === undefined
      ? undefined
      : numberOption(values.laps, 'laps', 1, { min: 1, max: 1000, integer: true });
  if (values.mumble !== undefined && values['mumble-file'] !== undefined)
    throw new AppError('USAGE', 'give --mumble NAME or --mumble-file PATH, not both');
  if (values.simulate && (values.mumble !== undefined || values['mumble-file'] !== undefined))
    throw new AppError(
      'USAGE',
      '--simulate writes its own MumbleLink file: drop --mumble and --mumble-file',
    );
  for (const option of ['track-to-ride', 'map', 'sim-speed', 'sim-seed'] as const) {
    if (values[option] !== undefined && !values.simulate)
      throw new AppError('USAGE', `--${option} needs --simulate`);
  }
  for (const option of ['name', 'author'] as const) {
    const value = values[option];
    if (value !== undefined && (value.trim() === '' || value.length > 200))
      throw new AppError('USAGE', `--${option} must be 1 to 200 characters`);
  }
  return { radius, laps };
}

/** The track's name, id and files: from --name and --out, else from the date; checked writable. */
function planOutput(values: RecordValues, startedAt: Date) {
  const fromOut = values.out !== undefined ? nameFromFile(values.out) : '';
  const trackName = values.name?.trim() || fromOut || `Track ${stamp(startedAt)}`;
  const id = trackIdFrom(
    values.name !== undefined || fromOut !== ''
      ? trackName
      : `track-${stamp(startedAt).replace(/-/g, '').replace(' ', '-').replace(':', '')}`,
  );
  const out = values.out ?? `${id}.track.json`;
  const force = values.force === true;
  checkOutput(out, '--out', force);
  if (values.csv !== undefined) {
    if (resolve(values.csv) === resolve(out))
      throw new AppError('USAGE', '--csv and --out name the same file');
    checkOutput(values.csv, '--csv', force);
  }
  return { trackName, id, out };
}

/** With --simulate: a bot that rides the track to ride into a MumbleLink file, and a line saying so. */
async function startRide(
  values: RecordValues,
  screen: Screen,
): Promise<{ ride: SimulatedRide; sourceNote: string }> {
  const spec = values['track-to-ride'] ?? DEFAULT_TRACK;
  const mapOption =
    values.map === undefined
      ? undefined
      : numberOption(values.map, 'map', 0, { min: 1, max: 0xffffffff, integer: true });
  const toRide = await loadTrack(spec, mapOption !== undefined ? { mapId: mapOption } : {});
  const mapId = toRide.mapId;
  if (mapId === undefined)
    throw new AppError('USAGE', `the track to ride (${spec}) has no map id: give --map ID`);
  const ride = startSimulatedRide({
    track: toRide,
    mapId,
    seed: numberOption(values['sim-seed'], 'sim-seed', 1, {
      min: 0,
      max: 2 ** 32 - 1,
      integer: true,
    }),
    ...(values['sim-speed'] !== undefined
      ? { speed: numberOption(values['sim-speed'], 'sim-speed', 30, { min: 1, max: 200 }) }
      : {}),
    onFinished: () =>
      screen.log(`the simulated ride is over: the bot stopped past the end of ${toRide.name}`),
  });
  const sourceNote = `simulated: a bot rides ${toRide.name} (map ${mapId}) and sets off when you drop the start`;
  return { ride, sourceNote };
}

/** The organizer's MumbleLink: the simulated ride's file, else --mumble-file or --mumble. */
function openReader(values: RecordValues, ride: SimulatedRide | undefined) {
  const ridePath = ride?.path;
  return createMumbleLinkReader(
    ridePath !== undefined
      ? { source: () => createFileSource({ path: ridePath }) }
      : {
          ...(values['mumble-file'] !== undefined ? { path: values['mumble-file'] } : {}),
          ...(values.mumble !== undefined ? { name: values.mumble } : {}),
        },
  );
}

/** Runs a session to its end: keys and signals in, the outcome printed; everything closed after. */
async function runSession(
  session: RecordSession,
  io: TrackIo,
  screen: Screen,
  ride: SimulatedRide | undefined,
): Promise<number> {
  const offSignal = io.onSignal?.(() => void session.interrupt());
  let keys: { close(): void } | undefined;
  try {
    await session.start();
    keys = listenToKeys(
      io.stdin,
      (key, ctrl) => void session.press(key, ctrl),
      () => void session.endOfInput(),
    );
    const outcome = await session.done;
    if (!screen.interactive) io.stdout.write(`\n${session.view()}\n\n`);
    if (outcome.saved) io.stdout.write(`track saved to ${outcome.saved}\n`);
    else io.stdout.write('nothing saved\n');
    return 0;
  } finally {
    keys?.close();
    offSignal?.();
    session.stop();
    ride?.stop();
    screen.close();
  }
}

/** `gw2race-host track record …`. */
export async function trackRecordCommand(args: string[], io: TrackIo): Promise<number> {
  const command = parseCommandLine(args, RECORD_OPTIONS, TRACK_RECORD_USAGE, io.stdout);
  if (!command) return 0;
  const values: RecordValues = command.values;
  const { radius, laps } = checkRecordOptions(values, command.positionals);
  const { trackName, id, out } = planOutput(values, new Date());

  const screen = createScreen(io.stdout as NodeJS.WriteStream, {
    forcePlain: values.plain === true || io.plain === true,
  });
  const simulated = values.simulate ? await startRide(values, screen) : undefined;
  const ride = simulated?.ride;
  const session = createRecordSession({
    reader: openReader(values, ride),
    recorder: {
      radius,
      multiMap: values['multi-map'] === true,
      circuit: values.circuit === true,
      path: values.path === true,
    },
    out,
    csv: values.csv,
    name: trackName,
    id,
    author: values.author?.trim(),
    laps,
    screen,
    live: screen.interactive,
    ...(ride ? { onStart: () => ride.go() } : {}),
    sourceNote: simulated?.sourceNote,
  });
  return runSession(session, io, screen, ride);
}
