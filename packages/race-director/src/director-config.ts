import type { StartRule, StateMessage, Track } from '@gw2race/protocol';
import type { ReplayHeader } from '@gw2race/replay-format';
import { RaceDirectorError } from './errors';

/** How the recording stores time: the header fields the director needs to record in judged order. */
export type RecordingLayout = Pick<ReplayHeader, 'quantization' | 'origin'>;

/** What a race is and the rules it is run by. Plain data: it is the director's whole setup. */
export interface DirectorConfig {
  readonly raceId: string;
  readonly track: Track;
  /** Tournament name. */
  readonly name: string;
  readonly laps: number;
  readonly startRule: StartRule;
  /** Seconds between START and t0 (and between RESUME and t0 when a pause held the countdown). */
  readonly startDelay: number;
  /** Start once this many racers are ready. */
  readonly autoStart?: number | undefined;
  /** End the race this many seconds after t0. */
  readonly timeLimit?: number | undefined;
  /** End this many seconds after the first finisher. */
  readonly finishTimeout?: number | undefined;
  /**
   * A racer whose connection dropped (no goodbye) still counts as racing for this many seconds,
   * so the race does not end while the last racer reconnects. Default {@link DIRECTOR_DEFAULTS}.
   */
  readonly rejoinGrace?: number | undefined;
  /**
   * Seconds between republishes of the race state while nothing changes (it also goes out on
   * every change), so a racer on a broker node or tier without the retained state still finds
   * the race. 0: none, the state goes out again only on request (a `request` message, a client
   * that joins or comes back). Default {@link DIRECTOR_DEFAULTS}.
   */
  readonly stateRepublish?: number | undefined;
  /**
   * Players (racers and spectators) the race takes at most; a message from one more is refused,
   * neither recorded nor judged, so a flood of made-up ids cannot grow the state and the ranking
   * past what every client accepts. Default {@link DIRECTOR_DEFAULTS}.
   */
  readonly maxPlayers?: number | undefined;
  /** The recording's time grid (`writer.header`); judged entries are placed on it. */
  readonly recording: RecordingLayout;
  /**
   * The race is one of a tournament (the state says so, so clients stay after it ends for the
   * standings and the next race).
   */
  readonly tournament?: StateMessage['tournament'];
  /**
   * The host process directing the race (a random id each start, and when it started): sent
   * in every state, so a second host for the race on the hub sees another id and stands down.
   */
  readonly host?: { readonly id: string; readonly since: number } | undefined;
}

/** The director's fixed figures. Seconds unless the name says otherwise. */
export const DIRECTOR_DEFAULTS = {
  /** Default {@link DirectorConfig.rejoinGrace}. */
  rejoinGrace: 30,
  /** A client silent this long is shown as gone (presence comes every second). */
  silentAfter: 5,
  /** Default {@link DirectorConfig.stateRepublish}. */
  stateRepublish: 5,
  /** Default {@link DirectorConfig.maxPlayers}: the most participants and ranking entries a message may hold. */
  maxPlayers: 1000,
  /**
   * In a full race, a racer that joined this long ago, never said it was ready and never sent a
   * position or a report gives its place to a newcomer (the oldest first): a flood of made-up
   * joins cannot keep real racers out.
   */
  joinExpiry: 30,
  /**
   * The most player ids a race hears of in all (this many times `maxPlayers`, racers, spectators
   * and expired joins together): past it, new ids are refused, so memory stays bounded.
   */
  knownIdsFactor: 10,
  /**
   * A change of the state before the start (a racer joins) is published at most this often;
   * changes that come sooner go out together, so a flood of joins makes one state a second, not
   * one per join.
   */
  stateEvery: 1,
  /**
   * Requests for the state (a `request` message, a join, a comeback) are answered at most this
   * often; those that come sooner are answered together when it is due, so a flood of requests
   * makes at most one state and one ranking a second.
   */
  answerEvery: 1,
  /** The director asks to be woken this often. */
  tickInterval: 0.25,
  /** The ranking is published at least this often, even when nothing changed. */
  rankingSteady: 1,
  /** At most this many ranking publishes per second when things change fast. */
  rankingMaxHz: 5,
  /** With nothing recorded for this long, the recording's buffer is written out. */
  idleFlush: 1,
} as const;

/** A range a numeric option must be in. */
export interface OptionRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** What each numeric rule of a race accepts; a CLI or form checks its input against these. */
export const DIRECTOR_OPTION_RANGES = {
  laps: { min: 1, max: 1000, integer: true },
  startDelay: { min: 0, max: 86_400 },
  autoStart: { min: 1, integer: true },
  timeLimit: { min: 1 },
  finishTimeout: { min: 0 },
  rejoinGrace: { min: 0, max: 86_400 },
  stateRepublish: { min: 0, max: 3600 },
  maxPlayers: { min: 1, max: 1000, integer: true },
} as const satisfies Record<string, OptionRange>;

/** The name of a numeric rule in {@link DIRECTOR_OPTION_RANGES}. */
export type DirectorOption = keyof typeof DIRECTOR_OPTION_RANGES;

/** Why `value` is out of `range`, or undefined when it is in it. */
export function rangeProblem(value: number, range: OptionRange): string | undefined {
  if (!Number.isFinite(value)) return 'must be a number';
  if (range.integer === true && !Number.isInteger(value)) return 'must be a whole number';
  if (range.min !== undefined && value < range.min) return `must be at least ${range.min}`;
  if (range.max !== undefined && value > range.max) return `must be at most ${range.max}`;
  return undefined;
}

/** Throws a {@link RaceDirectorError} (`INVALID_CONFIG`) naming the first rule out of range. */
export function checkDirectorConfig(config: DirectorConfig): void {
  for (const key of Object.keys(DIRECTOR_OPTION_RANGES) as DirectorOption[]) {
    const value = config[key];
    if (value === undefined) continue;
    const problem = rangeProblem(value, DIRECTOR_OPTION_RANGES[key]);
    if (problem !== undefined)
      throw new RaceDirectorError('INVALID_CONFIG', `${key} ${problem}, got ${value}`);
  }
}
