/**
 * Where a recording goes: a file, a buffer, an upload. The writer calls `write` with each gzip
 * member in order, then `sync`, so a sink that makes `sync` durable (fsync) loses at most the
 * member being written when the process dies. Methods may return promises; the writer never
 * overlaps calls.
 */
export interface ReplaySink {
  /** Appends bytes at the end of the recording. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Makes everything written so far durable. Called after every member. */
  sync?(): void | Promise<void>;
  /** Releases the sink; called once, by `close()`. */
  close?(): void | Promise<void>;
}
