import type { Emitter } from './emitter';
import type { FramesOptions, MumbleLinkReaderEvents, MumbleLinkSample } from './reader-types';

/** What {@link createFramesIterator} needs of its reader. */
export interface FramesHost {
  readonly emitter: Emitter<MumbleLinkReaderEvents>;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): void;
}

/**
 * New samples as an async iterator, buffering up to `bufferSize` for a slow consumer. Starts the
 * reader if it is not running; leaving the loop stops it again if this iterator started it. Ends
 * when the reader stops, and rejects with the error if the start it made failed.
 */
export function createFramesIterator(
  host: FramesHost,
  options: FramesOptions = {},
): AsyncIterableIterator<MumbleLinkSample> {
  const bufferSize = Math.max(1, options.bufferSize ?? 64);
  const queue: MumbleLinkSample[] = [];
  let waiter: {
    resolve(r: IteratorResult<MumbleLinkSample>): void;
    reject(e: unknown): void;
  } | null = null;
  let finished = false;
  let failure: unknown = null;
  const startedHere = !host.running;

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
  const offFrame = host.emitter.on('frame', (sample) => {
    if (waiter !== null) {
      const pending = waiter;
      waiter = null;
      pending.resolve({ value: sample, done: false });
      return;
    }
    queue.push(sample);
    if (queue.length > bufferSize) queue.shift();
  });
  const offStop = host.emitter.on('stop', finish);
  if (startedHere) {
    host.start().catch((cause: unknown) => {
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
      if (startedHere) host.stop();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
