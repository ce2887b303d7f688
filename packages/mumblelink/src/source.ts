/**
 * Where MumbleLink blocks come from: Windows shared memory, a file, or anything else that
 * yields the bytes (a test double, a network bridge).
 */
export interface MumbleLinkSource {
  /** What is watched, for people: `shared memory "MumbleLink"` or `/dev/shm/MumbleLink`. */
  readonly description: string;
  /**
   * Reads the block now. Returns the bytes (valid until the next call: copy them to keep them),
   * or `null` when there is nothing to read yet (no file, an empty one). Throws a
   * `MumbleLinkError` when reading fails for another reason.
   */
  read(): Uint8Array | null;
  /** Releases the file or mapping. Idempotent. */
  close(): void;
  /**
   * Lets go of the block and opens it anew (optional). A reader calls it when the block has been
   * stale for a while: a Windows mapping that only this process still held disappears, so the
   * fresh one is empty and the reader reports the game as gone (`waiting`) instead of stale.
   */
  reopen?(): void;
}

/** The name GW2 uses unless started with `-mumble NAME`. */
export const DEFAULT_MUMBLE_LINK_NAME = 'MumbleLink';

/**
 * Where a Linux bridge puts the block for a given link name: `/dev/shm/<name>`.
 * (Bridges running inside Wine/Proton copy the Windows mapping there.)
 */
export function defaultMumbleLinkPath(name: string = DEFAULT_MUMBLE_LINK_NAME): string {
  return `/dev/shm/${name}`;
}

/** How many times a source re-reads a block that changed while it was being copied. */
export const CONSISTENT_READ_ATTEMPTS = 4;
