import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { AppError, ask, isAppError, numberOption } from '@gw2race/app-shared';
import { parseId, type StartRule, type Track } from '@gw2race/protocol';
import {
  DIRECTOR_DEFAULTS,
  DIRECTOR_OPTION_RANGES,
  type DirectorOption,
} from '@gw2race/race-director';
import { type TrackWarning, validateTrack } from '@gw2race/race-engine';
import { BUNDLED_TRACKS, DEFAULT_TRACK, loadTrack } from './load-track';

/** The race options as given on the command line (strings, as parsed). */
export interface RaceFlags {
  name?: string | undefined;
  race?: string | undefined;
  track?: string | undefined;
  map?: string | undefined;
  laps?: string | undefined;
  'time-trial'?: boolean | undefined;
  'start-delay'?: string | undefined;
  'auto-start'?: string | undefined;
  'time-limit'?: string | undefined;
  'finish-timeout'?: string | undefined;
  'rejoin-grace'?: string | undefined;
  'state-every'?: string | undefined;
  out?: string | undefined;
}

/** A race as the organizer set it up. */
export interface RaceSetup {
  name: string;
  raceId: string;
  track: Track;
  laps: number;
  startRule: StartRule;
  startDelay: number;
  autoStart: number | undefined;
  timeLimit: number | undefined;
  finishTimeout: number | undefined;
  rejoinGrace: number;
  /** Seconds between unchanged republishes of the race state; 0: only on request. */
  stateRepublish: number;
  outDir: string;
  trackWarnings: readonly TrackWarning[];
}

const RACE_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const MAP_RANGE = { min: 0, integer: true };
const DEFAULT_START_DELAY = 60;

/** A server code that is easy to read aloud and type: 6 characters, no 0/o/1/l/i. */
function generateRaceId(): string {
  const bytes = randomBytes(6);
  return [...bytes].map((b) => RACE_ID_ALPHABET[b % RACE_ID_ALPHABET.length]).join('');
}

/** The message of an option's problem, for a question's `validate`. */
function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.message : String(error);
  }
}

/** A rule's flag checked against the director's range (the flag's name in messages). */
function ruleOption(
  value: string | undefined,
  flag: string,
  rule: DirectorOption,
  fallback: number,
): number {
  return numberOption(value, flag, fallback, DIRECTOR_OPTION_RANGES[rule]);
}

/** An optional rule: undefined when the flag is not given. */
function optionalRule(value: string | undefined, flag: string, rule: DirectorOption) {
  return value === undefined ? undefined : ruleOption(value, flag, rule, 0);
}

/** Asks for a rule's number until the answer is in the director's range. */
async function askRule(question: string, fallback: string, flag: string, rule: DirectorOption) {
  const check = (answer: string) => ruleOption(answer, flag, rule, 0);
  return check(await ask(question, { fallback, validate: (text) => problemOf(() => check(text)) }));
}

