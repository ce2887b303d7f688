import type { Track } from '@gw2race/protocol';
import { type RaceResults, raceResults } from './race-results';
import {
  createRaceState,
  type EngineInput,
  type EngineOptions,
  type RaceState,
} from './race-state';
import { step } from './step';

/**
 * Runs the engine over a whole stream of inputs and returns the final state. `adjudicate` is
 * this followed by {@link raceResults}; use it when you also want the state (e.g. to publish the
 * final ranking message).
 */
export function replayRace(
  track: Track,
  inputs: Iterable<EngineInput>,
  options: EngineOptions = {},
): RaceState {
  let state = createRaceState(track, options);
  for (const input of inputs) state = step(state, input)[0];
  return state;
}

/**
 * Judges a race from its inputs, in the order the host received them (a recording's order), and
 * returns the results: ranking, splits, sectors and flags. Pure: the same track, inputs and
 * options always give the same results, and they are exactly what the live host computed by
 * calling {@link step} on the same inputs, so a recording can be re-judged after a protest.
 *
 * @example
 * const results = adjudicate(track, recording.messages, { raceId: 'abc123' });
 * console.table(results.ranking);
 */
export function adjudicate(
  track: Track,
  inputs: Iterable<EngineInput>,
  options: EngineOptions = {},
): RaceResults {
  return raceResults(replayRace(track, inputs, options));
}
