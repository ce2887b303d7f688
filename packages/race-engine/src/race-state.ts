import type {
  FlagMessage,
  Participant,
  RacerStatus,
  ReceivedMessage,
  Track,
} from '@gw2race/protocol';
import { type CourseState, createCourseState, type Sample } from './advance-course';
import { nonNegative, positive } from './check-option';
import { type CourseDefinition, type CourseOptions, compileCourse } from './course';
import { RaceEngineError } from './errors';
import type { FlagMark } from './flag-mark';
import { type RacerTable, tableGet, tableOf, tableToArray } from './racer-table';
import type { SpeedLimits } from './speed-limits';

/** Options of the race engine ({@link createRaceState}, `adjudicate`). All times in seconds. */
export interface EngineOptions extends CourseOptions {
  /** Race id, for flags and rankings (else taken from the first `state` message). */
  raceId?: string;
  /** The start instant, if already decided (else from `START`). */
  t0?: number;
  /** Racers expected (else from `state` messages and whoever shows up). */
  participants?: readonly Participant[];
  /** Horizontal speed limits per mount (m/s), over {@link DEFAULT_SPEED_LIMITS}. */
  speedLimits?: SpeedLimits;
  /** Speed is measured over at least this long, so timestamp jitter does not inflate it (0.5). */
  speedWindow?: number;
  /** A jump longer than this (m) that no speed up to `teleportSpeed` explains is a teleport (30). */
  teleportDistance?: number;
  /** m/s beyond which a jump is a teleport rather than speeding (150). */
  teleportSpeed?: number;
  /** A sample stamped more than this after it was received is flagged `time-mismatch` (1). */
  futureTolerance?: number;
  /**
   * How late a position may reach the host beyond the racer's clock bound, s (1). Positions whose
   * receive time minus stamp stays above clock bound + `u` + this for a whole window (5-10 s of
   * samples: the window's smallest lag is what counts, so a brief network stall is forgiven) are
   * flagged `time-mismatch`: the racer's clock, or their stamps, run behind.
   */
  latencyAllowance?: number;
  /**
   * The most a racer's own declared uncertainty (a ping's `boundMs`, a position's `u`, a
   * checkpoint report's `uncertainty`) widens the host's tolerances, s (0.5). A racer declaring
   * more is flagged `time-mismatch` (warning) and judged as if they had declared this: otherwise a
   * client could excuse stamps that run behind by claiming a poor clock.
   */
  maxDeclaredUncertainty?: number;
  /** Mass start: the last seconds before t0 in which a racer must hold still (3). */
  falseStartWindow?: number;
  /** Mass start: moving more than this (m, horizontally) in `falseStartWindow` is a false start (5). */
  falseStartDistance?: number;
  /** A reported checkpoint is judged once the racer's stream is this far past it (2). */
  reportGrace?: number;
  /** ...or once the host clock is this far past it, stream or not (10). */
  reportTimeout?: number;
  /** ± assumed for a report that states no `uncertainty` (0.15: one 10 Hz sample, and some). */
  defaultReportUncertainty?: number;
  /** At most one flag of a kind per racer per this many seconds of stream time (5). */
  flagCooldown?: number;
  /** A repeated `seq` within this many of the highest is a duplicate, older a replay (64). */
  duplicateWindow?: number;
}

/** {@link EngineOptions} with every default filled in, plus the compiled course. */
export interface EngineConfig {
  readonly track: Track;
  readonly course: CourseDefinition;
  /** The course options as given (to recompile when a `state` message sets laps or rules). */
  readonly courseOptions: CourseOptions;
  readonly speedLimits: SpeedLimits;
  readonly speedWindow: number;
  readonly teleportDistance: number;
  readonly teleportSpeed: number;
  readonly futureTolerance: number;
  readonly latencyAllowance: number;
  readonly maxDeclaredUncertainty: number;
  readonly falseStartWindow: number;
  readonly falseStartDistance: number;
  readonly reportGrace: number;
  readonly reportTimeout: number;
  readonly defaultReportUncertainty: number;
  readonly flagCooldown: number;
  readonly duplicateWindow: number;
}

