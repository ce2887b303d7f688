import type { Track, TrackCheckpoint, Vec3 } from '@gw2race/protocol';
import {
  courseMarks,
  courseOrder,
  referencePath,
  runOut,
  scatteredWaypoints,
  skipCheckpoint,
} from './course';
import { driveAt, integrateDrive, pointAlong } from './drive';
import { cumulativeLengths } from './geometry';
import type { BotMisbehaviour } from './misbehaviour';
import { createRandom } from './random';

/** Options of {@link createBot}. */
export interface BotOptions {
  /** Seed of the bot's randomness. */
  seed: number;
  /** Cruise speed in m/s. Default 30 (a roller beetle at full tilt is 30-35). */
  speed?: number;
  /** ± fraction the speed wanders around the cruise speed. Default 0.08. */
  speedJitter?: number;
  /** Reaction time after the start signal, seconds. Default random 0.2-0.6. */
  reaction?: number;
  /** Laps to drive. Default the track's laps (1). */
  laps?: number;
  /** Misbehave once, about halfway through the course. */
  misbehave?: BotMisbehaviour;
}

/** Where the bot is at an instant. */
export interface BotState {
  position: Vec3;
  /** Unit vector the bot faces (its direction of travel). */
  front: Vec3;
  /** m/s. */
  speed: number;
  /** True once the bot has passed the finish of the last lap. */
  finished: boolean;
}

/** A simulated racer driving a track. */
export interface Bot {
  /** Where the bot is `seconds` after its start signal (negative: waiting on the start). */
  at(seconds: number): BotState;
  /** Seconds from the start signal to the end of its path. */
  readonly duration: number;
  /** Length of its path in metres. */
  readonly length: number;
}

/**
 * Creates a bot that drives a track: it waits on the start, reacts to the signal, accelerates,
 * and cruises with a wandering speed. When the track has a reference line (`referenceLine`, the
 * ideal line an organizer rode), the bot follows it, once per lap; otherwise it aims at a random
 * point inside each checkpoint (never exactly the centre, as a person would). Deterministic for
 * a seed. A misbehaving bot teleports, drives impossibly fast, or skips a checkpoint, once,
 * mid-course. The path and the drive are computed here, once; {@link Bot.at} only looks them up.
 *
 * @example
 * const bot = createBot(track, { seed: 1 });
 * const { position, finished } = bot.at(12.5);
 */
export function createBot(track: Track, options: BotOptions): Bot {
  const random = createRandom(options.seed);
  const reaction = options.reaction ?? 0.2 + random() * 0.4;
  const laps = options.laps ?? track.laps ?? 1;
  const order = courseOrder(track, laps);
  const line = referencePath(track, laps);
  // The middle checkpoint of the course: where a misbehaving bot misbehaves (1-based in `order`).
  const misbehaveLeg = Math.max(1, Math.floor((order.length + 1) / 2));
  let waypoints =
    line ?? scatteredWaypoints(track.checkpoints[0] as TrackCheckpoint, order, random);
  const startCentre = { ...(waypoints[0] as Vec3) };
  waypoints.push(runOut(waypoints));
  if (options.misbehave === 'skip' && order.length > 2)
    waypoints = skipCheckpoint(waypoints, order, misbehaveLeg, line !== undefined);

  const cumulative = cumulativeLengths(waypoints);
  const length = cumulative[cumulative.length - 1] as number;
  // Distance along the path at each checkpoint of the course (`marks[k]` for `order[k]`).
  const marks = line ? courseMarks(waypoints, order) : cumulative.slice(1, order.length + 1);
  const table = integrateDrive(
    {
      length,
      cruise: options.speed ?? 30,
      jitter: options.speedJitter ?? 0.08,
      misbehave: options.misbehave,
      marks,
      misbehaveLeg,
    },
    random,
  );
  const { duration } = table;
  const pointAt = (distance: number) => pointAlong(waypoints, cumulative, distance);

  return {
    duration: duration + reaction,
    length,
    at(seconds) {
      const s = seconds - reaction;
      if (s <= 0) {
        const { front } = pointAt(0.01);
        return { position: { ...startCentre }, front, speed: 0, finished: false };
      }
      if (s >= duration) {
        const { position, front } = pointAt(length);
        return { position, front, speed: 0, finished: true };
      }
      const { distance, speed } = driveAt(table, s);
      const { position, front } = pointAt(distance);
      return { position, front, speed, finished: false };
    },
  };
}
