import { createReadStream } from 'node:fs';
import { type FileHandle, open, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { err, type Result } from '@gw2race/protocol';
import type { GunzipMember } from '../gzip-member';
import { type OpenReplayOptions, openReplay, type Replay } from '../open-replay';
import { type ReplayReader, readReplay } from '../read-replay';
import { type RecoveredReplay, recoverReplay } from '../recover-replay';
import type { ReplayDecoderOptions } from '../replay-decoder';
import { ReplayError } from '../replay-error';
import { replayFileName } from '../replay-file-name';
import type { ReplayHeaderInit } from '../replay-header';
import {
  continueReplayWriter,
  createReplayWriter,
  type ReplaySink,
  type ReplayWriter,
  type ReplayWriterOptions,
} from '../replay-writer';

const errorCode = (cause: unknown): string | undefined => {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Node's native gunzip for the readers' `gunzip` option: inflates a member several times faster
 * than fflate and checks its CRC-32. The file helpers below use it by default. It stops at the
 * size the member claims (`maxOutputLength`): past it, a {@link ReplayError} `TOO_LARGE`, and
 * never more memory than that claim (itself at most 256 MiB).
 *
 * @example
 * openReplay(bytes, { gunzip: nodeGunzip });
 */
export const nodeGunzip: GunzipMember = (member, maxOutputLength) => {
  try {
    // Node refuses a limit of 0; a member that claims no text and has one byte fails its length check.
    return gunzipSync(member, { maxOutputLength: Math.max(1, maxOutputLength) });
  } catch (cause) {
    if (errorCode(cause) !== 'ERR_BUFFER_TOO_LARGE') throw cause;
    throw new ReplayError(
      'TOO_LARGE',
      `the member inflates to more than ${maxOutputLength} bytes`,
      {
        cause,
      },
    );
  }
};

/** A system error of a file operation as a {@link ReplayError} `IO_FAILED`, cause kept. */
function ioError(what: string, path: string, cause: unknown): ReplayError {
  const code = errorCode(cause);
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EEXIST'
        ? 'the file exists already (it is never overwritten)'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : cause instanceof Error
              ? cause.message
              : String(cause);
  return new ReplayError('IO_FAILED', `cannot ${what} ${path}: ${why}`, { cause });
}

/** Opens `path` for writing, as a {@link ReplayError} `IO_FAILED` when it cannot be. */
async function openForWriting(path: string, exclusive: boolean): Promise<FileHandle> {
  try {
    return await open(path, exclusive ? 'wx' : 'w');
  } catch (cause) {
    throw ioError('create', path, cause);
  }
}

/** Options of {@link createFileSink}. */
export interface FileSinkOptions {
  /** Refuse to overwrite an existing file (default true). */
  readonly exclusive?: boolean;
  /**
   * What `sync` does after each member: `fsync` (default: data and metadata on disk), `datasync`
   * (data and size only, a little cheaper), or `none` (leave it to the OS: faster, not crash-safe).
   */
  readonly sync?: 'fsync' | 'datasync' | 'none';
}

/**
 * A {@link ReplaySink} that appends to a file and makes each member durable before the next
 * one: after a crash the file holds every member the writer finished, and a cut-off last one
 * at most (see `recoverReplay`). Rejects with {@link ReplayError} `IO_FAILED` when the file
 * cannot be created (it exists already, the folder is missing, …).
 */
export async function createFileSink(
  path: string,
  options: FileSinkOptions = {},
): Promise<ReplaySink> {
  return sinkOf(await openForWriting(path, options.exclusive !== false), options);
}

function sinkOf(handle: FileHandle, options: FileSinkOptions): ReplaySink {
  const mode = options.sync ?? 'fsync';
  return {
    async write(bytes) {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
    },
    async sync() {
      if (mode === 'fsync') await handle.sync();
      else if (mode === 'datasync') await handle.datasync();
    },
    async close() {
      await handle.close();
    },
  };
}

/** Options of {@link createReplayFileWriter}. */
export interface ReplayFileWriterOptions extends ReplayWriterOptions, FileSinkOptions {
  /**
   * Write out what is buffered once no message has been appended for about this long (ms), so
   * a recording whose messages stop is on disk within this long, not only when the next one
   * comes. Default: `flushIntervalMs` (5000). `false`: no timer (call `flush()` yourself). The
   * timer is unref'd (it never keeps the process alive) and stops at `close()`.
   */
  readonly idleFlushMs?: number | false;
  /**
   * Called when a flush of the idle timer fails. The failure also surfaces on the next
   * `append()` and on `close()`, so the default (none) loses nothing.
   */
  readonly onError?: (error: ReplayError) => void;
}

/** Most recordings of one race started within the same second that get their own name. */
const MAX_SEQUENCE = 1000;

/**
 * Starts recording a race to a file. `target` is a directory (the file is named
 * `race_{raceId}_{timestamp}.replay.jsonl.gz` inside it, `…Z-2.replay.jsonl.gz` and so on when a
 * recording of the race started within the same second is there already) or a full path. Each
 * member is written and fsynced before the next; while messages stop, an idle timer writes out
 * what is buffered (`idleFlushMs`); `close()` the writer when the race is over.
 *
 * Rejects with {@link ReplayError} `IO_FAILED` when the file cannot be created (a full path
 * that exists, a missing folder, …), `INVALID_ARGUMENT` for a bad header or options.
 *
 * @example
 * const { writer, path } = await createReplayFileWriter('./recordings', { raceId: 'abc123', createdAt: Date.now() / 1000 });
 * writer.append(received);
 * await writer.close();
 */
export async function createReplayFileWriter(
  target: string,
  header: ReplayHeaderInit,
  options: ReplayFileWriterOptions = {},
): Promise<{ path: string; writer: ReplayWriter }> {
  const idleFlushMs = options.idleFlushMs ?? options.flushIntervalMs ?? 5000;
  if (idleFlushMs !== false && !(typeof idleFlushMs === 'number' && idleFlushMs > 0)) {
    throw new ReplayError(
      'INVALID_ARGUMENT',
      `idleFlushMs must be a positive number or false, got ${String(idleFlushMs)}`,
    );
  }
  const exclusive = options.exclusive !== false;
  let path: string;
  let handle: FileHandle;
  if (target.endsWith('.gz')) {
    path = target;
    handle = await openForWriting(path, exclusive);
  } else {
    // The name says when the race started; a second recording within that second gets -2, ….
    for (let sequence = 1; ; sequence++) {
      path = join(target, replayFileName(header.raceId, header.createdAt, sequence));
      try {
        handle = await open(path, exclusive ? 'wx' : 'w');
        break;
      } catch (cause) {
        if (errorCode(cause) !== 'EEXIST' || sequence >= MAX_SEQUENCE) {
          throw ioError('create', path, cause);
        }
      }
    }
  }
  const sink = sinkOf(handle, options);
  let writer: ReplayWriter;
  try {
    writer = createReplayWriter(sink, header, options);
  } catch (error) {
    await sink.close?.();
    throw error;
  }
  return {
    path,
    writer: idleFlushMs === false ? writer : withIdleFlush(writer, idleFlushMs, options.onError),
  };
}

/**
 * The writer, flushed by an unref'd timer once no message has been appended for `idleMs`. The
 * timer ticks every `idleMs / 2`: a tick that sees no append since the one before flushes, so
 * what was buffered when messages stopped is written within `idleMs`.
 */
function withIdleFlush(
  writer: ReplayWriter,
  idleMs: number,
  onError: ((error: ReplayError) => void) | undefined,
): ReplayWriter {
  let appended = false;
  let buffered = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (appended) {
      appended = false;
      return;
    }
    if (!buffered || stopped) return;
    buffered = false;
    writer.flush().catch((error: unknown) => {
      if (stopped) return;
      onError?.(
        error instanceof ReplayError
          ? error
          : new ReplayError('SINK_FAILED', `flushing the recording failed: ${String(error)}`, {
              cause: error,
            }),
      );
    });
  }, idleMs / 2);
  timer.unref();
  return {
    get header() {
      return writer.header;
    },
    append(message) {
      writer.append(message);
      appended = true;
      buffered = true;
    },
    flush: () => {
      buffered = false;
      return writer.flush();
    },
    close: () => {
      stopped = true;
      clearInterval(timer);
      return writer.close();
    },
    get stats() {
      return writer.stats;
    },
  };
}