/**
 * Where the race is: `pre` (no start time yet), `running` (START received; the course opens at
 * t0), `paused` (PAUSE during the race: judging continues), `ended` (END: results are final),
 * `aborted` (ABORT: no results).
 */
export type RacePhase = 'pre' | 'running' | 'paused' | 'ended' | 'aborted';

/** An organizer's decision about a racer; record it like any message so re-judging sees it. */
export interface RulingInput {
  readonly kind: 'ruling';
  /** Host clock when decided (epoch s). */
  readonly at: number;
  readonly playerId: string;
  /** `dsq` disqualifies, `dnf` retires, `reinstate` undoes either. */
  readonly action: 'dsq' | 'dnf' | 'reinstate';
  readonly reason?: string;
}

/** What the engine consumes: a received protocol message, or an organizer's ruling. */
export type EngineInput = ReceivedMessage | RulingInput;

/** A client-reported checkpoint waiting to be compared with the stream. */
export interface PendingReport {
  /** Course index the report claims. */
  readonly index: number;
  readonly cp: number;
  readonly lap: number;
  /** Reported crossing instant (organizer-clock epoch s). */
  readonly ts: number;
  /** The report's stated ± (or the default). */
  readonly uncertainty: number;
  /** Host clock when received. */
  readonly at: number;
}

/** A racer's recent samples, newest first: a persistent list (sharing its tail between states). */
export interface SampleHistory {
  readonly sample: Sample;
  readonly older: SampleHistory | null;
  /** Samples in the list from this one down. */
  readonly length: number;
}

/** One racer, as the engine knows them. Immutable. */
export interface RacerState {
  readonly playerId: string;
  readonly name: string | undefined;
  /** Presence said spectator and no position or checkpoint came: not ranked. */
  readonly spectator: boolean;
  /** False after a presence `leave`/`disconnected` until the racer is heard from again. */
  readonly connected: boolean;
  /** The organizer's ruling, if any. */
  readonly ruling: 'dsq' | 'dnf' | null;
  readonly rulingReason: string | undefined;
  /** Progress on the course, judged from the position stream. */
  readonly course: CourseState;
  /** Start of the current speed-measuring window. */
  readonly anchor: Sample | null;
  /** The racer's latest samples, newest first (64 to 128 of them): evidence for flags. */
  readonly history: SampleHistory | null;
  /** Mass start: the first sample of the last `falseStartWindow` seconds before t0. */
  readonly holdFrom: Sample | null;
  /** Smallest receive-minus-stamp lag (s) of the samples of the current lag window. */
  readonly lagMin: number;
  /** ...and of the window before it (Infinity if none). */
  readonly lagPrevMin: number;
  /** Stamp time (s) the current lag window began (-Infinity before any sample). */
  readonly lagWindowAt: number;
  /** Highest `seq` of a position message, or -1. */
  readonly posSeq: number;
  /** Every `seq` of a checkpoint message seen (they are few). */
  readonly checkpointSeqs: readonly number[];
  /** Reports not yet judged. */
  readonly reports: readonly PendingReport[];
  /** Course indices reported so far (to recognise re-sends). */
  readonly reported: readonly number[];
  /** Highest course index reported, or -1. */
  readonly lastReported: number;
  /** Flags raised, in order. */
  readonly flags: readonly FlagMessage[];
  /** The last flag of each source and kind (`position:speed`, `report:order`...), for the cooldown. */
  readonly flagAt: Readonly<Record<string, FlagMark>>;
  /** Flags not raised because of the cooldown. */
  readonly suppressed: number;
  /** ± seconds of the racer's clock offset, from their last `ping` (0 when unknown). */
  readonly clockBound: number;
  /** Largest ± a position message stated for its own time (`u`) while racing. */
  readonly timeBound: number;
  /** Position messages taken into account. */
  readonly samples: number;
  /** Position messages ignored (stale, duplicate, after the finish, before t0 was known...). */
  readonly ignored: number;
}

