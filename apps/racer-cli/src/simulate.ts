import type { Track } from '@gw2race/protocol';
import type { BotMisbehaviour } from '@gw2race/simulator';
import { type MumbleBot, startMumbleBot } from '@gw2race/simulator/node';

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
export type Simulation = MumbleBot;

/**
 * Plays the game for `--simulate`: a bot drives the track from the race's start instant on the
 * organizer's clock, so every simulated racer leaves at t0, and the racer reads its telemetry
 * through the real MumbleLink file source.
 */
export function startSimulation(options: SimulationOptions): Simulation {
  return startMumbleBot({
    track: options.track,
    name: options.name,
    seed: options.seed,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.misbehave !== undefined ? { misbehave: options.misbehave } : {}),
    seconds: options.raceSeconds,
  });
}
