import type { StateMessage, Track } from '@gw2race/protocol';
import {
  type EngineInput,
  engineInputOf,
  type RaceResults,
  type RaceState,
  raceResults,
  replayRace,
  trackFromState,
} from '@gw2race/race-engine';
import type { ReplayEntry, ReplayHeader } from '@gw2race/replay-format';
import { RaceAnalysisError } from './errors';

/**
 * A recording as re-judging needs it: its header and every recorded message in receive order
 * (from `openReplay(bytes).messages()`, or a `readReplay` / `readReplayFile` reader's entries).
 */
export interface Recording {
  readonly header: Pick<ReplayHeader, 'raceId' | 'laps' | 'track' | 'state'>;
  readonly entries: readonly ReplayEntry[];
}

/** Where the track a recording is judged on came from. */
export type TrackSource =
  /** The recording's header names the track the host ran. */
  | 'header'
  /** The header has none: the race state the recording holds (its last `state`) describes it. */
  | 'state';

/** The track of a recording and where it came from (see {@link recordingTrack}). */
export interface RecordingTrack {
  readonly track: Track;
  readonly source: TrackSource;
}

/** A recording judged again by the race engine. */
export interface RejudgedRecording extends RecordingTrack {
  /** The engine's final state over every recorded input. */
  readonly state: RaceState;
  /** Ranking, crossings, splits, sectors and flags, as `gw2race-host results` prints them. */
  readonly results: RaceResults;
}

/** The last recorded race state that describes checkpoints, else the header's. */
function describedState(recording: Recording): StateMessage | undefined {
  for (let i = recording.entries.length - 1; i >= 0; i--) {
    const entry = recording.entries[i] as ReplayEntry;
    if (entry.kind === 'state' && entry.message.checkpoints.length > 0) return entry.message;
  }
  const state = recording.header.state;
  return state && state.checkpoints.length > 0 ? state : undefined;
}

/**
 * The track a recording is judged on: the header's track, else the one the recorded race state
 * describes (its last `state` message with checkpoints, else the header's state), else
 * `undefined`.
 */
export function recordingTrack(recording: Recording): RecordingTrack | undefined {
  if (recording.header.track) return { track: recording.header.track, source: 'header' };
  const state = describedState(recording);
  return state ? { track: trackFromState(state), source: 'state' } : undefined;
}

/**
 * Re-judges a recording: the same engine inputs the live host used, in the same order, on the
 * track of {@link recordingTrack}, with the header's race id, laps and start rule. This is the
 * one re-judging rule: `gw2race-host results` and the viewer both call it, so a protest gets the
 * same answer wherever it is looked at. Throws a {@link RaceAnalysisError} `NO_TRACK` when the
 * recording names no track.
 *
 * @example
 * const replay = openReplay(bytes);
 * if (replay.ok) {
 *   const { results } = rejudgeRecording({ header: replay.value.header, entries: replay.value.messages() });
 *   console.table(results.racers.map((r) => ({ id: r.playerId, time: r.time })));
 * }
 */
export function rejudgeRecording(recording: Recording): RejudgedRecording {
  const found = recordingTrack(recording);
  if (!found)
    throw new RaceAnalysisError(
      'NO_TRACK',
      `the recording of race ${recording.header.raceId} has no track (neither in its header nor in a recorded race state): it cannot be re-judged`,
    );
  const inputs: EngineInput[] = [];
  for (const entry of recording.entries) {
    const input = engineInputOf(entry);
    if (input) inputs.push(input);
  }
  const { header } = recording;
  const startRule = header.state?.startRule;
  const state = replayRace(found.track, inputs, {
    raceId: header.raceId,
    laps: header.laps,
    ...(startRule !== undefined ? { startRule } : {}),
  });
  return { ...found, state, results: raceResults(state) };
}
