import type { RacerStatus } from '@gw2race/protocol';
import { checkpointAt, distanceToCheckpoint } from '@gw2race/race-engine';
import type { GameSample } from './game-sample';
import type { RacerView, TournamentStanding } from './racer-view';
import { type SplitDelta, splitDelta } from './split-delta';

/**
 * Where the race is for this racer: `waiting` (no race state yet), `ready` (the race exists, no
 * start yet), `countdown`, `racing`, `paused`, `done` (the host has this racer finished, out or
 * disqualified while others race on), `over` (the race is over for this client).
 */
export type RacePhase = 'waiting' | 'ready' | 'countdown' | 'racing' | 'paused' | 'done' | 'over';

/** What a racer's screen or HUD shows, computed from the core's view at one instant. */
export interface RacerProgress {
  readonly phase: RacePhase;
  /** Before the start: how long to go, ms, and the clock bound on it. */
  readonly countdown: { readonly remainingMs: number; readonly boundMs: number } | undefined;
  /** Race time, s: since the start while racing; a finished racer's own time once the host has it. */
  readonly raceTime: number | undefined;
  /** Speed from the game, m/s (racers only). */
  readonly speed: number | undefined;
  /** Crossings made, of the crossings the race needs (all laps). */
  readonly crossings: number;
  readonly courseLength: number | undefined;
  /**
   * The next crossing the racer must make (racers only, until the course is done): its course
   * index, the track checkpoint's id, and the distance to it from the latest game position, m
   * (undefined without a position, or when the game is on another map).
   */
  readonly next:
    | {
        readonly index: number;
        readonly checkpointId: number;
        readonly distance: number | undefined;
      }
    | undefined;
  /** The lap being raced (from 1; the last one once the course is done) of the laps of the race. */
  readonly lap: { readonly lap: number; readonly of: number } | undefined;
  /** The racer's line in the host's ranking: position of how many, status, total time. */
  readonly place:
    | {
        readonly position: number;
        readonly of: number;
        readonly status: RacerStatus;
        readonly time: number | undefined;
        readonly final: boolean;
      }
    | undefined;
  /** The last credited split against the racer's best and the fastest other racer. */
  readonly split: SplitDelta | undefined;
  /** Why the race is over for this client, once it is. */
  readonly ended: string | undefined;
  /** A tournament: this race's number of how many, the standing after it, where it goes next. */
  readonly tournament:
    | {
        readonly race: number;
        readonly races: number;
        readonly standing: TournamentStanding | undefined;
        readonly nextRace: RacerView['nextRace'];
      }
    | undefined;
}

/** Inputs of {@link racerProgress} beside the view. */
export interface RacerProgressOptions {
  readonly playerId: string;
  /** Race times at each crossing of the racer's best run on this course, if kept. */
  readonly best?: readonly number[] | undefined;
  /** The monotonic instant (ms, the core's clock) to read the race clock at. */
  readonly atMs: number;
}

/**
 * What a racer's screen shows, from the core's view at instant `atMs`: phase, countdown, race
 * time, speed, the next checkpoint and the distance to it, lap, position, the last split's
 * deltas, the tournament standing. Pure (the race clock is read at the given instant), so a
 * terminal, a HUD page and a test all see the same thing.
 *
 * @example
 * const progress = racerProgress(core.view, { playerId: 'ann', atMs: performance.now() });
 * if (progress.next?.distance !== undefined) show(`${progress.next.distance.toFixed(0)} m`);
 */
export function racerProgress<S extends GameSample>(
  view: RacerView<S>,
  options: RacerProgressOptions,
): RacerProgress {
  const { playerId, atMs } = options;
  const mine = view.ranking?.entries.find((entry) => entry.playerId === playerId);
  const countdown = view.clock?.countdown(atMs);
  const counting = countdown !== undefined && !countdown.started;
  const tournament = view.state?.tournament;
  return {
    phase: phaseOf(view, mine?.status, counting),
    countdown: counting
      ? { remainingMs: countdown.remainingMs, boundMs: countdown.boundMs }
      : undefined,
    raceTime:
      mine?.time ??
      (view.clock && !counting && !view.ended
        ? view.clock.raceTime(atMs).raceMs / 1000
        : undefined),
    speed: view.latest && view.game !== 'spectating' ? view.latest.speed : undefined,
    crossings: view.crossings,
    courseLength: view.courseLength,
    next: view.game === 'spectating' ? undefined : nextCrossing(view),
    lap: lapOf(view),
    place: mine && {
      position: mine.position,
      of: view.ranking?.entries.length ?? 1,
      status: mine.status,
      time: mine.time,
      final: view.ranking?.final ?? false,
    },
    split: splitDelta(view.ranking, playerId, options.best),
    ended: view.ended,
    tournament: tournament && {
      race: tournament.race,
      races: tournament.races,
      standing: view.standing,
      nextRace: view.nextRace,
    },
  };
}

function phaseOf<S extends GameSample>(
  view: RacerView<S>,
  status: RacerStatus | undefined,
  counting: boolean,
): RacePhase {
  if (!view.state) return 'waiting';
  if (view.ended) return 'over';
  if (status === 'finished' || status === 'dnf' || status === 'dsq') return 'done';
  if (view.paused) return 'paused';
  if (!view.clock) return 'ready';
  return counting ? 'countdown' : 'racing';
}

function nextCrossing<S extends GameSample>(view: RacerView<S>): RacerProgress['next'] {
  const { course, crossings, latest } = view;
  if (!course || crossings >= course.length) return undefined;
  const checkpoint = checkpointAt(course, crossings);
  const mapId = latest?.frame.context?.mapId;
  const elsewhere =
    mapId !== undefined && checkpoint.mapId !== undefined && mapId !== checkpoint.mapId;
  return {
    index: crossings,
    checkpointId: checkpoint.id,
    distance:
      latest && !elsewhere
        ? distanceToCheckpoint(checkpoint, latest.frame.avatar.position)
        : undefined,
  };
}

function lapOf<S extends GameSample>(view: RacerView<S>): RacerProgress['lap'] {
  const { course, crossings } = view;
  if (!course) return undefined;
  return {
    lap: Math.min(course.laps, Math.floor(crossings / course.lap.length) + 1),
    of: course.laps,
  };
}
