import type { MonotonicClock, Scheduler } from './clock';
import { systemClock, systemScheduler } from './clock';
import type { FrameDecoder } from './decode-frame';
import { createFrameDecoder, readTick } from './decode-frame';
import type { Unsubscribe } from './emitter';
import { Emitter } from './emitter';
import type { MumbleLinkError } from './errors';
import {
  describeCause,
  isMumbleLinkError,
  MumbleLinkError as MumbleLinkErrorClass,
} from './errors';
import type { MumbleLinkFrame } from './frame';
import { openMumbleLinkSource } from './open-mumble-link';
import type { MumbleLinkSource } from './source';
import { DEFAULT_MUMBLE_LINK_NAME, defaultMumbleLinkPath } from './source';
import type { VelocityEstimate, VelocityOptions } from './velocity';
import { createVelocityEstimator } from './velocity';

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

/** The sentence for the `waiting` status. */
export function waitingMessage(description: string): string {
  return `waiting for Guild Wars 2 (no MumbleLink data yet) — watching ${description}`;
}

/**
 * Creates a reader. It polls at `pollHz`, emits `frame` only when `uiTick` changes, reports
 * `waiting`/`live`/`stale`, map changes and game restarts, and derives velocity and speed (m/s)
 * from position changes with monotonic timestamps.
 *
 * @example
 * const reader = createMumbleLinkReader();
 * reader.on('waiting', (change) => console.log(change.message));
 * for await (const sample of reader) {
 *   console.log(sample.frame.avatar.position, sample.frame.context.mapId, sample.speed);
 * }
 */
