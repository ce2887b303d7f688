import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileWriter, createFrame } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';
import { type Bot, type BotMisbehaviour, createBot } from './bot';

/** Options of {@link startMumbleBot}. */
export interface MumbleBotOptions {
  /** The track the bot drives (its reference line when it has one). */
  readonly track: Track;
  readonly seed: number;
  /** Cruise speed, m/s (default the bot's, 30). */
  readonly speed?: number;
  readonly misbehave?: BotMisbehaviour;
  /** The character name written into the identity. */
  readonly name: string;
  /** The map id written into MumbleLink (default the track's, else 0). */
  readonly mapId?: number;
  /** The MumbleLink file to write (default a fresh file in the temporary folder). */
  readonly path?: string;
  /** Seconds since the bot's start signal, or `undefined` while it waits on the start. */
  readonly seconds: () => number | undefined;
  /** Called once when the bot has driven past the end of its path. */
  readonly onFinished?: () => void;
}

/** A bot driving a track into a MumbleLink file. */
export interface MumbleBot {
  /** The MumbleLink file; read it with the real reader (a file source). */
  readonly path: string;
  readonly bot: Bot;
  stop(): void;
}

/**
 * Plays the game without the game: a bot drives a track and writes MumbleLink blocks into a file
 * exactly as Guild Wars 2 does (the tick every 20 ms, the avatar position every 40 ms, on a roller
 * beetle), so whoever reads it runs the real reading path, as on Linux. The racer's `--simulate`
 * and the host's `track record --simulate` both use it.
 */
export function startMumbleBot(options: MumbleBotOptions): MumbleBot {
  const path =
    options.path ??
    join(
      tmpdir(),
      `gw2race-sim-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mumblelink`,
    );
  const writer = createFileWriter({ path, removeOnClose: true });
  const bot = createBot(options.track, {
    seed: options.seed,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.misbehave !== undefined ? { misbehave: options.misbehave } : {}),
  });
  const mapId = options.mapId ?? options.track.mapId ?? 0;
  let tick = 0;
  let finished = false;
  let state = bot.at(-1);
  const write = () => {
    tick++;
    if (tick % 2 === 1) {
      state = bot.at(options.seconds() ?? -1);
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
