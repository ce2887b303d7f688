import { kindsOfMask, MEMBER_FLAGS, type MemberInfo } from './gzip-member';

/** One gzip member of a recording, as the index lists it. */
export interface ReplayMemberEntry {
  /** Byte offset of the member in the file. */
  readonly offset: number;
  /** Length of the member in bytes. */
  readonly length: number;
  /** Earliest host receive time of a record in it (epoch s); `null` for the header member. */
  readonly from: number | null;
  /** Latest host receive time of a record in it (epoch s); `null` for the header member. */
  readonly to: number | null;
  /** Events plus position samples in it. */
  readonly records: number;
  /** Position chunks in it start from scratch: decoding can start here. */
  readonly keyframe: boolean;
  /** What the member holds: `header`, `data` or `index`. */
  readonly role: 'header' | 'data' | 'index';
  /** Message kinds present (`other` for kinds the format does not name). */
  readonly kinds: readonly string[];
}

/**
 * The index of a recording: where each member is and what time span it covers. The writer
 * appends it as the last line of a closed file (`{"type":"index", ...}`); readers rebuild it by
 * scanning member headers when it is missing.
 */
export interface ReplayIndex {
  readonly type: 'index';
  readonly raceId: string;
  /** Last start instant the writer saw (header, `state.t0`, `START`/`RESUME`), or null. */
  readonly t0: number | null;
  /** Earliest and latest host receive time of any record, or null when there are none. */
  readonly from: number | null;
  readonly to: number | null;
  /** Events plus position samples. */
  readonly records: number;
  /** Position samples. */
  readonly positions: number;
  /** Players with positions, in order of first appearance. */
  readonly racers: readonly string[];
  /** Every member before the index itself, in file order. */
  readonly members: readonly ReplayMemberEntry[];
}

/** The index entry of a member whose `GR` info is known. */
export function memberEntry(offset: number, info: MemberInfo): ReplayMemberEntry {
  const role =
    info.flags & MEMBER_FLAGS.header
      ? 'header'
      : info.flags & MEMBER_FLAGS.index
        ? 'index'
        : 'data';
  return {
    offset,
    length: info.length,
    from: Number.isFinite(info.from) ? info.from : null,
    to: Number.isFinite(info.to) ? info.to : null,
    records: info.records,
    keyframe: (info.flags & MEMBER_FLAGS.keyframe) !== 0,
    role,
    kinds: kindsOfMask(info.kinds),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumberOrNull = (value: unknown): value is number | null =>
  value === null || (typeof value === 'number' && Number.isFinite(value));
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function parseMemberEntry(value: unknown): ReplayMemberEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { offset, length, from, to, records, keyframe, role, kinds } = value;
  if (!isCount(offset) || !isCount(length) || !isCount(records)) return undefined;
  if (!isNumberOrNull(from) || !isNumberOrNull(to) || typeof keyframe !== 'boolean')
    return undefined;
  if (role !== 'header' && role !== 'data' && role !== 'index') return undefined;
  if (!Array.isArray(kinds) || !kinds.every((kind) => typeof kind === 'string')) return undefined;
  return { offset, length, from, to, records, keyframe, role, kinds: kinds as string[] };
}

/** Checks a parsed index trailer line; `undefined` when it is malformed. Never throws. */
export function parseReplayIndex(value: unknown): ReplayIndex | undefined {
  if (!isRecord(value) || value.type !== 'index') return undefined;
  const { raceId, t0, from, to, records, positions, racers, members } = value;
  if (typeof raceId !== 'string' || !isNumberOrNull(t0) || !isNumberOrNull(from)) return undefined;
  if (!isNumberOrNull(to) || !isCount(records) || !isCount(positions)) return undefined;
  if (!Array.isArray(racers) || !racers.every((racer) => typeof racer === 'string'))
    return undefined;
  if (!Array.isArray(members)) return undefined;
  const parsed: ReplayMemberEntry[] = [];
  for (const member of members) {
    const entry = parseMemberEntry(member);
    if (!entry) return undefined;
    parsed.push(entry);
  }
  return {
    type: 'index',
    raceId,
    t0,
    from,
    to,
    records,
    positions,
    racers: racers as string[],
    members: parsed,
  };
}

/** What an index is made of, as the writer and the recovery count it. */
export interface IndexCounts {
  readonly raceId: string;
  readonly t0: number | null;
  /** First and last receive time; ignored when there are no records. */
  readonly from: number;
  readonly to: number;
  readonly records: number;
  readonly positions: number;
  readonly racers: Iterable<string>;
  readonly members: Iterable<ReplayMemberEntry>;
}

/** The index line of a recording from its counts (no time range when it holds no records). */
export function createReplayIndex(counts: IndexCounts): ReplayIndex {
  const { records } = counts;
  return {
    type: 'index',
    raceId: counts.raceId,
    t0: counts.t0,
    from: records > 0 ? counts.from : null,
    to: records > 0 ? counts.to : null,
    records,
    positions: counts.positions,
    racers: [...counts.racers],
    members: [...counts.members],
  };
}
