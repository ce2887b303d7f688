import { createReadStream } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Result } from '@gw2race/protocol';
import type { GunzipMember } from '../gzip-member';
import { type OpenReplayOptions, openReplay, type Replay } from '../open-replay';
import { type ReplayReader, readReplay } from '../read-replay';
import { type RecoveredReplay, recoverReplay } from '../recover-replay';
import type { ReplayDecoderOptions } from '../replay-decoder';
import type { ReplayError } from '../replay-error';
import { replayFileName } from '../replay-file-name';
import type { ReplayHeaderInit } from '../replay-header';
import {
  createReplayWriter,
  type ReplaySink,
  type ReplayWriter,
  type ReplayWriterOptions,
} from '../replay-writer';

/**
 * Node's native gunzip for the readers' `gunzip` option: inflates a member several times faster
 * than fflate and checks its CRC-32. The file helpers below use it by default.
 *
 * @example
 * openReplay(bytes, { gunzip: nodeGunzip });
 */
export const nodeGunzip: GunzipMember = (member) => gunzipSync(member);

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
 * at most (see `recoverReplay`).
 */
export async function createFileSink(
  path: string,
  options: FileSinkOptions = {},
): Promise<ReplaySink> {
  const handle = await open(path, options.exclusive === false ? 'w' : 'wx');
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
export interface ReplayFileWriterOptions extends ReplayWriterOptions, FileSinkOptions {}

/**
 * Starts recording a race to a file. `target` is a directory (the file is named
 * `race_{raceId}_{timestamp}.replay.jsonl.gz` inside it) or a full path. Each member is
 * written and fsynced before the next; `close()` the writer when the race is over.
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
  const path = target.endsWith('.gz')
    ? target
    : join(target, replayFileName(header.raceId, header.createdAt));
  const sink = await createFileSink(path, options);
  try {
    return { path, writer: createReplayWriter(sink, header, options) };
  } catch (error) {
    await sink.close?.();
    throw error;
  }
}

/** Reads a recording file as a stream of messages (see `readReplay`), inflating natively. */
export function readReplayFile(path: string, options: ReplayDecoderOptions = {}): ReplayReader {
  return readReplay(createReadStream(path, { highWaterMark: 256 * 1024 }), {
    gunzip: nodeGunzip,
    ...options,
  });
}

/** Opens a recording file for random access (see `openReplay`), inflating natively. */
export async function openReplayFile(
  path: string,
  options: OpenReplayOptions = {},
): Promise<Result<Replay, ReplayError>> {
  const bytes = await readFile(path);
  return openReplay(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    gunzip: nodeGunzip,
    ...options,
  });
}

/**
 * Recovers a crashed or damaged recording file (see `recoverReplay`) into `outPath` (default:
 * the same name with `.recovered` before `.replay.jsonl.gz`). The original is left untouched.
 */
export async function recoverReplayFile(
  path: string,
  outPath?: string,
): Promise<Result<RecoveredReplay & { path: string }, ReplayError>> {
  const bytes = await readFile(path);
  const recovered = recoverReplay(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!recovered.ok) return recovered;
  const target =
    outPath ??
    (path.endsWith('.replay.jsonl.gz')
      ? `${path.slice(0, -'.replay.jsonl.gz'.length)}.recovered.replay.jsonl.gz`
      : `${path}.recovered.gz`);
  await writeFile(target, recovered.value.bytes, { flag: 'wx' });
  return { ok: true, value: { ...recovered.value, path: target } };
}
