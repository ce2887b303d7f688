import type { RaceStage, RankingEntry, RankingMessage } from '@gw2race/protocol';
import { RaceEngineError } from './errors';
import {
  finishTime,
  lastRaceTime,
  type RacerState,
  type RaceState,
  racerAt,
  racerStatus,
} from './race-state';

/** Options of {@link rankingEntries}. */
export interface RankingOptions {
  /** Include each racer's split times (default true; large for long races with many racers). */
  splits?: boolean;
}

/**
 * The ranking as protocol {@link RankingEntry} lines, best first. Gaps compare race times at the
 * last checkpoint both racers reached (so they work for time trials too), and are never negative:
 * a racer who was faster to that point than the one ranked ahead of them shows a gap of 0.
 * DNF and DSQ rows have no gaps (null): those racers are out of the race.
 */
export function rankingEntries(state: RaceState, options: RankingOptions = {}): RankingEntry[] {
  const includeSplits = options.splits ?? true;
  const course = state.config.course;
  const racers = state.order.map((i) => racerAt(state, i));
  const leader = racers[0];
  return racers.map((racer, position) => {
    const status = racerStatus(state, racer);
    const { crossings, next, startAt } = racer.course;
    const last = crossings[crossings.length - 1];
    const time = finishTime(racer);
    const ahead = racers[position - 1];
    // A retired or disqualified racer is out of the race: no gap to anyone.
    const out = status === 'dsq' || status === 'dnf';
    const entry: RankingEntry = {
      playerId: racer.playerId,
      ...(racer.name === undefined ? {} : { name: racer.name }),
      position: position + 1,
      status,
      lap: Math.min(course.laps, Math.floor(next / course.lap.length)),
      checkpoints: next,
      ...(last === undefined || startAt === null
        ? {}
        : { lastCp: last.cp, lastAt: last.t - startAt }),
      ...(time === undefined ? {} : { time }),
      gapToLeader: out || leader === undefined ? null : gap(racer, leader),
      gapToAhead: out || ahead === undefined ? null : gap(racer, ahead),
      ...(includeSplits && startAt !== null && crossings.length > 0
        ? { splits: crossings.map((c) => c.t - startAt) }
        : {}),
      uncertainty: racerUncertainty(state, racer),
      flags: racer.flags.length,
    };
    return entry;
  });
}

/** Options of {@link toRankingMessage}. */
export interface RankingMessageOptions extends RankingOptions {
  /** Race id (default: the engine's, from options or the `state` message). */
  raceId?: string;
  /** Organizer clock of the ranking (default: the engine's latest input time). */
  t?: number;
  /** Mark as final (default: true once the race has ended). */
  final?: boolean;
}

/**
 * The `ranking` message for the current state, ready to publish. Throws a
 * {@link RaceEngineError} (`INVALID_OPTIONS`) when no race id is known.
 *
 * @example
 * publish('ranking', toRankingMessage(state, { splits: false }));
 */
export function toRankingMessage(
  state: RaceState,
  options: RankingMessageOptions = {},
): RankingMessage {
  const raceId = options.raceId ?? state.raceId;
  if (raceId === undefined) {
    throw new RaceEngineError('INVALID_OPTIONS', 'no race id: pass raceId to toRankingMessage');
  }
  return {
    raceId,
    t: options.t ?? state.now,
    stage: stageOf(state),
    final: options.final ?? state.phase === 'ended',
    entries: rankingEntries(state, options).slice(0, 1000),
  };
}

/** The protocol stage of the race: `pre`, `active` or `post`. */
export function stageOf(state: RaceState): RaceStage {
  switch (state.phase) {
    case 'pre':
      return 'pre';
    case 'running':
    case 'paused':
      return 'active';
    default:
      return 'post';
  }
}

/**
 * ± seconds on a racer's times: interpolation of their crossings plus, for a mass start, the
 * bound on their timestamps (the clock offset bound from their pings, or the `u` their position
 * messages state, whichever is larger); in a time trial the offset cancels between start and
 * finish, so the start's interpolation counts instead.
 */
export function racerUncertainty(state: RaceState, racer: RacerState): number {
  let interpolation = 0;
  for (const c of racer.course.crossings) {
    if (c.uncertainty > interpolation) interpolation = c.uncertainty;
  }
  const course = state.config.course;
  return course.startRule === 'mass'
    ? interpolation + Math.max(racer.clockBound, racer.timeBound)
    : interpolation + course.interpolationUncertainty;
}

/** How far `racer` is behind `reference`, in race seconds, or null when not comparable. */
function gap(racer: RacerState, reference: RacerState): number | null {
  if (racer === reference) return 0;
  const own = finishTime(racer);
  const theirs = finishTime(reference);
  if (own !== undefined && theirs !== undefined) return Math.max(0, own - theirs);
  const k = racer.course.next;
  if (k === 0 || reference.course.next < k) return null;
  const mine = lastRaceTime(racer);
  const at = reference.course.crossings[k - 1];
  const start = reference.course.startAt;
  if (mine === undefined || at === undefined || start === null) return null;
  return Math.max(0, mine - (at.t - start));
}
