import { createFileSource } from './file-source';
import { createFileWriter } from './file-writer';
import type { Kernel32Bindings } from './shared-memory';
import { openSharedMemorySource, openSharedMemoryWriter } from './shared-memory';
import type { MumbleLinkSource } from './source';
import { DEFAULT_MUMBLE_LINK_NAME, defaultMumbleLinkPath } from './source';
import type { MumbleLinkWriter } from './writer';

/** Options of {@link openMumbleLinkSource} and {@link openMumbleLinkWriter}. */
export interface OpenMumbleLinkOptions {
  /**
   * Link name (default `MumbleLink`; the game's `-mumble NAME`): the mapping name on Windows,
   * the file `/dev/shm/<name>` elsewhere.
   */
  name?: string;
  /** A file to use instead, on any platform (a bridge's output, a simulation file). */
  path?: string;
  /** Platform to act for (default `process.platform`). */
  platform?: string;
  /** Native calls for the Windows mapping (default kernel32 via koffi). */
  bindings?: Kernel32Bindings;
}

/**
 * The usual source for this machine: named shared memory on Windows, `/dev/shm/<name>` on Linux
 * (where a Wine/Proton bridge copies the block), or `path` when given.
 *
 * @example
 * const source = await openMumbleLinkSource(); // Windows: shared memory "MumbleLink"
 */
export async function openMumbleLinkSource(
  options: OpenMumbleLinkOptions = {},
): Promise<MumbleLinkSource> {
  const name = options.name ?? DEFAULT_MUMBLE_LINK_NAME;
  if (options.path === undefined && (options.platform ?? process.platform) === 'win32') {
    return openSharedMemorySource(
      options.bindings ? { name, bindings: options.bindings } : { name },
    );
  }
  return createFileSource({ path: options.path ?? defaultMumbleLinkPath(name) });
}

/**
 * The writer matching {@link openMumbleLinkSource}: what a simulation uses so the real reading
 * path runs end to end.
 */
export async function openMumbleLinkWriter(
  options: OpenMumbleLinkOptions = {},
): Promise<MumbleLinkWriter> {
  const name = options.name ?? DEFAULT_MUMBLE_LINK_NAME;
  if (options.path === undefined && (options.platform ?? process.platform) === 'win32') {
    return openSharedMemoryWriter(
      options.bindings ? { name, bindings: options.bindings } : { name },
    );
  }
  return createFileWriter({ path: options.path ?? defaultMumbleLinkPath(name) });
}
