import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { describeCause, MumbleLinkError } from './errors';
import { LINKED_MEM_SIZE } from './layout';
import type { MumbleLinkSource } from './source';
import { CONSISTENT_READ_ATTEMPTS, defaultMumbleLinkPath } from './source';

/** Options of {@link createFileSource}. */
export interface FileSourceOptions {
  /** The file to read (default `/dev/shm/<name>`). */
  path?: string;
  /** Link name for the default path (default `MumbleLink`). */
  name?: string;
  /**
   * Read the block twice and again until two copies agree, so a block being rewritten while it
   * is copied is not decoded half old, half new (default `true`).
   */
  consistentReads?: boolean;
  /**
   * Every this many reads, check that the path still names the open file: bridges that restart
   * replace it, and an open descriptor would keep reading the old one (default 30, about twice
   * a second at 60 Hz).
   */
  recheckEvery?: number;
}

/**
 * A source reading the block from a file such as `/dev/shm/MumbleLink`, where Linux bridges
 * running inside Wine/Proton copy the game's shared memory. A missing or empty file reads as
 * `null` (nothing yet); bytes a bridge appends after the block are not read.
 *
 * @example
 * const source = createFileSource({ path: '/dev/shm/MumbleLink' });
 * const bytes = source.read(); // null until a bridge has written the file
 */
export function createFileSource(options: FileSourceOptions = {}): MumbleLinkSource {
  const path = options.path ?? defaultMumbleLinkPath(options.name);
  const consistent = options.consistentReads ?? true;
  const recheckEvery = Math.max(1, options.recheckEvery ?? 30);
  const buffers = [new Uint8Array(LINKED_MEM_SIZE), new Uint8Array(LINKED_MEM_SIZE)] as const;
  // Buffer views of the same memory, for a native compare.
  const compare = new Map(
    buffers.map((b) => [b, Buffer.from(b.buffer, b.byteOffset, b.byteLength)]),
  );
  let fd: number | null = null;
  let identity = '';
  let readsSinceCheck = 0;
  let closed = false;

  function closeFd(): void {
    if (fd === null) return;
    try {
      closeSync(fd);
    } catch {
      // Nothing useful to do: the descriptor is gone either way.
    }
    fd = null;
  }

  function open(): boolean {
    try {
      fd = openSync(path, 'r');
    } catch (cause) {
      if (isMissing(cause)) return false;
      throw new MumbleLinkError('IO_FAILED', `cannot open ${path}: ${describeCause(cause)}`, {
        cause,
      });
    }
    const stats = fstatSync(fd);
    identity = `${stats.dev}:${stats.ino}`;
    readsSinceCheck = 0;
    return true;
  }

  /** True when the path now names another file (or none): the bridge replaced it. */
  function replaced(): boolean {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined || `${stats.dev}:${stats.ino}` !== identity;
  }

  function readInto(buffer: Uint8Array): number {
    try {
      return readSync(fd!, buffer, 0, LINKED_MEM_SIZE, 0);
    } catch (cause) {
      throw new MumbleLinkError('IO_FAILED', `cannot read ${path}: ${describeCause(cause)}`, {
        cause,
      });
    }
  }

  return {
    description: path,
    read() {
      if (closed) throw new MumbleLinkError('CLOSED', `the source for ${path} is closed`);
      if (fd !== null && ++readsSinceCheck >= recheckEvery) {
        readsSinceCheck = 0;
        if (replaced()) closeFd();
      }
      if (fd === null && !open()) return null;
      let [current, other] = buffers;
      let length = readInto(current);
      if (length === 0) {
        // A bridge may have just created (or recreated) the file: look again next time.
        if (replaced()) closeFd();
        return null;
      }
      if (consistent) {
        for (let attempt = 1; attempt < CONSISTENT_READ_ATTEMPTS; attempt++) {
          const again = readInto(other);
          if (again === length && compare.get(current)!.compare(other, 0, length, 0, length) === 0)
            break;
          [current, other] = [other, current];
          length = again;
        }
      }
      return length === 0 ? null : current.subarray(0, length);
    },
    close() {
      closed = true;
      closeFd();
    },
  };
}

function isMissing(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
