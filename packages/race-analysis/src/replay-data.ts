import {
  RACE_RELATIVE_LIMIT,
  type RankingMessage,
  type StateMessage,
  type Track,
  toEpochSeconds,
} from '@gw2race/protocol';
import type { RaceResults, RaceState } from '@gw2race/race-engine';
import type { RacerPosition, Replay, ReplayEntry } from '@gw2race/replay-format';
import { isRaceAnalysisError, type RaceAnalysisError } from './errors';
import { recordingTrack, rejudgeRecording } from './rejudge-recording';

/** One racer's path as plain columns (epoch s, metres), time-ordered. */
export interface Path {
  readonly playerId: string;
  readonly t: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly v: Float64Array;
}

/** Where a racer is at an instant: what the map draws. */
export interface PlacedRacer {
  readonly playerId: string;
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly v: number | undefined;
  /** Seconds since the sample the position comes from (held, not interpolated, when large). */
  readonly ageS: number;
}

/** The race at an instant of a replay. */
export interface ReplayFrame {
  readonly raceTimeMs: number;
  readonly racers: readonly PlacedRacer[];
  readonly ranking: RankingMessage | null;
  readonly state: StateMessage | null;
}

/** Interpolation limits, as the recording's own `seek` uses them. */
const MAX_GAP_S = 1;
const MAX_AGE_S = 5;

