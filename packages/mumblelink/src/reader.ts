import type { MonotonicClock, Scheduler } from './clock';
import { systemClock, systemScheduler } from './clock';
import type { FrameDecoder } from './decode-frame';
import { createFrameDecoder, readTick } from './decode-frame';
import { Emitter } from './emitter';
import type { MumbleLinkError } from './errors';
import {
  describeCause,
  isMumbleLinkError,
  MumbleLinkError as MumbleLinkErrorClass,
} from './errors';
import type { MumbleLinkFrame } from './frame';
import { createFramesIterator } from './frames-iterator';
import { openMumbleLinkSource } from './open-mumble-link';
import type {
  MumbleLinkReader,
  MumbleLinkReaderEvents,
  MumbleLinkReaderOptions,
  MumbleLinkSample,
  ReaderStatus,
  StatusChange,
  TickReset,
} from './reader-types';
import type { MumbleLinkSource } from './source';
import { DEFAULT_MUMBLE_LINK_NAME, defaultMumbleLinkPath } from './source';
import { createVelocityEstimator, type VelocityEstimator } from './velocity';
import { statusMessage } from './waiting-message';

/** What the reader knows of the game session it reads: the last tick, process and map. */
class ReaderState {
  readonly emitter = new Emitter<MumbleLinkReaderEvents>();
  readonly velocity: VelocityEstimator;
  readonly clock: MonotonicClock;
  readonly scheduler: Scheduler;
  readonly pollHz: number;
  readonly periodMs: number;
  readonly staleAfterMs: number;
  readonly reopenAfterMs: number;
  /** When the source was last reopened (monotonic ms), or the last tick change since. */
  lastReopenAt = 0;
  readonly partial: boolean;
  description: string;
  status: ReaderStatus = 'stopped';
  running = false;
  generation = 0;
  starting: Promise<void> | null = null;
  source: MumbleLinkSource | null = null;
  ownsSource = false;
  timer: unknown;
  cadenceStart = 0;
  pollIndex = 0;
  decoder: FrameDecoder;
  lastTick: number | undefined;
  lastTickChangeAt = 0;
  lastProcessId: number | undefined;
  lastMapId: number | undefined;
  lastErrorKey: string | null = null;
  latest: MumbleLinkSample | null = null;
  // Timing of reads: the last poll whose read returned, the tick it saw (`undefined` for no
  // data), and the last poll before the run of reads that have seen that tick.
  lastReadAt: number | null = null;
  lastReadTick: number | undefined;
  tickNotSeenAt: number | null = null;

