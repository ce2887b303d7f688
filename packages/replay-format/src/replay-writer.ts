import { version as packageVersion } from '../package.json';
import type { DeflateLevel } from './gzip-member';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import {
  createReplayHeader,
  DEFAULT_QUANTIZATION,
  type ReplayHeader,
  type ReplayHeaderInit,
  type ReplayQuantization,
} from './replay-header';
import type { ReplayIndex } from './replay-index';
import { type RecorderSettings, ReplayRecorder, type ReplayWriterStats } from './replay-recorder';
import type { ReplaySink } from './replay-sink';

export type { ReplayWriterStats } from './replay-recorder';
export type { ReplaySink } from './replay-sink';

/** The software string written in every header. */
export const WRITER_NAME = `@gw2race/replay-format ${packageVersion}`;

/** Options of {@link createReplayWriter}. */
export interface ReplayWriterOptions {
  /**
   * Cut a gzip member when a message arrives this long (host receive time) after the first
   * message of the current one; at most this much is lost if the host dies. Default 5000 ms
   * (1000 ms costs about 25% more bytes; see the README).
   * There are no timers: when messages stop, call `flush()` yourself.
   */
  readonly flushIntervalMs?: number;
  /** Start a keyframe member at least this often; seeking decodes from one. Default 10000 ms. */
  readonly keyframeIntervalMs?: number;
  /** Quantization of positions; default 1 ms, 1 cm, 0.1 m/s ({@link DEFAULT_QUANTIZATION}). */
  readonly quantization?: Partial<ReplayQuantization>;
  /** Deflate level, 0-9 (default 6). */
  readonly level?: DeflateLevel;
  /**
   * Store positions as quantized, delta-coded position lines (default). `false` writes every position as a
   * plain event line, exactly as received: about five times larger, for a lossless record.
   */
  readonly compactPositions?: boolean;
  /** Cut a member once it holds this many records, whatever the time (default 50000). */
  readonly maxMemberRecords?: number;
}

/** Writes one recording. Create it with {@link createReplayWriter}. */
export interface ReplayWriter {
  /** The header line written first. */
  readonly header: ReplayHeader;
  /**
   * Records a message the host received, in arrival order. Cuts a member when the flush interval
   * has passed (by `message.at`). Throws {@link ReplayError} `WRITER_CLOSED` after `close()`,
   * `SINK_FAILED` once the sink has failed, `INVALID_ARGUMENT` for a non-finite `at`.
   */
  append(message: ReplayEntry): void;
  /** Writes what is buffered as a member now; resolves when the sink has written and synced it. */
  flush(): Promise<void>;
  /**
   * Flushes, appends the index trailer, closes the sink, and resolves with the index. Calling
   * it again returns the same promise.
   */
  close(): Promise<ReplayIndex>;
  /** Counters so far. */
  readonly stats: ReplayWriterStats;
}

/**
 * Creates a writer that records a race into `sink` as a gw2race replay file (see the README for
 * the format). Sans-I/O: it does no I/O and reads no clock itself; members are cut by the
 * messages' own receive times or by `flush()`. The header member is handed to the sink at once.
 *
 * Throws {@link ReplayError} `INVALID_ARGUMENT` for a bad header or options.
 *
 * @example
 * const chunks: Uint8Array[] = [];
 * const writer = createReplayWriter({ write: (b) => void chunks.push(b) }, {
 *   raceId: 'abc123',
 *   createdAt: 1724312300,
 * });
 * writer.append({ kind: 'pos', at: 1724312301.05, message: { playerId: 'p1', t: 1724312301, x: 1, y: 2, z: 3 } });
 * await writer.close();
 */
export function createReplayWriter(
  sink: ReplaySink,
  headerInit: ReplayHeaderInit,
  options: ReplayWriterOptions = {},
): ReplayWriter {
  const settings = recorderSettings(options);
  const header = createReplayHeader(headerInit, {
    writer: WRITER_NAME,
    quantization: { ...DEFAULT_QUANTIZATION, ...options.quantization },
    flushIntervalMs: settings.flushIntervalMs,
    keyframeIntervalMs: settings.keyframeIntervalMs,
  });
  const recorder = new ReplayRecorder(sink, header, settings);
  return {
    header,
    append: (message) => recorder.append(message),
    flush: () => recorder.flush(),
    close: () => recorder.close(),
    get stats(): ReplayWriterStats {
      return recorder.stats;
    },
  };
}

/**
 * A writer that carries on a recording whose writer stopped without closing it (a host that
 * crashed and was restarted): `sink` appends after the recording's intact members, `header` is
 * the recording's own header and `prior` the index of those members (what `recoverReplay` gives
 * back, its trailer not written). It writes no header; its first member is a keyframe; its
 * index trailer lists the prior members and its own, so the file reads, seeks and re-judges as
 * one recording. Members are cut as the header says (`flushIntervalMs`, `keyframeIntervalMs`)
 * unless `options` say otherwise; the quantization is always the header's.
 *
 * Throws {@link ReplayError} `INVALID_ARGUMENT` when `prior` is not of the header's race, or
 * for bad options.
 *
 * @example
 * const recovered = recoverReplay(bytes);
 * if (recovered.ok) {
 *   const writer = continueReplayWriter(appendingSink, recovered.value.header, recovered.value.index);
 * }
 */
export function continueReplayWriter(
  sink: ReplaySink,
  header: ReplayHeader,
  prior: ReplayIndex,
  options: Omit<ReplayWriterOptions, 'quantization'> = {},
): ReplayWriter {
  if (prior.raceId !== header.raceId) {
    throw new ReplayError(
      'INVALID_ARGUMENT',
      `the index is of race "${prior.raceId}", the header of "${header.raceId}"`,
    );
  }
  // A header from another writer may not say how it cut members (0): the defaults then.
  const settings = recorderSettings({
    ...(header.flushIntervalMs > 0 ? { flushIntervalMs: header.flushIntervalMs } : {}),
    ...(header.keyframeIntervalMs > 0 ? { keyframeIntervalMs: header.keyframeIntervalMs } : {}),
    ...options,
  });
  const recorder = new ReplayRecorder(sink, header, settings, prior);
  return {
    header,
    append: (message) => recorder.append(message),
    flush: () => recorder.flush(),
    close: () => recorder.close(),
    get stats(): ReplayWriterStats {
      return recorder.stats;
    },
  };
}

/** Validated options, defaults filled in. Throws {@link ReplayError} `INVALID_ARGUMENT`. */
function recorderSettings(options: ReplayWriterOptions): RecorderSettings & {
  readonly flushIntervalMs: number;
  readonly keyframeIntervalMs: number;
} {
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const keyframeIntervalMs = options.keyframeIntervalMs ?? 10_000;
  const maxMemberRecords = options.maxMemberRecords ?? 50_000;
  const level = options.level ?? 6;
  for (const [name, value] of [
    ['flushIntervalMs', flushIntervalMs],
    ['keyframeIntervalMs', keyframeIntervalMs],
    ['maxMemberRecords', maxMemberRecords],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new ReplayError('INVALID_ARGUMENT', `${name} must be a positive number, got ${value}`);
    }
  }
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new ReplayError('INVALID_ARGUMENT', `level must be an integer 0-9, got ${level}`);
  }
  return {
    schedule: {
      flushInterval: flushIntervalMs / 1000,
      keyframeInterval: keyframeIntervalMs / 1000,
      maxMemberRecords,
    },
    level,
    compact: options.compactPositions ?? true,
    flushIntervalMs,
    keyframeIntervalMs,
  };
}
