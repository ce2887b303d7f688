import { version as packageVersion } from '../package.json';
import { type DeflateLevel, encodeMember, kindMask, MEMBER_FLAGS } from './gzip-member';
import {
  encodePositionLine,
  type QuantizedSample,
  quantizePosition,
  type RacerDeltaState,
} from './position-line';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import {
  createReplayHeader,
  DEFAULT_QUANTIZATION,
  type ReplayHeader,
  type ReplayHeaderInit,
  type ReplayQuantization,
} from './replay-header';
import {
  createReplayIndex,
  memberEntry,
  type ReplayIndex,
  type ReplayMemberEntry,
} from './replay-index';

/** The software string written in every header. */
export const WRITER_NAME = `@gw2race/replay-format ${packageVersion}`;

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

/** Counters of a {@link ReplayWriter}. */
export interface ReplayWriterStats {
  /** Gzip members produced (header and index included). */
  readonly members: number;
  /** Bytes produced (handed to the sink, maybe not yet written). */
  readonly bytes: number;
  /** Records appended (events plus positions). */
  readonly records: number;
  /** Position samples appended. */
  readonly positions: number;
  /** Positions stored as exact event lines because they did not fit a position line. */
  readonly exactPositions: number;
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

interface PendingSamples {
  readonly playerId: string;
  readonly samples: QuantizedSample[];
}

const textEncoder = new TextEncoder();
const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

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
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const keyframeIntervalMs = options.keyframeIntervalMs ?? 10_000;
  const maxMemberRecords = options.maxMemberRecords ?? 50_000;
  const level = options.level ?? 6;
  const compact = options.compactPositions ?? true;
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
  const header = createReplayHeader(headerInit, {
    writer: WRITER_NAME,
    quantization: { ...DEFAULT_QUANTIZATION, ...options.quantization },
    flushIntervalMs,
    keyframeIntervalMs,
  });
  const flushInterval = flushIntervalMs / 1000;
  const keyframeInterval = keyframeIntervalMs / 1000;

  // --- sink plumbing: calls never overlap; the first failure stops the recording -----------
  let pending: Promise<void> | undefined;
  let failure: ReplayError | undefined;
  const fail = (cause: unknown) => {
    failure ??= new ReplayError('SINK_FAILED', `the replay sink failed: ${String(cause)}`, {
      cause,
    });
  };
  const run = (step: () => unknown) => {
    if (failure) return;
    if (pending) {
      const next: Promise<void> = pending.then(() => {
        if (failure) return;
        return Promise.resolve(step()).then(() => undefined);
      });
      const tracked = next.catch(fail).finally(() => {
        if (pending === tracked) pending = undefined;
      });
      pending = tracked;
      return;
    }
    try {
      const result = step();
      if (isPromiseLike(result)) {
        const tracked: Promise<void> = Promise.resolve(result)
          .then(() => undefined)
          .catch(fail)
          .finally(() => {
            if (pending === tracked) pending = undefined;
          });
        pending = tracked;
      }
    } catch (cause) {
      fail(cause);
    }
  };
  const settled = async () => {
    while (pending) await pending;
    if (failure) throw failure;
  };

  // --- members ---------------------------------------------------------------------------
  const members: ReplayMemberEntry[] = [];
  let bytes = 0;
  const emit = (
    text: string,
    info: { flags: number; kinds: number; records: number; from: number; to: number },
  ) => {
    const member = encodeMember(textEncoder.encode(text), info, level);
    members.push(memberEntry(bytes, { ...info, length: member.length }));
    bytes += member.length;
    run(() => sink.write(member));
    run(() => sink.sync?.());
  };

  emit(`${JSON.stringify(header)}\n`, {
    flags: MEMBER_FLAGS.header,
    kinds: 0,
    records: 0,
    from: Number.NaN,
    to: Number.NaN,
  });

  // --- buffered member -------------------------------------------------------------------
  let eventLines: string[] = [];
  let players = new Map<string, PendingSamples>();
  let memberTopic: boolean | undefined;
  let memberStart = 0;
  let memberRecords = 0;
  let memberFrom = Number.POSITIVE_INFINITY;
  let memberTo = Number.NEGATIVE_INFINITY;
  let memberKinds = 0;
  let lastKeyframe: number | undefined;
  const states = new Map<string, RacerDeltaState>();

  let records = 0;
  let positions = 0;
  let exactPositions = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  let t0 = header.t0;
  const racers = new Set<string>();
  let closed: Promise<ReplayIndex> | undefined;

