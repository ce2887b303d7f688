/**
 * The bytes a decoder holds: what has arrived and is not yet consumed as whole members, in a
 * buffer that is compacted or grown as pieces arrive (no copy per member).
 */
export class ByteWindow {
  /** The buffer; bytes `[0, length)` are held. */
  bytes = new Uint8Array(64 * 1024);
  /** Bytes held in `bytes`. */
  length = 0;
  /** First unconsumed byte in `bytes`. */
  start = 0;
  /** File offset of `bytes[0]`. */
  base = 0;

  /** File offset of the first unconsumed byte: the bytes consumed so far. */
  get offset(): number {
    return this.base + this.start;
  }

  /** The bytes held (consumed ones included, so offsets into it are buffer offsets). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Adds `piece` after the bytes held, dropping consumed bytes or growing the buffer to fit. */
  append(piece: Uint8Array): void {
    if (this.length + piece.length > this.bytes.length) {
      const kept = this.length - this.start;
      if (kept + piece.length > this.bytes.length) {
        const grown = new Uint8Array(Math.max(this.bytes.length * 2, kept + piece.length));
        grown.set(this.bytes.subarray(this.start, this.length), 0);
        this.bytes = grown;
      } else {
        this.bytes.copyWithin(0, this.start, this.length);
      }
      this.base += this.start;
      this.length = kept;
      this.start = 0;
    }
    this.bytes.set(piece, this.length);
    this.length += piece.length;
  }
}
