import { eventLine } from './event-line';
import {
  type DeflateLevel,
  encodeMember,
  kindMask,
  MEMBER_FLAGS,
  type MemberInfo,
} from './gzip-member';
import { MemberBuffer, type MemberSchedule } from './member-buffer';
import { quantizePosition } from './position-line';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import {
  createReplayIndex,
  memberEntry,
  type ReplayIndex,
  type ReplayMemberEntry,
} from './replay-index';
import type { ReplaySink } from './replay-sink';
import { SinkQueue } from './sink-queue';

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

/** How a {@link ReplayRecorder} writes, from validated writer options. */
export interface RecorderSettings {
  readonly schedule: MemberSchedule;
  readonly level: DeflateLevel;
  /** Positions as position lines (`true`) or exact event lines. */
  readonly compact: boolean;
}

const textEncoder = new TextEncoder();

/** A member without records (header, index): no kinds, no time span. */
const metaInfo = (flags: number): Omit<MemberInfo, 'length'> => ({
  flags,
  kinds: 0,
  records: 0,
  from: Number.NaN,
  to: Number.NaN,
});

/** The start instant (`t0`) a message sets, or `t0` unchanged. */
function startInstantOf(entry: ReplayEntry, t0: number | null): number | null {
  if (entry.kind === 'state' && typeof entry.message.t0 === 'number') return entry.message.t0;
  if (entry.kind === 'control') {
    const command = entry.message;
    if ((command.cmd === 'START' || command.cmd === 'RESUME') && typeof command.t0 === 'number') {
      return command.t0;
    }
  }
  return t0;
}

/**
 * The state of one recording being written: the members handed to the sink, the member being
 * filled, and the totals the index trailer carries. {@link createReplayWriter} wraps it.
 * The header member is handed to the sink by the constructor.
 */
export class ReplayRecorder {
  /** Set by the first `close()`. */
  closed: Promise<ReplayIndex> | undefined;
  private readonly queue = new SinkQueue();
  private readonly buffer: MemberBuffer;
  private readonly members: ReplayMemberEntry[] = [];
  private bytes = 0;
  private records = 0;
  private positions = 0;
  private exactPositions = 0;
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;
  private t0: number | null;
  private readonly racers = new Set<string>();

  /**
   * With `prior` (the index of a recording's intact members, already in the sink), the recorder
   * carries on after them: no header member, offsets and totals counted on from the prior ones,
   * and the first member a keyframe (nothing is decoded against what came before).
   */
  constructor(
    private readonly sink: ReplaySink,
    readonly header: ReplayHeader,
    private readonly settings: RecorderSettings,
    prior?: ReplayIndex,
  ) {
    this.buffer = new MemberBuffer(settings.schedule, header);
    this.t0 = header.t0;
    if (!prior) {
      this.emit(`${JSON.stringify(header)}\n`, metaInfo(MEMBER_FLAGS.header));
      return;
    }
    for (const member of prior.members) {
      if (member.role === 'index') continue;
      this.members.push(member);
      this.bytes = Math.max(this.bytes, member.offset + member.length);
    }
    this.records = prior.records;
    this.positions = prior.positions;
    for (const racer of prior.racers) this.racers.add(racer);
    if (prior.from !== null) this.from = prior.from;
    if (prior.to !== null) this.to = prior.to;
    this.t0 = prior.t0 ?? header.t0;
  }

  /** See {@link ReplayWriter.append}. */
  append(entry: ReplayEntry): void {
    if (this.closed) throw new ReplayError('WRITER_CLOSED', 'append() after close()');
    const failure = this.queue.failure;
    if (failure) throw failure;
    const at = entry.at;
    if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
      throw new ReplayError(
        'INVALID_ARGUMENT',
        `message.at must be epoch seconds, got ${String(at)}`,
      );
    }
    if (this.buffer.dueToCut(at)) this.emitData();
    this.buffer.begin(at);
    const storedAt = this.store(entry, at);
    if (entry.kind === 'pos') {
      this.positions++;
      this.racers.add(entry.message.playerId);
    }
    this.t0 = startInstantOf(entry, this.t0);
    this.records++;
    this.buffer.count(
      kindMask(entry.kind === 'unknown' ? entry.recordedKind : entry.kind),
      storedAt,
    );
    if (storedAt < this.from) this.from = storedAt;
    if (storedAt > this.to) this.to = storedAt;
    if (this.queue.failure) throw this.queue.failure;
  }

  /** See {@link ReplayWriter.flush}. */
  async flush(): Promise<void> {
    if (this.closed) throw new ReplayError('WRITER_CLOSED', 'flush() after close()');
    if (!this.queue.failure) this.emitData();
    await this.queue.settled();
  }

  /** See {@link ReplayWriter.close}. */
  close(): Promise<ReplayIndex> {
    this.closed ??= this.finish();
    return this.closed;
  }

  /** Counters so far. */
  get stats(): ReplayWriterStats {
    const { members, bytes, records, positions, exactPositions } = this;
    return { members: members.length, bytes, records, positions, exactPositions };
  }

  /** Buffers `entry` as a position sample or an event line; returns the time it is stored at. */
  private store(entry: ReplayEntry, at: number): number {
    const header = this.header;
    if (this.settings.compact && entry.kind === 'pos') {
      const sample = quantizePosition(entry, header);
      if (
        sample &&
        this.buffer.addSample(entry.message.playerId, entry.playerId !== undefined, sample)
      ) {
        return (header.origin + sample.t + sample.lag) / header.quantization.timeScale;
      }
    }
    this.buffer.addLine(eventLine(entry));
    if (entry.kind === 'pos') this.exactPositions++;
    return at;
  }

  private async finish(): Promise<ReplayIndex> {
    const queue = this.queue;
    if (!queue.failure) this.emitData();
    const { header, t0, from, to, records, positions, racers, members } = this;
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
    if (!queue.failure) {
      this.emit(`${JSON.stringify(index)}\n`, metaInfo(MEMBER_FLAGS.index));
    }
    if (queue.failure) {
      // Release the sink anyway (a file handle, say); the failure is what the caller hears.
      try {
        await this.sink.close?.();
      } catch {
        // already failing
      }
    } else {
      queue.run(() => this.sink.close?.());
    }
    await queue.settled();
    return index;
  }

  /** Hands the buffered data member to the sink, if it holds records. */
  private emitData(): void {
    const member = this.buffer.take();
    if (member) this.emit(member.text, member.info);
  }

  private emit(text: string, info: Omit<MemberInfo, 'length'>): void {
    const member = encodeMember(textEncoder.encode(text), info, this.settings.level);
    this.members.push(memberEntry(this.bytes, { ...info, length: member.length }));
    this.bytes += member.length;
    this.queue.run(() => this.sink.write(member));
    this.queue.run(() => this.sink.sync?.());
  }
}