  const emitData = () => {
    if (memberRecords === 0) return;
    const keyframe =
      lastKeyframe === undefined ||
      memberStart - lastKeyframe >= keyframeInterval ||
      memberStart < lastKeyframe;
    if (keyframe) {
      states.clear();
      lastKeyframe = memberStart;
    }
    let text = eventLines.length > 0 ? `${eventLines.join('\n')}\n` : '';
    if (players.size > 0) {
      const line = encodePositionLine(
        { key: keyframe, topic: memberTopic === true, players: [...players.values()] },
        states,
        header,
      );
      text += `${line}\n`;
    }
    emit(text, {
      flags: keyframe ? MEMBER_FLAGS.keyframe : 0,
      kinds: memberKinds,
      records: memberRecords,
      from: memberFrom,
      to: memberTo,
    });
    eventLines = [];
    players = new Map();
    memberTopic = undefined;
    memberRecords = 0;
    memberKinds = 0;
    memberFrom = Number.POSITIVE_INFINITY;
    memberTo = Number.NEGATIVE_INFINITY;
  };

  const noteT0 = (entry: ReplayEntry) => {
    if (entry.kind === 'state' && typeof entry.message.t0 === 'number') t0 = entry.message.t0;
    if (entry.kind === 'control') {
      const command = entry.message;
      if ((command.cmd === 'START' || command.cmd === 'RESUME') && typeof command.t0 === 'number') {
        t0 = command.t0;
      }
    }
  };

  const append = (entry: ReplayEntry): void => {
    if (closed) throw new ReplayError('WRITER_CLOSED', 'append() after close()');
    if (failure) throw failure;
    const at = entry.at;
    if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
      throw new ReplayError(
        'INVALID_ARGUMENT',
        `message.at must be epoch seconds, got ${String(at)}`,
      );
    }
    if (
      memberRecords > 0 &&
      (at - memberStart >= flushInterval ||
        at < memberStart - flushInterval ||
        memberRecords >= maxMemberRecords)
    ) {
      emitData();
    }
    if (memberRecords === 0) memberStart = at;

    let storedAt = at;
    const sample = compact && entry.kind === 'pos' ? quantizePosition(entry, header) : undefined;
    if (sample && entry.kind === 'pos') {
      const playerId = entry.message.playerId;
      const topic = entry.playerId !== undefined;
      memberTopic ??= topic;
      if (memberTopic === topic) {
        let pending = players.get(playerId);
        if (!pending) {
          pending = { playerId, samples: [] };
          players.set(playerId, pending);
        }
        pending.samples.push(sample);
        storedAt = (header.origin + sample.t + sample.lag) / header.quantization.timeScale;
      } else {
        eventLines.push(eventLine(entry));
        exactPositions++;
      }
    } else {
      eventLines.push(eventLine(entry));
      if (entry.kind === 'pos') exactPositions++;
    }
    if (entry.kind === 'pos') {
      positions++;
      racers.add(entry.message.playerId);
    }
    noteT0(entry);
    records++;
    memberRecords++;
    memberKinds |= kindMask(entry.kind === 'unknown' ? entry.recordedKind : entry.kind);
    if (storedAt < memberFrom) memberFrom = storedAt;
    if (storedAt > memberTo) memberTo = storedAt;
    if (storedAt < from) from = storedAt;
    if (storedAt > to) to = storedAt;
    if (failure) throw failure;
  };

  const flush = async (): Promise<void> => {
    if (closed) throw new ReplayError('WRITER_CLOSED', 'flush() after close()');
    if (!failure) emitData();
    await settled();
  };

  const close = (): Promise<ReplayIndex> => {
    closed ??= (async () => {
      if (!failure) emitData();
      const index = createReplayIndex({
        raceId: header.raceId,
        t0,
        from,
        to,
        records,
        positions,
        racers,
        members,
      });
      if (!failure) {
        emit(`${JSON.stringify(index)}\n`, {
          flags: MEMBER_FLAGS.index,
          kinds: 0,
          records: 0,
          from: Number.NaN,
          to: Number.NaN,
        });
      }
      if (failure) {
        // Release the sink anyway (a file handle, say); the failure is what the caller hears.
        try {
          await sink.close?.();
        } catch {
          // already failing
        }
      } else {
        run(() => sink.close?.());
      }
      await settled();
      return index;
    })();
    return closed;
  };

  return {
    header,
    append,
    flush,
    close,
    get stats(): ReplayWriterStats {
      return { members: members.length, bytes, records, positions, exactPositions };
    },
  };
}

function eventLine(entry: ReplayEntry): string {
  const kind = entry.kind === 'unknown' ? entry.recordedKind : entry.kind;
  const line: Record<string, unknown> = { type: 'event', at: entry.at, kind };
  if (entry.playerId !== undefined) line.playerId = entry.playerId;
  line.message = entry.message;
  try {
    return JSON.stringify(line);
  } catch (cause) {
    throw new ReplayError('INVALID_ARGUMENT', `a ${kind} message cannot be written as JSON`, {
      cause,
    });
  }
}