/** Index of the last sample at or before `time` (-1 if none). */
export function sampleBefore(t: ArrayLike<number>, time: number): number {
  let lo = 0;
  let hi = t.length - 1;
  if (hi < 0 || (t[0] as number) > time) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((t[mid] as number) <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A racer's position on a path at `time` (epoch s), interpolated between close samples. */
export function positionOnPath(path: Path, time: number): PlacedRacer | undefined {
  const i = sampleBefore(path.t, time);
  if (i < 0) return undefined;
  const t0 = path.t[i] as number;
  if (time - t0 > MAX_AGE_S) return undefined;
  const j = i + 1;
  const base = {
    playerId: path.playerId,
    ageS: time - t0,
  };
  const v0 = path.v[i] as number;
  if (j < path.t.length) {
    const t1 = path.t[j] as number;
    if (t1 > t0 && t1 - t0 <= MAX_GAP_S) {
      const f = (time - t0) / (t1 - t0);
      const lerp = (a: Float64Array) =>
        (a[i] as number) + ((a[j] as number) - (a[i] as number)) * f;
      const v = lerp(path.v);
      return {
        ...base,
        x: lerp(path.x),
        y: lerp(path.y),
        z: lerp(path.z),
        v: Number.isFinite(v) ? v : undefined,
        ageS: 0,
      };
    }
  }
  return {
    ...base,
    x: path.x[i] as number,
    y: path.y[i] as number,
    z: path.z[i] as number,
    v: Number.isFinite(v0) ? v0 : undefined,
  };
}

function toPlaced(p: RacerPosition): PlacedRacer {
  return {
    playerId: p.playerId,
    x: p.x,
    y: p.y,
    z: p.z,
    v: p.v,
    ageS: p.interpolated ? 0 : p.ageMs / 1000,
  };
}

/** A recording opened for the viewer: timeline, frames, paths, and the engine's results. */
export interface ReplayData {
  readonly replay: Replay;
  /** The track (see {@link recordingTrack}): the header's, else the recorded state's, else null. */
  readonly track: Track | null;
  /** Timeline in race-time ms: first to last record of the recording. */
  readonly startMs: number;
  readonly endMs: number;
  /** Every recorded message, in receive order (decoded once). */
  readonly entries: readonly ReplayEntry[];
  /** Each racer's path (the compact position columns, plus positions recorded as events). */
  readonly paths: ReadonlyMap<string, Path>;
  /** Display names from the recorded state, presence and rankings. */
  readonly names: ReadonlyMap<string, string>;
  /** Colours the organizer gave (`state.participants[].color`). */
  readonly colors: ReadonlyMap<string, string>;
  /**
   * The race's racers in the order the recorded states first list them (the host's order of
   * arrival): what race-map's `racerColor` picks colours by, as the live page does
   * ({@link LiveRace.field}).
   */
  readonly field: readonly string[];
  /**
   * The engine's final state and results over the whole recording, by {@link rejudgeRecording}
   * (the rule `gw2race-host results` follows); null when the recording names no track.
   */
  readonly state: RaceState | null;
  readonly results: RaceResults | null;
  /** Why {@link ReplayData.results} is null (`NO_TRACK`), else null. */
  readonly judgeError: RaceAnalysisError | null;
  /** The race at an instant, by the recording's index (seek), not by scanning. */
  frame(raceTimeMs: number): ReplayFrame;
}

function collectNames(entries: readonly ReplayEntry[], replay: Replay) {
  const names = new Map<string, string>();
  const colors = new Map<string, string>();
  const field = new Set<string>();
  const fromState = (state: StateMessage | null | undefined) => {
    for (const p of state?.participants ?? []) {
      field.add(p.playerId);
      if (p.name) names.set(p.playerId, p.name);
      if (p.color) colors.set(p.playerId, p.color);
    }
  };
  fromState(replay.header.state);
  for (const entry of entries) {
    if (entry.kind === 'state') fromState(entry.message);
    else if (entry.kind === 'presence' && entry.message.name && !names.has(entry.message.playerId))
      names.set(entry.message.playerId, entry.message.name);
    else if (entry.kind === 'ranking')
      for (const e of entry.message.entries) if (e.name) names.set(e.playerId, e.name);
  }
  return { names, colors, field: [...field] };
}

/**
 * Every racer's path, from the recording's per-racer tracks (all samples, time-ordered). Times
 * are epoch seconds; a client that sent race-relative times (below 1e9 s, as in the spec's
 * example) has them moved onto the race's t0.
 */
function buildPaths(replay: Replay): Map<string, Path> {
  const paths = new Map<string, Path>();
  for (const [playerId, track] of replay.tracks()) {
    const relative = track.t.some((t) => t < RACE_RELATIVE_LIMIT);
    paths.set(playerId, {
      playerId,
      t: relative
        ? Float64Array.from(track.t, (t) => toEpochSeconds(t, replay.t0) ?? Number.NaN)
        : track.t,
      x: track.x,
      y: track.y,
      z: track.z,
      v: track.v,
    });
  }
  return paths;
}

/**
 * Opens a recording for the viewer. Cheap: the timeline and frames come from the recording's
 * index (`seek` decodes only from the keyframe before an instant). The whole decode (paths,
 * names) and the engine's judgement run on first use of those fields, then are cached.
 */
export function createReplayData(replay: Replay): ReplayData {
  const from = replay.from ?? replay.raceTimeOrigin;
  const to = replay.to ?? from;
  let entries: ReplayEntry[] | undefined;
  let built: Map<string, Path> | undefined;
  let named: ReturnType<typeof collectNames> | undefined;
  let judged:
    | { state: RaceState | null; results: RaceResults | null; error: RaceAnalysisError | null }
    | undefined;
  const allEntries = () => {
    entries ??= replay.messages();
    return entries;
  };
  const paths = () => {
    built ??= buildPaths(replay);
    return built;
  };
  const names = () => {
    named ??= collectNames(allEntries(), replay);
    return named;
  };
  const recording = () => ({ header: replay.header, entries: allEntries() });
  let track: Track | null | undefined;
  const trackOf = () => {
    track ??= recordingTrack(recording())?.track ?? null;
    return track;
  };
  const judge = () => {
    if (judged) return judged;
    try {
      const { state, results } = rejudgeRecording(recording());
      judged = { state, results, error: null };
    } catch (error) {
      if (!isRaceAnalysisError(error)) throw error;
      judged = { state: null, results: null, error };
    }
    return judged;
  };
  return {
    replay,
    get track() {
      return trackOf();
    },
    startMs: Math.floor(replay.raceTimeMs(from)),
    endMs: Math.ceil(replay.raceTimeMs(to)),
    get entries() {
      return allEntries();
    },
    get paths() {
      return paths();
    },
    get names() {
      return names().names;
    },
    get field() {
      return names().field;
    },
    get colors() {
      return names().colors;
    },
    get state() {
      return judge().state;
    },
    get results() {
      return judge().results;
    },
    get judgeError() {
      return judge().error;
    },
    frame(raceTimeMs) {
      const snapshot = replay.seek(raceTimeMs);
      return {
        raceTimeMs,
        racers: snapshot.positions.map(toPlaced),
        ranking: snapshot.ranking,
        state: snapshot.state,
      };
    },
  };
}
