import { encodeMember, MEMBER_FLAGS, type MemberInfo } from './gzip-member';
import { type DecodedMember, type DeltaStates, decodeMember } from './member-decoder';
import { type MemberStats, statsOf } from './member-stats';
import type { ReplayError } from './replay-error';
import type { parseReplayHeader, ReplayHeader } from './replay-header';
import {
  createReplayIndex,
  memberEntry,
  type ReplayIndex,
  type ReplayMemberEntry,
} from './replay-index';
import type { MemberScan, ScannedMember } from './scan-members';

const textEncoder = new TextEncoder();

/** A parsed header line that checks out. */
type ParsedHeader = Extract<ReturnType<typeof parseReplayHeader>, { ok: true }>['value'];

/**
 * A recovery under way: the members kept for the output, what was dropped and lost, and the
 * totals the fresh index trailer carries. `recoverReplay` fills it member by member.
 */
export class Recovery {
  readonly issues: ReplayError[];
  readonly dropped: { offset: number; reason: string }[] = [];
  readonly states: DeltaStates = new Map();
  header: ReplayHeader | undefined;
  /** Members copied over byte for byte. */
  kept = 0;
  /** Input bytes that made it into the output. */
  accounted = 0;
  records = 0;
  hadIndex = false;
  to = Number.NEGATIVE_INFINITY;
  private readonly out: Uint8Array[] = [];
  private readonly members: ReplayMemberEntry[] = [];
  private size = 0;
  private readonly racers = new Set<string>();
  private t0: number | null = null;
  private positions = 0;
  private from = Number.POSITIVE_INFINITY;

  constructor(scan: MemberScan) {
    this.issues = [...scan.issues];
    for (const issue of scan.issues) {
      if (issue.code === 'CORRUPT_MEMBER' || issue.code === 'CORRUPT_BYTES') {
        this.dropped.push({ offset: issue.offset ?? 0, reason: issue.message });
      }
    }
  }

  /** Takes the recording's header and its warnings. */
  takeHeader(parsed: ParsedHeader): void {
    this.header = parsed.header;
    this.t0 = parsed.header.t0;
    for (const warning of parsed.warnings) this.issues.push(warning);
  }

  /** Appends an encoded member to the output. */
  keep(member: Uint8Array, info: Omit<MemberInfo, 'length'>): void {
    this.members.push(memberEntry(this.size, { ...info, length: member.length }));
    this.out.push(member);
    this.size += member.length;
  }

  /** Appends `text` as a new member of ours. */
  keepText(text: Uint8Array, info: Omit<MemberInfo, 'length'>): void {
    this.keep(encodeMember(text, info), info);
  }

  /** Copies an intact member of the input over, byte for byte. */
  copy(bytes: Uint8Array, member: ScannedMember): void {
    this.keep(bytes.subarray(member.offset, member.offset + member.info.length), member.info);
    this.kept++;
    this.accounted += member.info.length;
  }

  /** Counts a kept data member's issues, racers, start instant and records. */
  absorb(decoded: DecodedMember, header: ReplayHeader): MemberStats {
    for (const issue of decoded.issues) this.issues.push(issue);
    for (const { entry } of decoded.events) {
      if (entry.kind === 'pos') this.racers.add(entry.message.playerId);
      if (entry.kind === 'state' && typeof entry.message.t0 === 'number')
        this.t0 = entry.message.t0;
      if (
        entry.kind === 'control' &&
        (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
        typeof entry.message.t0 === 'number'
      ) {
        this.t0 = entry.message.t0;
      }
    }
    for (const chunk of decoded.chunks) this.racers.add(chunk.playerId);
    const stats = statsOf(decoded, header);
    this.records += stats.records;
    this.positions += stats.positions;
    if (stats.from < this.from) this.from = stats.from;
    if (stats.to > this.to) this.to = stats.to;
    return stats;
  }

  /** Appends the fresh index trailer of what was kept; returns the index. */
  keepIndex(header: ReplayHeader): ReplayIndex {
    const { t0, from, to, records, positions, racers, members } = this;
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
    this.keepText(textEncoder.encode(`${JSON.stringify(index)}\n`), {
      flags: MEMBER_FLAGS.index,
      kinds: 0,
      records: 0,
      from: Number.NaN,
      to: Number.NaN,
    });
    return index;
  }

  /** The output so far, in one piece. */
  bytes(): Uint8Array {
    const result = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.out) {
      result.set(part, at);
      at += part.length;
    }
    return result;
  }
}

/** Is this member decodable from scratch (a keyframe)? */
export function startsFresh(text: Uint8Array, offset: number, header: ReplayHeader): boolean {
  return decodeMember(text, offset, new Map(), header).issues.every(
    (issue) => issue.code !== 'MISSING_KEYFRAME',
  );
}
