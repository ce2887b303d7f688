import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileWriter } from '@gw2race/mumblelink';
import { type Bot, type BotFramesOptions, createBotFrames } from '../index';

/** Options of {@link startMumbleBot}. */
export interface MumbleBotOptions extends Omit<BotFramesOptions, 'processId'> {
  /** The MumbleLink file to write (default a fresh file in the temporary folder). */
  readonly path?: string;
}

/** A bot driving a track into a MumbleLink file. */
export interface MumbleBot {
  /** The MumbleLink file; read it with the real reader (a file source). */
  readonly path: string;
  readonly bot: Bot;
  /** Stops writing and removes the file. */
  stop(): void;
}

/**
 * Plays the game without the game: a bot drives a track and writes MumbleLink blocks into a file
 * exactly as Guild Wars 2 does (the tick every 20 ms, the avatar position every 40 ms, on a roller
 * beetle; see `createBotFrames`), so whoever reads it runs the real reading path, as on Linux.
 * The racer's `--simulate` and the host's `track record --simulate` both use it.
 *
 * @example
 * const ride = startMumbleBot({ track, seed: 1, name: 'Bot', seconds: () => clock.seconds() });
 * const reader = createMumbleLinkReader({ source: () => createFileSource({ path: ride.path }) });
 */
export function startMumbleBot(options: MumbleBotOptions): MumbleBot {
  const path =
    options.path ??
    join(
      tmpdir(),
      `gw2race-sim-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mumblelink`,
    );
  const writer = createFileWriter({ path, removeOnClose: true });
  const frames = createBotFrames({ ...options, processId: process.pid });
  const write = () => writer.write(frames.next());
  write();
  const timer = setInterval(write, 20);
  return {
    path,
    bot: frames.bot,
    stop() {
      clearInterval(timer);
      writer.close();
    },
  };
}
