import { MEMBER_FLAGS, type MemberInfo } from './gzip-member';
import {
  encodePositionLine,
  type QuantizationFrame,
  type QuantizedSample,
  type RacerDeltaState,
} from './position-line';

interface PendingSamples {
  readonly playerId: string;
  readonly samples: QuantizedSample[];
}

/** A data member's text and what its gzip header says of it. */
export interface BufferedMember {
  readonly text: string;
  readonly info: Omit<MemberInfo, 'length'>;
}

/** When {@link MemberBuffer} cuts a member and starts keyframes (seconds, records). */
export interface MemberSchedule {
  /** Cut once a record arrives this long after the member's first (s). */
  readonly flushInterval: number;
  /** Start a keyframe member at least this often (s). */
  readonly keyframeInterval: number;
  /** Cut once the member holds this many records. */
  readonly maxMemberRecords: number;
}

/**
 * The data member a writer is filling: event lines, position samples by player, its time span
 * and kinds; and, across members, the racers' delta states and when the last keyframe began.
 */
export class MemberBuffer {
  /** Records in the member so far. */
  records = 0;
  private eventLines: string[] = [];
  private players = new Map<string, PendingSamples>();
  private topic: boolean | undefined;
  private start = 0;
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;
  private kinds = 0;
  private lastKeyframe: number | undefined;
  private readonly states = new Map<string, RacerDeltaState>();

  constructor(
    private readonly schedule: MemberSchedule,
    private readonly frame: QuantizationFrame,
  ) {}

  /** Whether a record received at `at` must go to a new member (time, clock jump, size). */
  dueToCut(at: number): boolean {
    const { flushInterval, maxMemberRecords } = this.schedule;
    return (
      this.records > 0 &&
      (at - this.start >= flushInterval ||
        at < this.start - flushInterval ||
        this.records >= maxMemberRecords)
    );
  }

  /** Notes the receive time of the record about to be added (the first one starts the member). */
  begin(at: number): void {
    if (this.records === 0) this.start = at;
  }

  /**
   * Adds a position sample of `playerId`; `false` (nothing added) when the member's samples are
   * of the other topic kind (with or without the topic's player id) and it must be an event line.
   */
  addSample(playerId: string, topic: boolean, sample: QuantizedSample): boolean {
    this.topic ??= topic;
    if (this.topic !== topic) return false;
    let pending = this.players.get(playerId);
    if (!pending) {
      pending = { playerId, samples: [] };
      this.players.set(playerId, pending);
    }
    pending.samples.push(sample);
    return true;
  }

  /** Adds an event line (without the newline). */
  addLine(line: string): void {
    this.eventLines.push(line);
  }

  /** Counts the record just added: one more, of `kindBits`, stored at `storedAt` (epoch s). */
  count(kindBits: number, storedAt: number): void {
    this.records++;
    this.kinds |= kindBits;
    if (storedAt < this.from) this.from = storedAt;
    if (storedAt > this.to) this.to = storedAt;
  }

  /** The member buffered so far, encoded (a keyframe when due), and empties the buffer. */
  take(): BufferedMember | undefined {
    if (this.records === 0) return undefined;
    const keyframe = this.keyframeDue();
    let text = this.eventLines.length > 0 ? `${this.eventLines.join('\n')}\n` : '';
    if (this.players.size > 0) {
      const line = encodePositionLine(
        { key: keyframe, topic: this.topic === true, players: [...this.players.values()] },
        this.states,
        this.frame,
      );
      text += `${line}\n`;
    }
    const info = {
      flags: keyframe ? MEMBER_FLAGS.keyframe : 0,
      kinds: this.kinds,
      records: this.records,
      from: this.from,
      to: this.to,
    };
    this.reset();
    return { text, info };
  }

  /** Whether the member starts a keyframe; if so, the delta states start over. */
  private keyframeDue(): boolean {
    const last = this.lastKeyframe;
    const keyframe =
      last === undefined ||
      this.start - last >= this.schedule.keyframeInterval ||
      this.start < last;
    if (keyframe) {
      this.states.clear();
      this.lastKeyframe = this.start;
    }
    return keyframe;
  }

  private reset(): void {
    this.eventLines = [];
    this.players = new Map();
    this.topic = undefined;
    this.records = 0;
    this.kinds = 0;
    this.from = Number.POSITIVE_INFINITY;
    this.to = Number.NEGATIVE_INFINITY;
  }
}
