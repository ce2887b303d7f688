import { err, ok, type Result } from '@gw2race/protocol';
import {
  encodeMember,
  inflateMember,
  kindMask,
  MEMBER_FLAGS,
  type MemberInfo,
} from './gzip-member';
import { inflatePlainGzip } from './inflate-plain-gzip';
import { type DecodedMember, type DeltaStates, decodeMember } from './member-decoder';
import { ReplayError } from './replay-error';
import { parseReplayHeader, type ReplayHeader } from './replay-header';
import {
  createReplayIndex,
  memberEntry,
  type ReplayIndex,
  type ReplayMemberEntry,
} from './replay-index';
import { scanMembers } from './scan-members';

/** What {@link recoverReplay} kept and what it could not. */
export interface RecoveryReport {
  /** Members copied over byte for byte (header included). */
  readonly keptMembers: number;
  /** Members dropped because they were damaged (bad CRC, do not inflate, damaged length). */
  readonly droppedMembers: readonly { readonly offset: number; readonly reason: string }[];
  /**
   * Bytes of the input that did not make it into the output: a truncated tail, damaged members,
   * the old index trailer. (Gzip data without member lengths is re-encoded, not lost.)
   */
  readonly lostBytes: number;
  /** True when the input ended inside a member (the usual crash). */
  readonly truncated: boolean;
  /** True when the input already ended with an index trailer. */
  readonly hadIndex: boolean;
  /** Records (events + position samples) in the recovered file. */
  readonly records: number;
  /** Host receive time of the last record kept (epoch s), or null. */
  readonly lastAt: number | null;
}

/** A recording made whole again. */
export interface RecoveredReplay {
  /** A complete recording: every intact member of the input, then a fresh index trailer. */
  readonly bytes: Uint8Array;
  readonly header: ReplayHeader;
  readonly index: ReplayIndex;
  readonly report: RecoveryReport;
  /** Problems met while reading the input. */
  readonly issues: readonly ReplayError[];
}

const textEncoder = new TextEncoder();

interface MemberStats {
  kinds: number;
  records: number;
  from: number;
  to: number;
  positions: number;
}

/** Kinds, counts and time span of a decoded member, as its `GR` field states them. */
function statsOf(decoded: DecodedMember, header: ReplayHeader): MemberStats {
  const stats: MemberStats = {
    kinds: 0,
    records: 0,
    from: Number.POSITIVE_INFINITY,
    to: Number.NEGATIVE_INFINITY,
    positions: 0,
  };
  const note = (at: number) => {
    if (at < stats.from) stats.from = at;
    if (at > stats.to) stats.to = at;
  };
  for (const { at, entry } of decoded.events) {
    stats.kinds |= kindMask(entry.kind === 'unknown' ? entry.recordedKind : entry.kind);
    stats.records++;
    if (entry.kind === 'pos') stats.positions++;
    note(at);
  }
  const { timeScale } = header.quantization;
  for (const chunk of decoded.chunks) {
    stats.kinds |= kindMask('pos');
    stats.records += chunk.n;
    stats.positions += chunk.n;
    for (let i = 0; i < chunk.n; i++) {
      note((header.origin + chunk.values[chunk.t + i]! + chunk.values[chunk.lag + i]!) / timeScale);
    }
  }
  return stats;
}

/**
 * Makes a recording whole after a crash or a bad copy: keeps every intact member (checked by
 * CRC-32), drops damaged ones and the cut-off tail, and appends a fresh index trailer, so the
 * result opens and seeks like a closed recording. Intact members are copied byte for byte.
 * Fails only when the header itself is lost. Never throws.
 *
 * @example
 * const recovered = recoverReplay(bytesOfACrashedFile);
 * if (recovered.ok) console.log(recovered.value.report.lostBytes, 'bytes lost');
 */
