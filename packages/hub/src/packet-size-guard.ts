/**
 * Reads MQTT fixed headers as the bytes of a connection arrive and says when a packet announces
 * a remaining length over the limit, so the connection can be closed before the packet is
 * buffered (a parser would otherwise hold all of it in memory to parse it). Sans-I/O: feed it
 * every chunk, in order.
 */
export interface PacketSizeGuard {
  /** Scans a chunk; returns the announced size of the first packet over the limit, or undefined. */
  feed(chunk: Uint8Array): number | undefined;
}

/**
 * A {@link PacketSizeGuard} for packets of at most `maxPacketBytes` (fixed header included).
 *
 * @example
 * const guard = createPacketSizeGuard(1024);
 * guard.feed(Uint8Array.of(0x30, 0xff, 0xff, 0x7f)); // 2097156: refuse the connection
 */
export function createPacketSizeGuard(maxPacketBytes: number): PacketSizeGuard {
  // 0: expecting a packet's first byte; 1: reading the length; 2: skipping the body.
  let stage = 0;
  let length = 0;
  let multiplier = 1;
  let headerBytes = 0;
  let skip = 0;
  return {
    feed(chunk) {
      let i = 0;
      while (i < chunk.length) {
        if (stage === 2) {
          const n = Math.min(skip, chunk.length - i);
          skip -= n;
          i += n;
          if (skip === 0) stage = 0;
          continue;
        }
        const byte = chunk[i++] as number;
        if (stage === 0) {
          stage = 1;
          length = 0;
          multiplier = 1;
          headerBytes = 1;
          continue;
        }
        headerBytes++;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if (length + headerBytes > maxPacketBytes) return length + headerBytes;
        if (byte & 0x80) {
          // More than 4 length bytes is malformed; the parser refuses it, we need not.
          if (headerBytes > 5) return length + headerBytes;
          continue;
        }
        skip = length;
        stage = skip === 0 ? 0 : 2;
      }
      return undefined;
    },
  };
}