/** The pieces of a file, its read errors as {@link ReplayError} `IO_FAILED`. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (cause) {
    throw ioError('read', path, cause);
  } finally {
    stream.destroy();
  }
}

/**
 * Reads a recording file as a stream of messages (see `readReplay`), inflating natively. A file
 * that cannot be read (missing, a folder, …) is a `fatal` {@link ReplayError} `IO_FAILED`
 * (what `header()` fails with), its `cause` the system error.
 */
export function readReplayFile(path: string, options: ReplayDecoderOptions = {}): ReplayReader {
  return readReplay(fileChunks(path), {
    gunzip: nodeGunzip,
    ...options,
  });
}

/** Reads a whole file, or a failed Result with {@link ReplayError} `IO_FAILED`. */
async function readWhole(path: string): Promise<Result<Uint8Array, ReplayError>> {
  try {
    const bytes = await readFile(path);
    return { ok: true, value: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (cause) {
    return err(ioError('read', path, cause));
  }
}

/**
 * Opens a recording file for random access (see `openReplay`), inflating natively. Fails with
 * {@link ReplayError} `IO_FAILED` when the file cannot be read.
 */
export async function openReplayFile(
  path: string,
  options: OpenReplayOptions = {},
): Promise<Result<Replay, ReplayError>> {
  const bytes = await readWhole(path);
  if (!bytes.ok) return bytes;
  return openReplay(bytes.value, {
    gunzip: nodeGunzip,
    ...options,
  });
}

/**
 * Recovers a crashed or damaged recording file (see `recoverReplay`) into `outPath` (default:
 * the same name with `.recovered` before `.replay.jsonl.gz`). The original is left untouched,
 * and so is an existing output file: that, or a file that cannot be read or written, fails
 * with {@link ReplayError} `IO_FAILED`.
 */
export async function recoverReplayFile(
  path: string,
  outPath?: string,
): Promise<Result<RecoveredReplay & { path: string }, ReplayError>> {
  const bytes = await readWhole(path);
  if (!bytes.ok) return bytes;
  const recovered = recoverReplay(bytes.value);
  if (!recovered.ok) return recovered;
  const target =
    outPath ??
    (path.endsWith('.replay.jsonl.gz')
      ? `${path.slice(0, -'.replay.jsonl.gz'.length)}.recovered.replay.jsonl.gz`
      : `${path}.recovered.gz`);
  try {
    await writeFile(target, recovered.value.bytes, { flag: 'wx' });
  } catch (cause) {
    return err(ioError('write the recovered recording to', target, cause));
  }
  return { ok: true, value: { ...recovered.value, path: target } };
}

/** A recording carried on by {@link resumeReplayFile}. */
export interface ResumedReplayFile {
  readonly path: string;
  /** Appends after the recording's intact members; `close()` writes an index of them all. */
  readonly writer: ReplayWriter;
  /**
   * The recording as it stood, made whole (`recoverReplay`): its `bytes` are what the file held
   * that can be read (read them back with `readReplay` to rebuild what was recorded), its
   * `report` what the crash cost (`truncated`, `lostBytes`, `lastAt`).
   */
  readonly recovered: RecoveredReplay;
  /** Where the file as it was found went, when it had damage before its end; else undefined. */
  readonly damagedCopy: string | undefined;
}

/** Whether `bytes` starts with `prefix`. */
function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * Carries on a recording whose writer died (a host killed mid-race): keeps every intact member,
 * drops the cut-off last one, and returns a writer that appends after them, so the file stays
 * one recording that reads, seeks and re-judges whole once closed. The usual crash (a member
 * cut short at the end) truncates the file to its intact members; damage before the end (a bad
 * copy) keeps the file as found beside it (`….damaged-N`) and rewrites the intact members.
 *
 * Fails with {@link ReplayError} `CLOSED` when the file has its index trailer (its writer
 * closed it: the race is over), `IO_FAILED` when it cannot be read or written, `NOT_A_REPLAY`
 * or `INVALID_HEADER` when its header is lost.
 *
 * @example
 * const resumed = await resumeReplayFile(path);
 * if (resumed.ok) for await (const entry of readReplay(resumed.value.recovered.bytes)) rebuild(entry);
 */
export async function resumeReplayFile(
  path: string,
  options: Omit<ReplayFileWriterOptions, 'quantization' | 'exclusive'> = {},
): Promise<Result<ResumedReplayFile, ReplayError>> {
  const bytes = await readWhole(path);
  if (!bytes.ok) return bytes;
  const recovered = recoverReplay(bytes.value);
  if (!recovered.ok) return recovered;
  if (recovered.value.report.hadIndex) {
    return err(new ReplayError('CLOSED', `${path} was closed by its writer: its race is over`, {}));
  }
  const { index } = recovered.value;
  let end = 0;
  for (const member of index.members) end = Math.max(end, member.offset + member.length);
  const intact = recovered.value.bytes.subarray(0, end);
  let damagedCopy: string | undefined;
  try {
    if (startsWith(bytes.value, intact)) {
      if (bytes.value.length > end) await truncate(path, end);
    } else {
      damagedCopy = await keepDamagedCopy(path);
      await writeFile(`${path}.tmp`, intact);
      await rename(`${path}.tmp`, path);
    }
  } catch (cause) {
    return err(ioError('carry on', path, cause));
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'a');
  } catch (cause) {
    return err(ioError('append to', path, cause));
  }
  const writer = continueReplayWriter(
    sinkOf(handle, options),
    recovered.value.header,
    index,
    options,
  );
  const idleFlushMs = options.idleFlushMs ?? recovered.value.header.flushIntervalMs ?? 5000;
  return {
    ok: true,
    value: {
      path,
      writer:
        idleFlushMs === false || !(idleFlushMs > 0)
          ? writer
          : withIdleFlush(writer, idleFlushMs, options.onError),
      recovered: recovered.value,
      damagedCopy,
    },
  };
}

/** Renames the file as found to the first free `….damaged-N` beside it. */
async function keepDamagedCopy(path: string): Promise<string> {
  for (let n = 1; ; n++) {
    const target = `${path}.damaged-${n}`;
    try {
      await writeFile(target, await readFile(path), { flag: 'wx' });
      return target;
    } catch (cause) {
      if (errorCode(cause) !== 'EEXIST' || n >= MAX_SEQUENCE) throw cause;
    }
  }
}
