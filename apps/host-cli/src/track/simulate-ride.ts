import type { Track } from '@gw2race/protocol';
import type { Bot } from '@gw2race/simulator';
import { startMumbleBot } from '@gw2race/simulator/node';

/** Options of {@link startSimulatedRide}. */
export interface SimulatedRideOptions {
  /** The track the bot rides (its reference line when it has one). */
  readonly track: Track;
  /** The map id written into MumbleLink. */
  readonly mapId: number;
  readonly seed: number;
  /** Cruise speed, m/s (default the bot's, 30). */
  readonly speed?: number;
  /** The character name written into the identity. */
  readonly name?: string;
  /** The MumbleLink file to write (default a fresh file in the temporary folder). */
  readonly path?: string;
  /** Called once when the bot has ridden past the end of the course. */
  readonly onFinished?: () => void;
}

/** A bot riding a track into a MumbleLink file, as the game would write it. */
export interface SimulatedRide {
  /** The MumbleLink file; read it with the real reader. */
  readonly path: string;
  readonly bot: Bot;
  /** Starts the ride (the bot waits on the start until then). Idempotent. */
  go(): void;
  /** True once the ride started. */
  readonly riding: boolean;
  stop(): void;
}

/**
 * Plays the game for `track record --simulate`: a bot rides a track into a MumbleLink file (see
 * `startMumbleBot`), so the recorder reads the organizer's position through the real file source.
 * The bot waits on the start until {@link SimulatedRide.go}: the recorder calls it when the start
 * is dropped, as an organizer sets off once the start is marked.
 */
export function startSimulatedRide(options: SimulatedRideOptions): SimulatedRide {
  let startedAt: number | undefined;
  const ride = startMumbleBot({
    track: options.track,
    mapId: options.mapId,
    seed: options.seed,
    name: options.name ?? 'Simulated Organizer',
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.onFinished !== undefined ? { onFinished: options.onFinished } : {}),
    seconds: () => (startedAt === undefined ? undefined : (performance.now() - startedAt) / 1000),
  });
  return {
    path: ride.path,
    bot: ride.bot,
    get riding() {
      return startedAt !== undefined;
    },
    go() {
      startedAt ??= performance.now();
    },
    stop: ride.stop,
  };
}
