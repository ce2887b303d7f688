import { err, ok, type Result } from '@gw2race/protocol';
import type { OpenReplayOptions } from './replay';
import { createReplayDecoder } from './replay-decoder';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import { createReplayWriter, type ReplayWriter } from './replay-writer';

/** A recording written again in this package's layout, with what reading the original found. */
export interface RewrittenReplay {
  readonly bytes: Uint8Array;
  /** The original's header. */
  readonly header: ReplayHeader;
  /** The problems reading the original met. */
  readonly issues: readonly ReplayError[];
}

/**
 * A recording without member lengths (recompressed by another tool, or written by another
 * implementation without the `GR` field), decoded once and written again in this package's
 * layout, for `openReplay` to open. Quantized values survive re-encoding unchanged, so nothing
 * is lost.
 */
export function rewriteReplay(
  bytes: Uint8Array,
  options: OpenReplayOptions,
): Result<RewrittenReplay, ReplayError> {
  const decoder = createReplayDecoder({
    ...(options.verifyChecksums === undefined ? {} : { verifyChecksums: options.verifyChecksums }),
    ...(options.gunzip ? { gunzip: options.gunzip } : {}),
  });
  const entries = [...decoder.push(bytes), ...decoder.finish()];
  const header = decoder.header;
  if (!header) {
    return err(decoder.fatal ?? new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
  }
  const parts: Uint8Array[] = [];
  let writer: ReplayWriter;
  try {
    writer = createReplayWriter(
      { write: (part) => void parts.push(part) },
      {
        raceId: header.raceId,
        createdAt: header.createdAt,
        track: header.track,
        state: header.state,
        mapId: header.mapId,
        laps: header.laps,
        t0: header.t0,
        clockOffsets: header.clockOffsets,
        ...(header.meta ? { meta: header.meta } : {}),
      },
      {
        quantization: header.quantization,
        ...(header.flushIntervalMs > 0 ? { flushIntervalMs: header.flushIntervalMs } : {}),
        ...(header.keyframeIntervalMs > 0 ? { keyframeIntervalMs: header.keyframeIntervalMs } : {}),
      },
    );
  } catch (cause) {
    return err(new ReplayError('INVALID_HEADER', 'the header cannot be written again', { cause }));
  }
  for (const entry of entries) writer.append(entry);
  // With a synchronous sink, close() has handed every member over before it first awaits.
  void writer.close();
  let size = 0;
  for (const part of parts) size += part.length;
  const rewritten = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    rewritten.set(part, at);
    at += part.length;
  }
  return ok({ bytes: rewritten, header, issues: [...decoder.issues] });
}
