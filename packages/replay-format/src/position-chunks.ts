import type { PosMessage } from '@gw2race/protocol';
import type { DecodedEvent, DecodedMember } from './member-decoder';
import type { DecodedChunk } from './position-line';
import type { ReplayHeader } from './replay-header';

/** Positions a member stores as plain event lines, as chunks in the units of position lines. */
const eventChunksCache = new WeakMap<DecodedMember, DecodedChunk[]>();

/**
 * Every position of a member as chunks: its position lines, plus the positions it stores exactly
 * as event lines (`compactPositions: false`, or values a position line cannot hold), so seeking
 * and tracks see every sample.
 */
export function positionChunks(decoded: DecodedMember, header: ReplayHeader): DecodedChunk[] {
  let extra = eventChunksCache.get(decoded);
  if (!extra) {
    extra = eventPositionChunks(decoded.events, header);
    eventChunksCache.set(decoded, extra);
  }
  return extra.length === 0 ? decoded.chunks : [...decoded.chunks, ...extra];
}

function eventPositionChunks(
  events: readonly DecodedEvent[],
  header: ReplayHeader,
): DecodedChunk[] {
  const byPlayer = new Map<string, { message: PosMessage; at: number; topic: boolean }[]>();
  for (const { entry } of events) {
    if (entry.kind !== 'pos') continue;
    const list = byPlayer.get(entry.message.playerId) ?? [];
    list.push({ message: entry.message, at: entry.at, topic: entry.playerId !== undefined });
    byPlayer.set(entry.message.playerId, list);
  }
  const { timeScale, positionScale, speedScale } = header.quantization;
  const chunks: DecodedChunk[] = [];
  for (const [playerId, samples] of byPlayer) {
    const n = samples.length;
    // Columns t x y z lag v mapId mount, in the units of a position line (not rounded).
    const values = new Float64Array(8 * n);
    samples.forEach(({ message, at }, k) => {
      const t = message.t * timeScale - header.origin;
      values[k] = t;
      values[n + k] = message.x * positionScale;
      values[2 * n + k] = message.y * positionScale;
      values[3 * n + k] = message.z * positionScale;
      values[4 * n + k] = at * timeScale - header.origin - t;
      values[5 * n + k] = message.v === undefined ? Number.NaN : message.v * speedScale;
      values[6 * n + k] = message.mapId ?? Number.NaN;
      values[7 * n + k] = message.mount ?? Number.NaN;
    });
    chunks.push({
      playerId,
      topic: samples[0]?.topic ?? false,
      n,
      values,
      t: 0,
      x: n,
      y: 2 * n,
      z: 3 * n,
      lag: 4 * n,
      v: 5 * n,
      mapId: 6 * n,
      mount: 7 * n,
      tick: -1,
      seq: -1,
      u: -1,
      sig: undefined,
    });
  }
  return chunks;
}
