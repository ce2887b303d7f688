import type { MessageOf, ReceivedMessage } from '@gw2race/protocol';
import type { DecodedMember } from './member-decoder';
import type { DecodedChunk, QuantizationFrame } from './position-line';
import type { ReplayEntry } from './replay-entry';

/** The position message of sample `i` of a decoded chunk, in metres and epoch seconds. */
export function chunkSampleEntry(
  chunk: DecodedChunk,
  i: number,
  frame: QuantizationFrame,
): Extract<ReceivedMessage, { kind: 'pos' }> {
  const { timeScale, positionScale, speedScale } = frame.quantization;
  const values = chunk.values;
  const t = values[chunk.t + i]!;
  const message: MessageOf<'pos'> = {
    playerId: chunk.playerId,
    t: (frame.origin + t) / timeScale,
    x: values[chunk.x + i]! / positionScale,
    y: values[chunk.y + i]! / positionScale,
    z: values[chunk.z + i]! / positionScale,
  };
  if (chunk.v >= 0) {
    const v = values[chunk.v + i]!;
    if (!Number.isNaN(v)) message.v = v / speedScale;
  }
  if (chunk.mapId >= 0) {
    const value = values[chunk.mapId + i]!;
    if (!Number.isNaN(value)) message.mapId = value;
  }
  if (chunk.mount >= 0) {
    const value = values[chunk.mount + i]!;
    if (!Number.isNaN(value)) message.mount = value;
  }
  if (chunk.tick >= 0) {
    const value = values[chunk.tick + i]!;
    if (!Number.isNaN(value)) message.tick = value;
  }
  if (chunk.seq >= 0) {
    const value = values[chunk.seq + i]!;
    if (!Number.isNaN(value)) message.seq = value;
  }
  if (chunk.u >= 0) {
    const value = values[chunk.u + i]!;
    if (!Number.isNaN(value)) message.u = value / timeScale;
  }
  if (chunk.sig) {
    const sig = chunk.sig[i];
    if (typeof sig === 'string') message.sig = sig;
  }
  const at = (frame.origin + t + values[chunk.lag + i]!) / timeScale;
  return chunk.topic
    ? { kind: 'pos', at, message, playerId: chunk.playerId }
    : { kind: 'pos', at, message };
}

/**
 * Every message of a decoded member, ordered by host receive time. Ties keep the order of the
 * file: event lines first, in line order, then positions, player by player in `players` order.
 */
export function memberEntries(decoded: DecodedMember, frame: QuantizationFrame): ReplayEntry[] {
  let total = decoded.events.length;
  for (const chunk of decoded.chunks) total += chunk.n;
  const times = new Float64Array(total);
  const entries: ReplayEntry[] = new Array(total);
  let k = 0;
  for (const event of decoded.events) {
    times[k] = event.at;
    entries[k++] = event.entry;
  }
  for (const chunk of decoded.chunks) {
    for (let i = 0; i < chunk.n; i++) {
      const entry = chunkSampleEntry(chunk, i, frame);
      times[k] = entry.at;
      entries[k++] = entry;
    }
  }
  let sorted = true;
  for (let i = 1; i < total; i++) {
    if (times[i]! < times[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return entries;
  const order = Array.from({ length: total }, (_, i) => i);
  // Array.prototype.sort is stable; ties keep file order.
  order.sort((a, b) => times[a]! - times[b]!);
  return order.map((i) => entries[i]!);
}
