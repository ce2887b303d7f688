import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, type BotMisbehaviour, createBot } from '@gw2race/app-shared';
import { createFileWriter, createFrame, type MumbleLinkWriter } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';

/** Options of {@link startSimulation}. */
export interface SimulationOptions {
  track: Track;
  /** Display name written into the identity, as the game would. */
  name: string;
  seed: number;
  speed?: number;
  misbehave?: BotMisbehaviour;
  /** Seconds since the race start on the organizer clock, or `undefined` before START. */
  raceSeconds: () => number | undefined;
}

/** A running simulation: a bot driving the track into a MumbleLink file. */
export interface Simulation {
  /** The MumbleLink file the bot writes and the racer reads. */
  readonly path: string;
  readonly bot: Bot;
  stop(): void;
}

/**
 * Plays the game for `--simulate`: a bot drives the track and writes MumbleLink blocks into a
 * file exactly as the game does (the tick every 20 ms, the avatar position every 40 ms), so the
 * racer reads its telemetry through the real file source, as on Linux.
 */
export function startSimulation(options: SimulationOptions): Simulation {
  const path = join(
    tmpdir(),
    `gw2race-sim-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mumblelink`,
  );
  const writer: MumbleLinkWriter = createFileWriter({ path, removeOnClose: true });
  const bot = createBot(options.track, {
    seed: options.seed,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.misbehave !== undefined ? { misbehave: options.misbehave } : {}),
  });
  const mapId = options.track.mapId ?? 0;
  let tick = 0;
  let state = bot.at(-1);
  const write = () => {
    tick++;
    if (tick % 2 === 1) state = bot.at(options.raceSeconds() ?? -1);
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
        identity: { name: options.name, profession: 4, race: 2, mapId },
        context: { mapId, mount: 'roller-beetle', processId: process.pid },
      }),
    );
  };
  write();
  const timer = setInterval(write, 20);
  return {
    path,
    bot,
    stop() {
      clearInterval(timer);
      writer.close();
    },
  };
}