/** The whole race. Immutable: `step` returns a new one and never changes the old. */
export interface RaceState {
  readonly config: EngineConfig;
  readonly phase: RacePhase;
  readonly raceId: string | undefined;
  /** Start instant (organizer-clock epoch s), or null before START. */
  readonly t0: number | null;
  /** Latest host clock seen (`at` of the inputs), epoch s; 0 before any input. */
  readonly now: number;
  /** Host clock of END or ABORT. */
  readonly endedAt: number | null;
  readonly endReason: string | undefined;
  /** Racer index by player id. */
  readonly index: ReadonlyMap<string, number>;
  /**
   * Racers in order of first appearance, in a persistent table (read with {@link racerAt},
   * {@link findRacer} or {@link listRacers}).
   */
  readonly racers: RacerTable<RacerState>;
  /** Ranked racers (indices into `racers`), best first; spectators are left out. */
  readonly order: readonly number[];
  /** Earliest host time at which a pending report times out (Infinity if none). */
  readonly deadline: number;
  /** Inputs processed. */
  readonly inputs: number;
}

/**
 * Creates the state of a race before any message. Throws a {@link RaceEngineError} for an
 * invalid track or options.
 *
 * @example
 * let state = createRaceState(track, { raceId: 'abc123', laps: 2 });
 * [state, events] = step(state, received);
 */
export function createRaceState(track: Track, options: EngineOptions = {}): RaceState {
  const courseOptions: CourseOptions = {};
  for (const key of COURSE_KEYS) {
    const value = options[key];
    if (value !== undefined) (courseOptions as Record<string, unknown>)[key] = value;
  }
  const config: EngineConfig = {
    track,
    course: compileCourse(track, courseOptions),
    courseOptions,
    speedLimits: options.speedLimits ?? {},
    speedWindow: positive('speedWindow', options.speedWindow ?? 0.5),
    teleportDistance: positive('teleportDistance', options.teleportDistance ?? 30),
    teleportSpeed: positive('teleportSpeed', options.teleportSpeed ?? 150),
    futureTolerance: positive('futureTolerance', options.futureTolerance ?? 1),
    latencyAllowance: nonNegative('latencyAllowance', options.latencyAllowance ?? 1),
    maxDeclaredUncertainty: nonNegative(
      'maxDeclaredUncertainty',
      options.maxDeclaredUncertainty ?? 0.5,
    ),
    falseStartWindow: positive('falseStartWindow', options.falseStartWindow ?? 3),
    falseStartDistance: positive('falseStartDistance', options.falseStartDistance ?? 5),
    reportGrace: positive('reportGrace', options.reportGrace ?? 2),
    reportTimeout: positive('reportTimeout', options.reportTimeout ?? 10),
    defaultReportUncertainty: positive(
      'defaultReportUncertainty',
      options.defaultReportUncertainty ?? 0.15,
    ),
    flagCooldown: nonNegative('flagCooldown', options.flagCooldown ?? 5),
    duplicateWindow: positive('duplicateWindow', options.duplicateWindow ?? 64),
  };
  for (const [mount, limit] of Object.entries(config.speedLimits)) {
    if (limit !== undefined) positive(`speedLimits[${mount}]`, limit);
  }
  const racers: RacerState[] = [];
  const index = new Map<string, number>();
  for (const participant of options.participants ?? []) {
    if (index.has(participant.playerId)) continue;
    index.set(participant.playerId, racers.length);
    racers.push(createRacer(participant.playerId, participant.name));
  }
  const state: RaceState = {
    config,
    phase: options.t0 === undefined ? 'pre' : 'running',
    raceId: options.raceId,
    t0: options.t0 ?? null,
    now: 0,
    endedAt: null,
    endReason: undefined,
    index,
    racers: tableOf(racers),
    order: [],
    deadline: Number.POSITIVE_INFINITY,
    inputs: 0,
  };
  return { ...state, order: sortedOrder(state) };
}

const COURSE_KEYS = [
  'laps',
  'startRule',
  'circuit',
  'gapSeconds',
  'gapLookahead',
  'gapMaxSpeed',
  'interpolationUncertainty',
  'interpolation',
  'maxCurveAcceleration',
] as const satisfies readonly (keyof CourseOptions)[];

