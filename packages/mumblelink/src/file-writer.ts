import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeFrameInto } from './encode-frame';
import { describeCause, MumbleLinkError } from './errors';
import { LINKED_MEM_SIZE } from './layout';
import { defaultMumbleLinkPath } from './source';
import type { MumbleLinkWriter } from './writer';

/** Options of {@link createFileWriter}. */
export interface FileWriterOptions {
  /** The file to write (default `/dev/shm/<name>`); its directory is created if needed. */
  path?: string;
  /** Link name for the default path (default `MumbleLink`). */
  name?: string;
  /** Delete the file on `close()` (default `false`: readers then see the last block go stale). */
  removeOnClose?: boolean;
}

/**
 * A writer that keeps a file (such as `/dev/shm/MumbleLink`) holding the latest block, updated
 * in place as a bridge does, so file sources and readers run their real path end to end.
 * The file is created empty (readers see "nothing yet") and is 5460 bytes after the first write.
 *
 * @example
 * const writer = createFileWriter({ path: '/dev/shm/MumbleLink-sim' });
 * writer.write(createFrame({ tick: 1, avatar: { position: { x: 1, y: 2, z: 3 } } }));
 */
export function createFileWriter(options: FileWriterOptions = {}): MumbleLinkWriter {
  const path = options.path ?? defaultMumbleLinkPath(options.name);
  const scratch = new Uint8Array(LINKED_MEM_SIZE);
  let size = 0;
  let fd: number | null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (cause) {
    throw new MumbleLinkError('IO_FAILED', `cannot create ${path}: ${describeCause(cause)}`, {
      cause,
    });
  }

  function writeAt(bytes: Uint8Array, position: number): void {
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(fd!, bytes, done, bytes.length - done, position + done);
    }
  }

  return {
    description: path,
    write(frame) {
      if (fd === null) throw new MumbleLinkError('CLOSED', `the writer for ${path} is closed`);
      let bytes: Uint8Array;
      if (frame instanceof Uint8Array) {
        bytes = frame;
      } else {
        encodeFrameInto(frame, scratch);
        bytes = scratch;
      }
      try {
        // Body first, then version and tick: a reader copying front to back never pairs a new
        // tick with an old body.
        if (bytes.length > 8) writeAt(bytes.subarray(8), 8);
        writeAt(bytes.subarray(0, Math.min(8, bytes.length)), 0);
        if (bytes.length < size) ftruncateSync(fd, bytes.length);
        size = bytes.length;
      } catch (cause) {
        throw new MumbleLinkError('IO_FAILED', `cannot write ${path}: ${describeCause(cause)}`, {
          cause,
        });
      }
    },
    close() {
      if (fd === null) return;
      closeSync(fd);
      fd = null;
      if (options.removeOnClose === true) rmSync(path, { force: true });
    },
  };
}