/** Asks for a track until one loads; a bad file says why and asks again. */
async function askTrack(options: { mapId?: number }): Promise<Track> {
  for (;;) {
    const spec = await ask(
      `Track (a .json or .csv file, or ${Object.keys(BUNDLED_TRACKS).join(' / ')})`,
      { fallback: DEFAULT_TRACK },
    );
    try {
      return await loadTrack(spec, options);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'BAD_FILE') throw error;
      process.stdout.write(`  ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    }
  }
}

/** The map id for a track file that names none: asked, when interactive. */
async function askMapId(track: Track, interactive: boolean): Promise<Track> {
  const noMap =
    track.mapId === undefined && track.checkpoints.every((cp) => cp.mapId === undefined);
  if (!interactive || !noMap) return track;
  const answer = await ask(
    'GW2 map id of the track (the file does not say; empty for none: racers on another map are then not flagged)',
    {
      validate: (text) =>
        text === '' ? undefined : problemOf(() => numberOption(text, 'map', 0, MAP_RANGE)),
    },
  );
  return answer === '' ? track : { ...track, mapId: numberOption(answer, 'map', 0, MAP_RANGE) };
}

/** `--race` checked, or undefined when not given. */
function givenRaceId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const raceId = parseId('race id', text);
  if (!raceId.ok) throw new AppError('USAGE', `--race: ${raceId.error.message}`);
  return raceId.value;
}

/** The server code from a question, or a generated one. */
async function askRaceId(interactive: boolean): Promise<string> {
  if (!interactive) return generateRaceId();
  const text = await ask('Server code (racers type it)', {
    fallback: generateRaceId(),
    validate: (answer) => {
      const id = parseId('race id', answer);
      return id.ok ? undefined : id.error.message;
    },
  });
  return givenRaceId(text) as string;
}

/** Every option given on the command line, checked (no questions yet), and the results folder made. */
async function givenOptions(flags: RaceFlags) {
  const mapId = flags.map === undefined ? undefined : numberOption(flags.map, 'map', 0, MAP_RANGE);
  const mapOption = mapId !== undefined ? { mapId } : {};
  const given = {
    mapOption,
    track: flags.track !== undefined ? await loadTrack(flags.track, mapOption) : undefined,
    raceId: givenRaceId(flags.race),
    laps: flags.laps !== undefined ? ruleOption(flags.laps, 'laps', 'laps', 1) : undefined,
    startDelay:
      flags['start-delay'] !== undefined
        ? ruleOption(flags['start-delay'], 'start-delay', 'startDelay', DEFAULT_START_DELAY)
        : undefined,
    rules: {
      autoStart: optionalRule(flags['auto-start'], 'auto-start', 'autoStart'),
      timeLimit: optionalRule(flags['time-limit'], 'time-limit', 'timeLimit'),
      finishTimeout: optionalRule(flags['finish-timeout'], 'finish-timeout', 'finishTimeout'),
      rejoinGrace: ruleOption(
        flags['rejoin-grace'],
        'rejoin-grace',
        'rejoinGrace',
        DIRECTOR_DEFAULTS.rejoinGrace,
      ),
      stateRepublish: ruleOption(
        flags['state-every'],
        'state-every',
        'stateRepublish',
        DIRECTOR_DEFAULTS.stateRepublish,
      ),
    },
    outDir: flags.out ?? 'results',
  };
  try {
    await mkdir(given.outDir, { recursive: true });
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot create the results folder ${given.outDir}`, { cause });
  }
  return given;
}

/** Every option given on the command line, checked, without asking anything. */
export type GivenOptions = Awaited<ReturnType<typeof givenOptions>>;

/**
 * Checks every race option given on the command line (a missing track file, a bad number, an
 * unwritable results folder fail here, before any question). Call it first, then bind the hub,
 * then {@link setupRace} asks for the rest.
 */
export function checkRaceFlags(flags: RaceFlags): Promise<GivenOptions> {
  return givenOptions(flags);
}

/**
 * The race from the checked options ({@link checkRaceFlags}), with questions for what is missing
 * (when `interactive`); every rule is checked against the director's ranges.
 */
export async function setupRace(
  flags: RaceFlags,
  interactive: boolean,
  checked?: GivenOptions,
): Promise<RaceSetup> {
  const given = checked ?? (await givenOptions(flags));
  const name =
    flags.name ?? (interactive ? await ask('Tournament name', { fallback: 'gw2race' }) : 'gw2race');
  const picked =
    given.track ??
    (interactive
      ? await askTrack(given.mapOption)
      : await loadTrack(DEFAULT_TRACK, given.mapOption));
  const track = await askMapId(picked, interactive);
  const raceId = given.raceId ?? (await askRaceId(interactive));
  const laps =
    given.laps ??
    (interactive
      ? await askRule('Laps', String(track.laps ?? 1), 'laps', 'laps')
      : (track.laps ?? 1));
  const startDelay =
    given.startDelay ??
    (interactive
      ? await askRule(
          'Start delay in seconds',
          String(DEFAULT_START_DELAY),
          'start-delay',
          'startDelay',
        )
      : DEFAULT_START_DELAY);
  return {
    name,
    raceId,
    track,
    laps,
    startRule: flags['time-trial'] ? 'timeTrial' : 'mass',
    startDelay,
    ...given.rules,
    outDir: given.outDir,
    trackWarnings: validateTrack({ ...track, laps }),
  };
}