/** A racer nobody has heard from yet. */
export function createRacer(playerId: string, name?: string): RacerState {
  return {
    playerId,
    name,
    spectator: false,
    connected: true,
    ruling: null,
    rulingReason: undefined,
    course: createCourseState(),
    anchor: null,
    history: null,
    holdFrom: null,
    lagMin: Number.POSITIVE_INFINITY,
    lagPrevMin: Number.POSITIVE_INFINITY,
    lagWindowAt: Number.NEGATIVE_INFINITY,
    posSeq: -1,
    checkpointSeqs: [],
    reports: [],
    reported: [],
    lastReported: -1,
    flags: [],
    flagAt: {},
    suppressed: 0,
    clockBound: 0,
    timeBound: 0,
    samples: 0,
    ignored: 0,
  };
}

/**
 * A racer's status for the ranking: `dsq` and `dnf` rulings first, then `finished`; after END
 * everyone else is `dnf`; a racer whose clock runs is `racing`, or `disconnected` when their
 * client dropped; otherwise `waiting` (or `disconnected`).
 */
export function racerStatus(state: Pick<RaceState, 'phase'>, racer: RacerState): RacerStatus {
  if (racer.ruling === 'dsq') return 'dsq';
  if (racer.course.finishAt !== null) return 'finished';
  if (racer.ruling === 'dnf' || state.phase === 'ended') return 'dnf';
  if (!racer.connected) return 'disconnected';
  return racer.course.startAt !== null ? 'racing' : 'waiting';
}

/** The racer's race time (s since their start) at their last crossing, or undefined. */
export function lastRaceTime(racer: RacerState): number | undefined {
  const last = racer.course.crossings[racer.course.crossings.length - 1];
  const startAt = racer.course.startAt;
  return last === undefined || startAt === null ? undefined : last.t - startAt;
}

/** The racer's total time, once finished. */
export function finishTime(racer: RacerState): number | undefined {
  const { finishAt, startAt } = racer.course;
  return finishAt === null || startAt === null ? undefined : finishAt - startAt;
}

/**
 * The ranking order of two racers: finished racers by total time; then everyone still on the
 * course (or DNF at END) by crossings made, then by the race time they made their last one; then
 * racers the organizer retired (a `dnf` ruling), in the same way; DSQ last; ties by player id so
 * the order never depends on message order.
 */
export function compareRacers(a: RacerState, b: RacerState): number {
  const ga = group(a);
  const gb = group(b);
  if (ga !== gb) return ga - gb;
  if (ga === 0) {
    const diff = (finishTime(a) ?? 0) - (finishTime(b) ?? 0);
    if (diff !== 0) return diff;
  } else {
    if (a.course.next !== b.course.next) return b.course.next - a.course.next;
    const ta = lastRaceTime(a) ?? Number.POSITIVE_INFINITY;
    const tb = lastRaceTime(b) ?? Number.POSITIVE_INFINITY;
    if (ta !== tb) return ta < tb ? -1 : 1;
  }
  return a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0;
}

function group(racer: RacerState): number {
  if (racer.ruling === 'dsq') return 3;
  if (racer.course.finishAt !== null) return 0;
  return racer.ruling === 'dnf' ? 2 : 1;
}

/** Every ranked racer's index, sorted from scratch (used at creation and by tests). */
export function sortedOrder(state: Pick<RaceState, 'racers'>): number[] {
  const order: number[] = [];
  listRacers(state).forEach((racer, i) => {
    if (!racer.spectator) order.push(i);
  });
  return order.sort((a, b) => compareRacers(racerAt(state, a), racerAt(state, b)));
}

/** The racer at index `i` of `state.racers` (as in `state.order`). */
export function racerAt(state: Pick<RaceState, 'racers'>, i: number): RacerState {
  const racer = tableGet(state.racers, i);
  if (racer === undefined) throw new RaceEngineError('INVALID_OPTIONS', `no racer at index ${i}`);
  return racer;
}

/** The racer with this player id, if the engine has heard of them. */
export function findRacer(state: RaceState, playerId: string): RacerState | undefined {
  const i = state.index.get(playerId);
  return i === undefined ? undefined : tableGet(state.racers, i);
}

/** Every racer (spectators included), in order of first appearance. */
export function listRacers(state: Pick<RaceState, 'racers'>): RacerState[] {
  return tableToArray(state.racers);
}