export function createMumbleLinkReader(options: MumbleLinkReaderOptions = {}): MumbleLinkReader {
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const pollHz = options.pollHz ?? 60;
  if (!(pollHz > 0 && pollHz <= 1000))
    throw new RangeError(`pollHz must be in (0, 1000], got ${pollHz}`);
  const periodMs = 1000 / pollHz;
  const staleAfterMs = options.staleAfterMs ?? 1000;
  if (!(staleAfterMs > 0))
    throw new RangeError(`staleAfterMs must be a positive number, got ${staleAfterMs}`);
  const partial = options.partial === true;
  const emitter = new Emitter<MumbleLinkReaderEvents>();
  const velocity = createVelocityEstimator(options.velocity);

  const givenSource = options.source;
  let description =
    typeof givenSource === 'object'
      ? givenSource.description
      : (options.path ?? defaultDescription(options.name ?? DEFAULT_MUMBLE_LINK_NAME));

  let status: ReaderStatus = 'stopped';
  let running = false;
  let generation = 0;
  let starting: Promise<void> | null = null;
  let source: MumbleLinkSource | null = null;
  let ownsSource = false;
  let timer: unknown;
  let cadenceStart = 0;
  let pollIndex = 0;

  let decoder = createFrameDecoder({ partial });
  let lastTick: number | undefined;
  let lastTickChangeAt = 0;
  let lastProcessId: number | undefined;
  let lastMapId: number | undefined;
  let lastErrorKey: string | null = null;
  let latest: MumbleLinkSample | null = null;
  // Timing of reads: the last poll whose read returned, the tick it saw (`undefined` for no
  // data), and the last poll before the run of reads that have seen that tick.
  let lastReadAt: number | null = null;
  let lastReadTick: number | undefined;
  let tickNotSeenAt: number | null = null;

  function setStatus(next: ReaderStatus, at: number): void {
    if (next === status) return;
    const change: StatusChange = { status: next, previous: status, message: messageFor(next), at };
    status = next;
    emitter.emit('status', change);
    if (next === 'waiting' || next === 'live' || next === 'stale') emitter.emit(next, change);
  }

  function messageFor(next: ReaderStatus): string {
    switch (next) {
      case 'waiting':
        return waitingMessage(description);
      case 'live':
        return `receiving MumbleLink data from ${description}`;
      case 'stale':
        return `MumbleLink data stopped changing (loading screen, or the game was closed) — watching ${description}`;
      case 'starting':
        return `reading ${description}`;
      case 'stopped':
        return `stopped reading ${description}`;
    }
  }

  function forgetSession(): void {
    lastTick = undefined;
    lastProcessId = undefined;
    lastMapId = undefined;
    velocity.reset();
  }

  function reportError(error: MumbleLinkError): void {
    const key = `${error.code}:${error.message}`;
    if (key === lastErrorKey) return;
    lastErrorKey = key;
    emitter.emit('error', error);
  }

  function checkStale(now: number): void {
    if (lastTick !== undefined && status !== 'stale' && now - lastTickChangeAt >= staleAfterMs) {
      velocity.reset();
      setStatus('stale', now);
    }
  }

  function noData(now: number): void {
    lastErrorKey = null;
    if (lastTick !== undefined) forgetSession();
    setStatus('waiting', now);
  }

  function forgetReads(): void {
    lastReadAt = null;
    lastReadTick = undefined;
    tickNotSeenAt = null;
  }

  function poll(): void {
    if (!running || source === null) return;
    const now = clock.monotonicMs();
    let bytes: Uint8Array | null;
    try {
      bytes = source.read();
    } catch (cause) {
      // Nothing learnt about when the block changed: the window stays open from the last read.
      reportError(asError(cause, `cannot read ${description}`));
      checkStale(now);
      return;
    }
    const tick = bytes === null ? undefined : readTick(bytes);
    if (lastReadAt === null || tick !== lastReadTick) tickNotSeenAt = lastReadAt;
    lastReadAt = now;
    lastReadTick = tick;
    if (bytes === null || (tick === 0 && readVersion(bytes) === 0)) {
      noData(now);
      return;
    }
    if (tick !== undefined && tick === lastTick) {
      checkStale(now);
      return;
    }

    let decoded: ReturnType<FrameDecoder['decode']>;
    try {
      decoded = decoder.decode(bytes);
    } catch (cause) {
      // The decoder returns failures; a throw is a bug. Report it and keep polling, with a fresh
      // decoder since the cache may be half updated. (This runs in a timer: a throw would end
      // the racer's process.)
      decoder = createFrameDecoder({ partial });
      decoded = {
        ok: false,
        error: new MumbleLinkErrorClass(
          'DECODE_FAILED',
          `cannot decode the ${bytes.length}-byte block from ${description}: ${describeCause(cause)}`,
          { cause },
        ),
      };
    }
    if (!decoded.ok) {
      reportError(decoded.error);
      checkStale(now);
      return;
    }
    lastErrorKey = null;
    const frame = decoded.value;
    const processId = frame.context.processId;
    let ticksAdvanced = 0;
    if (lastTick !== undefined) {
      const restarted: TickReset['reason'] | null =
        lastProcessId !== undefined && processId !== lastProcessId
          ? 'process-changed'
          : frame.tick < lastTick
            ? 'backwards'
            : null;
      if (restarted !== null) {
        velocity.reset();
        emitter.emit('tickReset', {
          previousTick: lastTick,
          tick: frame.tick,
          reason: restarted,
          at: now,
        });
      } else {
        ticksAdvanced = frame.tick - lastTick;
      }
      setStatus('live', now);
    } else if (status === 'stopped' || status === 'waiting') {
      setStatus('starting', now);
    }
    lastTick = frame.tick;
    lastTickChangeAt = now;
    lastProcessId = processId;

    const mapId = frame.context.mapId;
    const previousMapId = lastMapId;
    if (previousMapId !== undefined && previousMapId !== mapId) velocity.reset();
    lastMapId = mapId;

    const motion = velocity.update(frame.avatar.position, now);
    const sample: MumbleLinkSample = {
      frame,
      receivedAt: now,
      previousPollAt: tickNotSeenAt,
      ticksAdvanced,
      ...motion,
    };
    latest = sample;
    if (previousMapId !== mapId) {
      emitter.emit('mapChange', { previousMapId: previousMapId ?? null, mapId, sample });
    }
    emitter.emit('frame', sample);
  }

  function schedule(): void {
    if (!running) return;
    const now = clock.monotonicMs();
    // Due times from an integer count, so the cadence does not drift with rounding.
    let due = cadenceStart + (++pollIndex * 1000) / pollHz;
    if (due < now - periodMs) {
      // After a long pause (suspended laptop, blocked loop) resume the cadence instead of bursting.
      cadenceStart = now;
      pollIndex = 1;
      due = now + periodMs;
    }
    timer = scheduler.setTimeout(onTimer, Math.max(0, due - now));
  }

  function onTimer(): void {
    timer = undefined;
    if (!running) return;
    schedule();
    poll();
  }

  async function openSource(): Promise<MumbleLinkSource> {
    if (typeof givenSource === 'object') return givenSource;
    ownsSource = true;
    if (typeof givenSource === 'function') return givenSource();
    return openMumbleLinkSource({
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
    });
  }

  function start(): Promise<void> {
    if (running && starting !== null) return starting;
    running = true;
    const current = ++generation;
    decoder = createFrameDecoder({ partial });
    forgetSession();
    forgetReads();
    latest = null;
    lastErrorKey = null;
    starting = (async () => {
      let opened: MumbleLinkSource;
      try {
        opened = await openSource();
      } catch (cause) {
        const error = asError(cause, `cannot open ${description}`);
        if (current === generation) {
          running = false;
          starting = null;
          emitter.emit('error', error);
        }
        throw error;
      }
      if (current !== generation) {
        if (ownsSource) opened.close();
        return;
      }
      source = opened;
      description = opened.description;
      setStatus('starting', clock.monotonicMs());
      cadenceStart = clock.monotonicMs();
      pollIndex = 0;
      schedule();
      poll();
    })();
    return starting;
  }

  function stop(): void {
    if (!running) return;
    running = false;
    generation++;
    starting = null;
    if (timer !== undefined) scheduler.clearTimeout(timer);
    timer = undefined;
    if (source !== null && ownsSource) source.close();
    source = null;
    setStatus('stopped', clock.monotonicMs());
    emitter.emit('stop', undefined);
  }

  function frames(framesOptions: FramesOptions = {}): AsyncIterableIterator<MumbleLinkSample> {
    const bufferSize = Math.max(1, framesOptions.bufferSize ?? 64);
    const queue: MumbleLinkSample[] = [];
    let waiter: {
      resolve(r: IteratorResult<MumbleLinkSample>): void;
      reject(e: unknown): void;
    } | null = null;
    let finished = false;
    let failure: unknown = null;
    const startedHere = !running;

    const finish = (): void => {
      if (finished) return;
      finished = true;
      offFrame();
      offStop();
      if (waiter !== null) {
        const pending = waiter;
        waiter = null;
        if (failure !== null) pending.reject(failure);
        else pending.resolve({ value: undefined, done: true });
      }
    };
    const offFrame = emitter.on('frame', (sample) => {
      if (waiter !== null) {
        const pending = waiter;
        waiter = null;
        pending.resolve({ value: sample, done: false });
        return;
      }
      queue.push(sample);
      if (queue.length > bufferSize) queue.shift();
    });
    const offStop = emitter.on('stop', finish);
    if (startedHere) {
      start().catch((cause: unknown) => {
        failure = cause;
        finish();
      });
    }

    const iterator: AsyncIterableIterator<MumbleLinkSample> = {
      next() {
        const queued = queue.shift();
        if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
        if (finished) {
          if (failure !== null) {
            const error = failure;
            failure = null;
            return Promise.reject(error);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          waiter = { resolve, reject };
        });
      },
      return() {
        queue.length = 0;
        finish();
        if (startedHere) stop();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  return {
    get status() {
      return status;
    },
    get description() {
      return description;
    },
    get latest() {
      return latest;
    },
    start,
    stop,
    poll,
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    frames,
    [Symbol.asyncIterator]: () => frames(),
  };
}

function readVersion(bytes: Uint8Array): number | undefined {
  if (bytes.length < 4) return undefined;
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
}

function defaultDescription(name: string): string {
  return process.platform === 'win32' ? `shared memory "${name}"` : defaultMumbleLinkPath(name);
}

function asError(cause: unknown, context: string): MumbleLinkError {
  if (isMumbleLinkError(cause)) return cause;
  return new MumbleLinkErrorClass('IO_FAILED', `${context}: ${describeCause(cause)}`, { cause });
}
