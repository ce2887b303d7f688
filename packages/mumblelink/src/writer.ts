import type { MumbleLinkFrame } from './frame';

/**
 * Keeps a MumbleLink block up to date: what the game does, for tests, simulation and bridges.
 * Readers see each write as a new block; the tick is written last, so a reader that sees a new
 * tick also sees the data written with it.
 */
export interface MumbleLinkWriter {
  /** What is written, for people: `shared memory "MumbleLink"` or a path. */
  readonly description: string;
  /**
   * Writes a frame (encoded with `encodeFrame`), or raw bytes as they are (any length: a test
   * can write a short or padded block).
   */
  write(frame: MumbleLinkFrame | Uint8Array): void;
  /** Releases the file or mapping. Idempotent. */
  close(): void;
}
