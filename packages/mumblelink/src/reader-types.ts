import type { MonotonicClock, Scheduler } from './clock';
import type { Unsubscribe } from './emitter';
import type { MumbleLinkError } from './errors';
import type { MumbleLinkFrame } from './frame';
import type { MumbleLinkSource } from './source';
import type { VelocityEstimate, VelocityOptions } from './velocity';

/**
 * Where the reader stands: `stopped` (not started, or stopped), `starting` (running, no verdict
 * yet: a block was read but its tick has not moved yet), `waiting` (no data: no file, or a block
 * nothing has written), `live` (the tick moves), `stale` (data is there but the tick has not
 * moved for `staleAfterMs`: loading screen, game paused or closed).
 */
export type ReaderStatus = 'stopped' | 'starting' | 'waiting' | 'live' | 'stale';

/** A status change, with a sentence for people. */
export interface StatusChange {
  /** The new status. */
  readonly status: ReaderStatus;
  /** The status before. */
  readonly previous: ReaderStatus;
  /** What it means, naming what is watched, e.g. the "waiting for Guild Wars 2" guidance. */
  readonly message: string;
  /** Monotonic time of the change, ms. */
  readonly at: number;
}

/** A new block (its tick changed), with the motion the reader derived. */
export interface MumbleLinkSample extends VelocityEstimate {
  /** The decoded block. */
  readonly frame: MumbleLinkFrame;
  /** Monotonic time of the poll that read it, ms (the reader's clock). */
  readonly receivedAt: number;
  /**
   * Monotonic time (the reader's clock, like `receivedAt`, ms) of the last poll that read the
   * source and did not see this block's tick: the game wrote the tick after `previousPollAt`
   * and before `receivedAt` (plus the few microseconds the read takes). Time a sample by this
   * window, e.g. its middle `(previousPollAt + receivedAt) / 2` ± half its width; it is one poll
   * period when polls keep up and longer when one was late or a read failed. `null` when no
   * earlier poll read the source since `start()` (the first sample): then the block may have
   * been written at any time before `receivedAt`.
   */
  readonly previousPollAt: number | null;
  /** Ticks since the previous sample (more than 1: the game updated faster than the poll); 0 for the first one, or after a reset. */
  readonly ticksAdvanced: number;
}

/** The map changed (or the first map was seen: `previousMapId` is `null`). */
export interface MapChange {
  /** The map before, `null` for the first sample. */
  readonly previousMapId: number | null;
  /** The new map id. */
  readonly mapId: number;
  /** The first sample on the new map. */
  readonly sample: MumbleLinkSample;
}

/** The tick went backwards or the game process changed: the game restarted. */
export interface TickReset {
  /** The last tick before the reset. */
  readonly previousTick: number;
  /** The tick now. */
  readonly tick: number;
  /** Why this counts as a restart. */
  readonly reason: 'backwards' | 'process-changed';
  /** Monotonic time, ms. */
  readonly at: number;
}

/** The events of a {@link MumbleLinkReader} and their payloads. */
export interface MumbleLinkReaderEvents {
  /** A new block. */
  frame: MumbleLinkSample;
  /** Any status change. */
  status: StatusChange;
  /** No data: carries the "waiting for Guild Wars 2" guidance. */
  waiting: StatusChange;
  /** The tick moves again (or for the first time). */
  live: StatusChange;
  /** The tick stopped moving. */
  stale: StatusChange;
  /** The map changed. */
  mapChange: MapChange;
  /** The game restarted (tick backwards or a new process). */
  tickReset: TickReset;
  /** A block could not be decoded or read; reported once until it changes or a good block comes. */
  error: MumbleLinkError;
  /** The reader stopped. */
  stop: undefined;
}

/** Options of {@link createMumbleLinkReader}. */
export interface MumbleLinkReaderOptions {
  /**
   * The source, or a function opening it on `start()` (the reader then closes it on `stop()`).
   * Default: {@link openMumbleLinkSource} with `name`/`path`.
   */
  source?: MumbleLinkSource | (() => MumbleLinkSource | Promise<MumbleLinkSource>);
  /** Link name for the default source (default `MumbleLink`; the game's `-mumble NAME`). */
  name?: string;
  /** File for the default source, on any platform. */
  path?: string;
  /** Polls per second (default 60). The game updates the avatar position at about 25 Hz. */
  pollHz?: number;
  /** Tick unchanged this long means stale, ms (default 1000). */
  staleAfterMs?: number;
  /**
   * Stale this long, the reader reopens a source that can (Windows shared memory): when the
   * game has closed, its mapping is gone and the reader reports `waiting`, ms (default 5000).
   */
  reopenAfterMs?: number;
  /** Accept blocks cut after the GW2 context (see `DecodeOptions.partial`; default `false`). */
  partial?: boolean;
  /** Velocity estimation. */
  velocity?: VelocityOptions;
  /** Monotonic clock (default `performance.now()`). */
  clock?: MonotonicClock;
  /** Timers (default the runtime's). */
  scheduler?: Scheduler;
}

/** Options of {@link MumbleLinkReader.frames}. */
export interface FramesOptions {
  /** Samples kept for a slow consumer; older ones are dropped first (default 64). */
  bufferSize?: number;
}

/** Polls a MumbleLink source and reports new blocks, status, map changes and restarts. */
export interface MumbleLinkReader {
  /** Current status. */
  readonly status: ReaderStatus;
  /** What is watched (a path, or `shared memory "NAME"`). */
  readonly description: string;
  /** The latest sample, `null` before the first. */
  readonly latest: MumbleLinkSample | null;
  /**
   * Opens the source and starts polling (the first poll happens at once). Resolves once the
   * source is open; rejects (and emits `error`) when it cannot be opened. Idempotent.
   */
  start(): Promise<void>;
  /** Stops polling, closes a source the reader opened, ends iterators. Idempotent. */
  stop(): void;
  /** Reads once now (started readers only): for callers that drive their own loop. */
  poll(): void;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof MumbleLinkReaderEvents>(
    event: K,
    listener: (payload: MumbleLinkReaderEvents[K]) => void,
  ): Unsubscribe;
  /** Unsubscribes. */
  off<K extends keyof MumbleLinkReaderEvents>(
    event: K,
    listener: (payload: MumbleLinkReaderEvents[K]) => void,
  ): void;
  /**
   * New samples as an async iterator. Starts the reader if needed; leaving the loop (`break`)
   * stops it again if this iterator started it. Ends when the reader stops.
   */
  frames(options?: FramesOptions): AsyncIterableIterator<MumbleLinkSample>;
  /** Same as `frames()`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<MumbleLinkSample>;
}