export function recoverReplay(bytes: Uint8Array): Result<RecoveredReplay, ReplayError> {
  const scan = scanMembers(bytes);
  const issues: ReplayError[] = [...scan.issues];
  const dropped: { offset: number; reason: string }[] = [];
  for (const issue of scan.issues) {
    if (issue.code === 'CORRUPT_MEMBER' || issue.code === 'CORRUPT_BYTES') {
      dropped.push({ offset: issue.offset ?? 0, reason: issue.message });
    }
  }
  const out: Uint8Array[] = [];
  const members: ReplayMemberEntry[] = [];
  let size = 0;
  let kept = 0;
  let accounted = 0; // input bytes that made it into the output
  const keep = (member: Uint8Array, info: Omit<MemberInfo, 'length'>) => {
    members.push(memberEntry(size, { ...info, length: member.length }));
    out.push(member);
    size += member.length;
  };

  let header: ReplayHeader | undefined;
  const states: DeltaStates = new Map();
  const racers = new Set<string>();
  let t0: number | null = null;
  let records = 0;
  let positions = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  let hadIndex = false;

  const absorb = (decoded: DecodedMember) => {
    for (const issue of decoded.issues) issues.push(issue);
    for (const { entry } of decoded.events) {
      if (entry.kind === 'pos') racers.add(entry.message.playerId);
      if (entry.kind === 'state' && typeof entry.message.t0 === 'number') t0 = entry.message.t0;
      if (
        entry.kind === 'control' &&
        (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
        typeof entry.message.t0 === 'number'
      ) {
        t0 = entry.message.t0;
      }
    }
    for (const chunk of decoded.chunks) racers.add(chunk.playerId);
    const stats = statsOf(decoded, header!);
    records += stats.records;
    positions += stats.positions;
    if (stats.from < from) from = stats.from;
    if (stats.to > to) to = stats.to;
    return stats;
  };

  /** Is this member decodable from scratch (a keyframe)? */
  const startsFresh = (text: Uint8Array, offset: number) =>
    decodeMember(text, offset, new Map(), header).issues.every(
      (issue) => issue.code !== 'MISSING_KEYFRAME',
    );

  for (const member of scan.members) {
    const text = inflateMember(bytes, member.offset, member);
    if (!text.ok) {
      issues.push(text.error);
      dropped.push({ offset: member.offset, reason: text.error.message });
      if (!header)
        return err(
          new ReplayError('NOT_A_REPLAY', `the header member is damaged: ${text.error.message}`, {
            offset: 0,
          }),
        );
      states.clear();
      continue;
    }
    if (!header) {
      const decoded = decodeMember(text.value, member.offset, states, undefined);
      const parsed = parseReplayHeader(decoded.headerLine);
      if (member.offset !== 0 || !parsed.ok) {
        return err(
          parsed.ok
            ? new ReplayError('NOT_A_REPLAY', 'the file does not start with a header member')
            : parsed.error,
        );
      }
      header = parsed.value.header;
      t0 = header.t0;
      for (const warning of parsed.value.warnings) issues.push(warning);
      keep(bytes.subarray(member.offset, member.offset + member.info.length), member.info);
      kept++;
      accounted += member.info.length;
      continue;
    }
    if (member.info.flags & MEMBER_FLAGS.index) {
      hadIndex = true;
      continue;
    }
    absorb(decodeMember(text.value, member.offset, states, header));
    keep(bytes.subarray(member.offset, member.offset + member.info.length), member.info);
    kept++;
    accounted += member.info.length;
  }

  // Gzip data without member lengths at the end: keep its complete lines as members of ours.
  if (scan.foreignAt !== undefined) {
    const inflated = inflatePlainGzip(bytes, scan.foreignAt);
    for (const issue of inflated.issues) issues.push(issue);
    if (inflated.error) issues.push(inflated.error);
    else accounted += bytes.length - scan.foreignAt;
    let text = inflated.text.subarray(0, inflated.text.lastIndexOf(0x0a) + 1);
    if (!header) {
      const end = text.indexOf(0x0a);
      const decoded = decodeMember(text.subarray(0, end + 1), 0, new Map(), undefined);
      const parsed = parseReplayHeader(decoded.headerLine);
      if (scan.foreignAt !== 0 || end < 0 || !parsed.ok) {
        return err(
          parsed.ok || end < 0
            ? new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found')
            : parsed.error,
        );
      }
      header = parsed.value.header;
      t0 = header.t0;
      for (const warning of parsed.value.warnings) issues.push(warning);
      const headerText = text.subarray(0, end + 1);
      keep(
        encodeMember(headerText, {
          flags: MEMBER_FLAGS.header,
          kinds: 0,
          records: 0,
          from: Number.NaN,
          to: Number.NaN,
        }),
        {
          flags: MEMBER_FLAGS.header,
          kinds: 0,
          records: 0,
          from: Number.NaN,
          to: Number.NaN,
        },
      );
      text = text.subarray(end + 1);
    }
    // Drop an index line: a fresh one is written below.
    const lines = new TextDecoder().decode(text).split('\n');
    const dataText = textEncoder.encode(
      lines
        .filter((line) => line.length > 0 && !line.startsWith('{"type":"index"'))
        .map((line) => `${line}\n`)
        .join(''),
    );
    if (dataText.length > 0) {
      const fresh = startsFresh(dataText, scan.foreignAt);
      const stats = absorb(decodeMember(dataText, scan.foreignAt, states, header));
      const info = {
        flags: fresh ? MEMBER_FLAGS.keyframe : 0,
        kinds: stats.kinds,
        records: stats.records,
        from: stats.records > 0 ? stats.from : Number.NaN,
        to: stats.records > 0 ? stats.to : Number.NaN,
      };
      keep(encodeMember(dataText, info), info);
    }
  }
  if (!header) return err(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));

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
  keep(
    encodeMember(textEncoder.encode(`${JSON.stringify(index)}\n`), {
      flags: MEMBER_FLAGS.index,
      kinds: 0,
      records: 0,
      from: Number.NaN,
      to: Number.NaN,
    }),
    { flags: MEMBER_FLAGS.index, kinds: 0, records: 0, from: Number.NaN, to: Number.NaN },
  );

  const result = new Uint8Array(size);
  let at = 0;
  for (const part of out) {
    result.set(part, at);
    at += part.length;
  }
  return ok({
    bytes: result,
    header,
    index,
    report: {
      keptMembers: kept,
      droppedMembers: dropped,
      lostBytes: bytes.length - accounted,
      truncated: scan.truncatedAt !== undefined,
      hadIndex,
      records,
      lastAt: records > 0 ? to : null,
    },
    issues,
  });
}
