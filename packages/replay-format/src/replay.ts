import type { RankingMessage, StateMessage } from '@gw2race/protocol';
import type { GunzipMember } from './gzip-member';
import type { ReplayEntry } from './replay-entry';
import type { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import type { ReplayIndex } from './replay-index';

/** Options of {@link openReplay}. */
export interface OpenReplayOptions {
  /** Check each member's CRC-32 when it is first decoded (default true). */
  readonly verifyChecksums?: boolean;
  /** A native inflater for members (e.g. `node:zlib`'s `gunzipSync`); fflate otherwise. */
  readonly gunzip?: GunzipMember;
  /** Decoded members kept in memory for repeated seeks (default 64). */
  readonly cacheMembers?: number;
}

/** Options of {@link Replay.positionsAt} and {@link Replay.seek}. */
export interface PositionsAtOptions {
  /**
   * Interpolate only between samples at most this far apart; beyond, the earlier sample is held
   * (default 1000 ms: a few lost QoS 0 samples).
   */
  readonly maxGapMs?: number;
  /** Leave out racers whose last sample is older than this (default 5000 ms). */
  readonly maxAgeMs?: number;
}

/** Where a racer is at an instant. */
export interface RacerPosition {
  readonly playerId: string;
  /** Metres (MumbleLink frame). */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** m/s, when the samples carry it. */
  readonly v?: number;
  /** From the sample at or before the instant. */
  readonly mapId?: number;
  readonly mount?: number;
  /** True when interpolated between two samples, false when the last sample is held. */
  readonly interpolated: boolean;
  /** `t` of the sample at or before the instant (epoch s). */
  readonly before: number;
  /** `t` of the sample after the instant, when interpolated (epoch s). */
  readonly after?: number;
  /** Milliseconds since the sample at or before the instant. */
  readonly ageMs: number;
}

/** The state of the race at an instant. */
export interface ReplaySnapshot {
  /** The instant, ms since the race time origin ({@link Replay.raceTimeOrigin}). */
  readonly raceTimeMs: number;
  /** The instant on the organizer clock (epoch s). */
  readonly time: number;
  /** Every racer seen around that instant. */
  readonly positions: RacerPosition[];
  /** The last `state` received at or before the instant (the header's before any). */
  readonly state: StateMessage | null;
  /** The last `ranking` received at or before the instant. */
  readonly ranking: RankingMessage | null;
}

/** One racer's whole path, column by column. `NaN` marks a sample without that value. */
export interface RacerTrack {
  readonly playerId: string;
  readonly length: number;
  /** When the game produced each position (epoch s). */
  readonly t: Float64Array;
  /** When the host received it (epoch s). */
  readonly at: Float64Array;
  /** Metres. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** m/s. */
  readonly v: Float64Array;
  readonly mapId: Float64Array;
  readonly mount: Float64Array;
}

/** A recording opened for random access. Create it with {@link openReplay}. */
export interface Replay {
  readonly header: ReplayHeader;
  /** The index: the trailer when it checks out, else rebuilt by scanning the members. */
  readonly index: ReplayIndex;
  /** True when the file ends with a valid index trailer (the writer closed it). */
  readonly complete: boolean;
  /**
   * Problems found so far (opening, and decoding members on demand). Positions (`seek`,
   * `positionsAt`, `tracks`) decode only the event lines they need (positions stored as events,
   * `state`, `control`) and skip the others unchecked; `messages` checks every line it returns.
   */
  readonly issues: readonly ReplayError[];
  /** The start instant (epoch s): the last one the recording announced, else the header's. */
  readonly t0: number | null;
  /** Race time 0 (epoch s): `t0`, or the first record when the race never started. */
  readonly raceTimeOrigin: number;
  /** Earliest and latest host receive time of a record (epoch s), or null if none. */
  readonly from: number | null;
  readonly to: number | null;
  /** Players with positions, in order of first appearance. */
  readonly racers: readonly string[];
  /** Race time (ms) of an instant (epoch s). */
  raceTimeMs(time: number): number;
  /** The instant (epoch s) of a race time (ms). */
  timeOf(raceTimeMs: number): number;
  /**
   * The race at `raceTimeMs`: every racer's position (interpolated between samples), and the
   * last state and ranking. Decodes only from the keyframe before the instant.
   */
  seek(raceTimeMs: number, options?: PositionsAtOptions): ReplaySnapshot;
  /** Every racer's position at an instant (epoch s, organizer clock). */
  positionsAt(time: number, options?: PositionsAtOptions): RacerPosition[];
  /** Every message received in `[from, to]` (epoch s, inclusive; default: all), in order. */
  messages(from?: number, to?: number): ReplayEntry[];
  /** One racer's whole path (decodes the recording once, then cached). */
  track(playerId: string): RacerTrack | undefined;
  /** Every racer's path. */
  tracks(): ReadonlyMap<string, RacerTrack>;
}
