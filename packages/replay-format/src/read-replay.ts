import { err, ok, type Result } from '@gw2race/protocol';
import { createReplayDecoder, type ReplayDecoderOptions } from './replay-decoder';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import type { ReplayIndex } from './replay-index';

/**
 * Where a recording comes from: the whole file in memory, or a stream of pieces (a `fetch`
 * body, a Node stream, any async iterable). Web streams are read through `getReader()`, so no
 * Node stream API is needed in browsers.
 */
export type ReplaySource =
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** The messages of a recording, in receive order, with the header and problems on the side. */
export interface ReplayReader extends AsyncIterable<ReplayEntry> {
  /**
   * The header, reading as far as needed to find it (messages read meanwhile are kept for the
   * iteration). Fails when the source is not a readable recording.
   */
  header(): Promise<Result<ReplayHeader, ReplayError>>;
  /** Problems found so far (skipped lines and members, a truncated tail). */
  readonly issues: readonly ReplayError[];
  /** The index trailer, once read (closed recordings only). */
  readonly index: ReplayIndex | undefined;
  /** Set when the source cannot be read at all; iteration then ends early. */
  readonly fatal: ReplayError | undefined;
}

/** Pieces of an in-memory file handed to the decoder, so memory stays bounded while iterating. */
const PIECE = 256 * 1024;

async function* piecesOf(source: ReplaySource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    for (let at = 0; at < bytes.length; at += PIECE) yield bytes.subarray(at, at + PIECE);
    return;
  }
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      // Stopped early (a break out of the loop): stop the download too.
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/**
 * Reads a recording as the messages the host received, in order: positions back in metres and
 * epoch seconds (within the quantization step), every other message exactly as recorded and
 * validated against its protocol schema. Unknown kinds come through as
 * `UnknownReceivedMessage`s (`kind: 'unknown'`); bad lines and members are skipped and listed in `issues`.
 * Works the same in Node and browsers (fflate, no Node streams). Reading a source twice is not
 * supported: iterate once.
 *
 * @example
 * const replay = readReplay(await fetch(url).then((r) => r.body!));
 * const header = await replay.header();
 * for await (const message of replay) if (message.kind === 'checkpoint') console.log(message);
 */
export function readReplay(source: ReplaySource, options: ReplayDecoderOptions = {}): ReplayReader {
  const decoder = createReplayDecoder(options);
  const pieces = piecesOf(source);
  const queue: ReplayEntry[] = [];
  let head = 0;
  let done = false;
  let failed: ReplayError | undefined;
  /** The source failed before the header: nothing can be read (fatal, not an issue). */
  let sourceFatal: ReplayError | undefined;

  const pull = async (): Promise<void> => {
    if (done) return;
    let next: IteratorResult<Uint8Array>;
    try {
      next = await pieces.next();
    } catch (cause) {
      // An I/O failure of the source (a missing file, a dropped download): its cause is kept.
      const problem =
        cause instanceof ReplayError && cause.code === 'IO_FAILED'
          ? cause
          : new ReplayError(
              'IO_FAILED',
              `the source failed after ${decoder.bytesRead} bytes: ${String(cause)}`,
              { cause },
            );
      if (decoder.header) failed = problem;
      else sourceFatal = problem;
      options.onIssue?.(problem);
      next = { done: true, value: undefined };
    }
    if (next.done) {
      done = true;
      if (!sourceFatal) for (const entry of decoder.finish()) queue.push(entry);
      return;
    }
    for (const entry of decoder.push(next.value)) queue.push(entry);
  };

  const take = (): ReplayEntry | undefined => {
    if (head >= queue.length) return undefined;
    const entry = queue[head]!;
    queue[head++] = undefined as unknown as ReplayEntry;
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return entry;
  };

  let iterating = false;
  return {
    async header() {
      while (!decoder.header && !decoder.fatal && !done) await pull();
      if (decoder.header) return ok(decoder.header);
      return err(
        sourceFatal ??
          decoder.fatal ??
          new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'),
      );
    },
    get issues() {
      return failed ? [...decoder.issues, failed] : decoder.issues;
    },
    get index() {
      return decoder.index;
    },
    get fatal() {
      return sourceFatal ?? decoder.fatal;
    },
    [Symbol.asyncIterator](): AsyncIterator<ReplayEntry> {
      if (iterating)
        throw new ReplayError('INVALID_ARGUMENT', 'a ReplayReader can be iterated once');
      iterating = true;
      // A plain iterator rather than an async generator: most calls return a message that is
      // already decoded, without resuming a generator.
      const next = async (): Promise<IteratorResult<ReplayEntry>> => {
        for (;;) {
          const entry = take();
          if (entry !== undefined) return { done: false, value: entry };
          if (done || decoder.fatal || sourceFatal) return { done: true, value: undefined };
          await pull();
        }
      };
      return {
        next() {
          const entry = take();
          return entry !== undefined ? Promise.resolve({ done: false, value: entry }) : next();
        },
        async return() {
          done = true;
          await pieces.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
