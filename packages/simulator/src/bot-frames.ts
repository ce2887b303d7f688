import { createFrame, type MumbleLinkFrame } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';
import { type Bot, type BotState, createBot } from './bot';
import type { BotMisbehaviour } from './misbehaviour';

/** Options of {@link createBotFrames}. */
export interface BotFramesOptions {
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
  /** The process id written into the context (default 0; the node helper writes its own). */
  readonly processId?: number;
  /** Seconds since the bot's start signal, or `undefined` while it waits on the start. */
  readonly seconds: () => number | undefined;
  /** Called once when the bot has driven past the end of its path. */
  readonly onFinished?: () => void;
}

/** The MumbleLink blocks of a bot, one per game tick. */
export interface BotFrames {
  readonly bot: Bot;
  /** The tick of the last frame (0 before the first). */
  readonly tick: number;
  /** The next block: call it every 20 ms, as the game ticks. */
  next(): MumbleLinkFrame;
}

/**
 * A bot as the game writes it into MumbleLink, without the writing: each call of
 * {@link BotFrames.next} is one tick (20 ms in the game); the avatar moves every second tick
 * (40 ms, as GW2 updates positions), on a roller beetle, the camera 6 m behind and 2.5 m above.
 * Give the frames to any `MumbleLinkWriter`; `@gw2race/simulator/node`'s `startMumbleBot` does.
 */
export function createBotFrames(options: BotFramesOptions): BotFrames {
  const bot = createBot(options.track, {
    seed: options.seed,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.misbehave !== undefined ? { misbehave: options.misbehave } : {}),
  });
  const mapId = options.mapId ?? options.track.mapId ?? 0;
  const identity = { name: options.name, profession: 4, race: 2, mapId };
  const context = { mapId, mount: 'roller-beetle', processId: options.processId ?? 0 } as const;
  let tick = 0;
  let finished = false;
  let state: BotState = bot.at(-1);
  return {
    bot,
    get tick() {
      return tick;
    },
    next() {
      tick++;
      if (tick % 2 === 1) {
        state = bot.at(options.seconds() ?? -1);
        if (state.finished && !finished) {
          finished = true;
          options.onFinished?.();
        }
      }
      return createFrame({
        tick,
        avatar: { position: state.position, front: state.front },
        camera: { position: cameraBehind(state), front: state.front },
        identity,
        context,
      });
    },
  };
}

/** Where a chase camera is: 6 m behind the bot, 2.5 m above it. */
function cameraBehind(state: BotState) {
  return {
    x: state.position.x - state.front.x * 6,
    y: state.position.y + 2.5,
    z: state.position.z - state.front.z * 6,
  };
}
