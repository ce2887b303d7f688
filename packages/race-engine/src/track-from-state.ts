import type { StateMessage, Track } from '@gw2race/protocol';

const TRACK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The track a race's retained `state` describes, for a client that detects its own crossings
 * (e.g. with {@link createCrossingDetector}): checkpoints, laps, circuit, map. Laps and the start
 * rule still come from the state when you compile the course.
 *
 * @example
 * const detector = createCrossingDetector(trackFromState(state), { t0: state.t0, laps: state.laps });
 */
export function trackFromState(state: StateMessage): Track {
  return {
    format: 'gw2race-track',
    version: 1,
    id: TRACK_ID.test(state.trackId) ? state.trackId : 'track',
    name: state.trackName ?? state.trackId,
    ...(state.mapId !== undefined ? { mapId: state.mapId } : {}),
    ...(state.circuit !== undefined ? { circuit: state.circuit } : {}),
    ...(state.laps !== undefined ? { laps: state.laps } : {}),
    checkpoints: state.checkpoints,
  };
}
