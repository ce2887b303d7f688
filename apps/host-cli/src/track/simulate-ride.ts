import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, createBot } from '@gw2race/app-shared';
import { createFileWriter, createFrame, type MumbleLinkWriter } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';

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
 * Plays the game for `track record --simulate`: a bot rides a track and writes MumbleLink blocks
 * into a file exactly as the game does (the tick every 20 ms, the avatar position every 40 ms),
 * so the recorder reads the organizer's position through the real file source, as on Linux. The
 * bot waits on the start until {@link SimulatedRide.go}: the recorder calls it when the start is
 * dropped, as an organizer sets off once the start is marked.
 */
export function startSimulatedRide(options: SimulatedRideOptions): SimulatedRide {
  const path =
    options.path ??
    join(
      tmpdir(),
      `gw2race-track-sim-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mumblelink`,
    );
  const writer: MumbleLinkWriter = createFileWriter({ path, removeOnClose: true });
  const bot = createBot(options.track, {
    seed: options.seed,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
  });
  const name = options.name ?? 'Simulated Organizer';
  let startedAt: number | undefined;
  let finished = false;
  let tick = 0;
  let state = bot.at(-1);
  const write = () => {
    tick++;
    if (tick % 2 === 1) {
      state = bot.at(startedAt === undefined ? -1 : (performance.now() - startedAt) / 1000);
      if (state.finished && !finished) {
        finished = true;
        options.onFinished?.();
      }
    }
    writer.write(
      createFrame({
        tick,
        avatar: { position: state.position, front: state.front },
        camera: {
          position: {
            x: state.position.x - state.front.x * 6,
            y: state.position.y + 2.5,
            z: state.position.z - state.front.z * 6,
          },
          front: state.front,
        },
        identity: { name, profession: 4, race: 2, mapId: options.mapId },
        context: { mapId: options.mapId, mount: 'roller-beetle', processId: process.pid },
      }),
    );
  };
  write();
  const timer = setInterval(write, 20);
  return {
    path,
    bot,
    get riding() {
      return startedAt !== undefined;
    },
    go() {
      startedAt ??= performance.now();
    },
    stop() {
      clearInterval(timer);
      writer.close();
    },
  };
}