  constructor(readonly options: MumbleLinkReaderOptions) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.pollHz = options.pollHz ?? 60;
    if (!(this.pollHz > 0 && this.pollHz <= 1000))
      throw new RangeError(`pollHz must be in (0, 1000], got ${this.pollHz}`);
    this.periodMs = 1000 / this.pollHz;
    this.staleAfterMs = options.staleAfterMs ?? 1000;
    this.reopenAfterMs = options.reopenAfterMs ?? 5000;
    if (!(this.reopenAfterMs > 0))
      throw new RangeError(`reopenAfterMs must be a positive number, got ${this.reopenAfterMs}`);
    if (!(this.staleAfterMs > 0))
      throw new RangeError(`staleAfterMs must be a positive number, got ${this.staleAfterMs}`);
    this.partial = options.partial === true;
    this.velocity = createVelocityEstimator(options.velocity);
    this.decoder = createFrameDecoder({ partial: this.partial });
    const given = options.source;
    this.description =
      typeof given === 'object'
        ? given.description
        : (options.path ?? defaultDescription(options.name ?? DEFAULT_MUMBLE_LINK_NAME));
  }

  setStatus(next: ReaderStatus, at: number): void {
    if (next === this.status) return;
    const message = statusMessage(next, this.description);
    const change: StatusChange = { status: next, previous: this.status, message, at };
    this.status = next;
    this.emitter.emit('status', change);
    if (next === 'waiting' || next === 'live' || next === 'stale') this.emitter.emit(next, change);
  }

  forgetSession(): void {
    this.lastTick = undefined;
    this.lastProcessId = undefined;
    this.lastMapId = undefined;
    this.velocity.reset();
  }

  forgetReads(): void {
    this.lastReadAt = null;
    this.lastReadTick = undefined;
    this.tickNotSeenAt = null;
  }

  reportError(error: MumbleLinkError): void {
    const key = `${error.code}:${error.message}`;
    if (key === this.lastErrorKey) return;
    this.lastErrorKey = key;
    this.emitter.emit('error', error);
  }

  checkStale(now: number): void {
    if (
      this.lastTick !== undefined &&
      this.status !== 'stale' &&
      now - this.lastTickChangeAt >= this.staleAfterMs
    ) {
      this.velocity.reset();
      this.setStatus('stale', now);
    }
    if (this.status === 'stale') this.reopenIfLong(now);
  }

  /** Stale for {@link reopenAfterMs} (since the last tick or reopen): is the game still there? */
  private reopenIfLong(now: number): void {
    const since = Math.max(this.lastTickChangeAt, this.lastReopenAt);
    if (this.source?.reopen === undefined || now - since < this.reopenAfterMs) return;
    this.lastReopenAt = now;
    try {
      this.source.reopen();
    } catch (cause) {
      this.reportError(asError(cause, `cannot reopen ${this.description}`));
    }
  }

  poll(): void {
    if (!this.running || this.source === null) return;
    const now = this.clock.monotonicMs();
    let bytes: Uint8Array | null;
    try {
      bytes = this.source.read();
    } catch (cause) {
      // Nothing learnt about when the block changed: the window stays open from the last read.
      this.reportError(asError(cause, `cannot read ${this.description}`));
      this.checkStale(now);
      return;
    }
    const tick = bytes === null ? undefined : readTick(bytes);
    if (this.lastReadAt === null || tick !== this.lastReadTick)
      this.tickNotSeenAt = this.lastReadAt;
    this.lastReadAt = now;
    this.lastReadTick = tick;
    if (bytes === null || (tick === 0 && readVersion(bytes) === 0)) {
      this.lastErrorKey = null;
      if (this.lastTick !== undefined) this.forgetSession();
      this.setStatus('waiting', now);
      return;
    }
    if (tick !== undefined && tick === this.lastTick) {
      this.checkStale(now);
      return;
    }
    const decoded = this.decode(bytes);
    if (!decoded.ok) {
      this.reportError(decoded.error);
      this.checkStale(now);
      return;
    }
    this.lastErrorKey = null;
    this.accept(decoded.value, now);
  }

  private decode(bytes: Uint8Array): ReturnType<FrameDecoder['decode']> {
    try {
      return this.decoder.decode(bytes);
    } catch (cause) {
      // The decoder returns failures; a throw is a bug. Report it and keep polling, with a fresh
      // decoder since the cache may be half updated. (This runs in a timer: a throw would end
      // the racer's process.)
      this.decoder = createFrameDecoder({ partial: this.partial });
      const message = `cannot decode the ${bytes.length}-byte block from ${this.description}: ${describeCause(cause)}`;
      return { ok: false, error: new MumbleLinkErrorClass('DECODE_FAILED', message, { cause }) };
    }
  }

  /** A new block: restarts, status, map change, motion, then the events. */
  private accept(frame: MumbleLinkFrame, now: number): void {
    const ticksAdvanced = this.advance(frame, now);
    this.lastTick = frame.tick;
    this.lastTickChangeAt = now;
    this.lastProcessId = frame.context.processId;
    const mapId = frame.context.mapId;
    const previousMapId = this.lastMapId;
    if (previousMapId !== undefined && previousMapId !== mapId) this.velocity.reset();
    this.lastMapId = mapId;
    const motion = this.velocity.update(frame.avatar.position, now);
    const sample: MumbleLinkSample = {
      frame,
      receivedAt: now,
      previousPollAt: this.tickNotSeenAt,
      ticksAdvanced,
      ...motion,
    };
    this.latest = sample;
    if (previousMapId !== mapId) {
      this.emitter.emit('mapChange', { previousMapId: previousMapId ?? null, mapId, sample });
    }
    this.emitter.emit('frame', sample);
  }

  /** Ticks since the last block (0 after a restart, reported as `tickReset`), and the status. */
  private advance(frame: MumbleLinkFrame, now: number): number {
    const { lastTick, lastProcessId } = this;
    if (lastTick === undefined) {
      if (this.status === 'stopped' || this.status === 'waiting') this.setStatus('starting', now);
      return 0;
    }
    const processId = frame.context.processId;
    const restarted: TickReset['reason'] | null =
      lastProcessId !== undefined && processId !== lastProcessId
        ? 'process-changed'
        : frame.tick < lastTick
          ? 'backwards'
          : null;
    let ticksAdvanced = 0;
    if (restarted !== null) {
      this.velocity.reset();
      const reset = { previousTick: lastTick, tick: frame.tick, reason: restarted, at: now };
      this.emitter.emit('tickReset', reset);
    } else {
      ticksAdvanced = frame.tick - lastTick;
    }
    this.setStatus('live', now);
    return ticksAdvanced;
  }

  schedule(): void {
    if (!this.running) return;
    const now = this.clock.monotonicMs();
    // Due times from an integer count, so the cadence does not drift with rounding.
    let due = this.cadenceStart + (++this.pollIndex * 1000) / this.pollHz;
    if (due < now - this.periodMs) {
      // After a long pause (suspended laptop, blocked loop) resume the cadence instead of bursting.
      this.cadenceStart = now;
      this.pollIndex = 1;
      due = now + this.periodMs;
    }
    this.timer = this.scheduler.setTimeout(() => this.onTimer(), Math.max(0, due - now));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (!this.running) return;
    this.schedule();
    this.poll();
  }

  private async openSource(): Promise<MumbleLinkSource> {
    const given = this.options.source;
    if (typeof given === 'object') return given;
    this.ownsSource = true;
    if (typeof given === 'function') return given();
    const { name, path } = this.options;
    return openMumbleLinkSource({
      ...(name !== undefined ? { name } : {}),
      ...(path !== undefined ? { path } : {}),
    });
  }

  start(): Promise<void> {
    if (this.running && this.starting !== null) return this.starting;
    this.running = true;
    const current = ++this.generation;
    this.decoder = createFrameDecoder({ partial: this.partial });
    this.forgetSession();
    this.forgetReads();
    this.latest = null;
    this.lastErrorKey = null;
    this.starting = this.begin(current);
    return this.starting;
  }

  private async begin(current: number): Promise<void> {
    let opened: MumbleLinkSource;
    try {
      opened = await this.openSource();
    } catch (cause) {
      const error = asError(cause, `cannot open ${this.description}`);
      if (current === this.generation) {
        this.running = false;
        this.starting = null;
        this.emitter.emit('error', error);
      }
      throw error;
    }
    if (current !== this.generation) {
      if (this.ownsSource) opened.close();
      return;
    }
    this.source = opened;
    this.description = opened.description;
    this.setStatus('starting', this.clock.monotonicMs());
    this.cadenceStart = this.clock.monotonicMs();
    this.pollIndex = 0;
    this.schedule();
    this.poll();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.starting = null;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.source !== null && this.ownsSource) this.source.close();
    this.source = null;
    this.setStatus('stopped', this.clock.monotonicMs());
    this.emitter.emit('stop', undefined);
  }
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
  const state = new ReaderState(options);
  const start = () => state.start();
  const stop = () => state.stop();
  const host = {
    emitter: state.emitter,
    get running() {
      return state.running;
    },
    start,
    stop,
  };
  return {
    get status() {
      return state.status;
    },
    get description() {
      return state.description;
    },
    get latest() {
      return state.latest;
    },
    start,
    stop,
    poll: () => state.poll(),
    on: (event, listener) => state.emitter.on(event, listener),
    off: (event, listener) => state.emitter.off(event, listener),
    frames: (framesOptions) => createFramesIterator(host, framesOptions),
    [Symbol.asyncIterator]: () => createFramesIterator(host),
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
