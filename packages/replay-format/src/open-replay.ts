import { err, ok, type RankingMessage, type Result, type StateMessage } from '@gw2race/protocol';
import { buildTracks } from './build-tracks';
import { type InflateOptions, inflateMember, MEMBER_FLAGS } from './gzip-member';
import { MemberCache, type Slot } from './member-cache';
import { decodeMember } from './member-decoder';
import { memberEntries } from './member-entries';
import { LAG_MARGIN_S, racerPositions } from './racer-positions';
import type { OpenReplayOptions, RacerTrack, Replay } from './replay';
import type { ReplayEntry } from './replay-entry';
import type { ReplayError } from './replay-error';
import { parseReplayHeader, type ReplayHeader } from './replay-header';
import { memberEntry, type ReplayIndex } from './replay-index';
import { readReplayTrailer } from './replay-trailer';
import { rewriteReplay } from './rewrite-replay';
import { type ScannedMember, scanMembers } from './scan-members';
import { lastAnnouncedT0, lastMemberBefore } from './start-instants';

export type {
  OpenReplayOptions,
  PositionsAtOptions,
  RacerPosition,
  RacerTrack,
  Replay,
  ReplaySnapshot,
} from './replay';

/** The kinds a seek's `state` and `ranking` are looked up among. */
const KIND_SETS = {
  state: new Set(['state']),
  ranking: new Set(['ranking']),
} as const;

/**
 * Opens a whole recording held in memory for random access: seek to any instant, positions of
 * every racer there, per-racer tracks, messages in a time range. Only the member headers are
 * read up front; members are inflated on demand (and cached). Works the same in browsers.
 * Fails only when the bytes are not a readable recording; damaged parts are skipped and listed
 * in `issues`.
 *
 * @example
 * const opened = openReplay(new Uint8Array(await file.arrayBuffer()));
 * if (opened.ok) {
 *   const { positions } = opened.value.seek(90_000); // 1 min 30 s into the race
 * }
 */
export function openReplay(
  bytes: Uint8Array,
  options: OpenReplayOptions = {},
): Result<Replay, ReplayError> {
  const inflateOptions: InflateOptions = {
    ...(options.verifyChecksums === undefined ? {} : { verifyChecksums: options.verifyChecksums }),
    ...(options.gunzip ? { gunzip: options.gunzip } : {}),
  };
  const issues: ReplayError[] = [];
  const seenIssues = new Set<string>();
  const report = (issue: ReplayError) => {
    const key = `${issue.code}:${issue.offset}:${issue.line}:${issue.message}`;
    if (seenIssues.has(key)) return;
    seenIssues.add(key);
    issues.push(issue);
  };

  const scan = scanMembers(bytes);
  for (const issue of scan.issues) report(issue);
  const first = scan.members[0];
  // A file without member lengths (recompressed by another tool): decode it all, once.
  if (first?.offset !== 0 || scan.foreignAt !== undefined) return openRewritten(bytes, options);
  const headerText = inflateMember(bytes, first.offset, first, inflateOptions);
  if (!headerText.ok) return err(headerText.error);
  const headerMember = decodeMember(headerText.value, 0, new Map(), undefined);
  const parsed = parseReplayHeader(headerMember.headerLine);
  if (!parsed.ok) return err(parsed.error);
  const header = parsed.value.header;
  for (const warning of parsed.value.warnings) report(warning);

  const slots: Slot[] = scan.members
    .filter((member) => !(member.info.flags & MEMBER_FLAGS.index))
    .map((scanned) => ({ entry: memberEntry(scanned.offset, scanned.info), scanned }));
  const members = new MemberCache({
    bytes,
    slots,
    header,
    inflateOptions,
    cacheLimit: Math.max(2, options.cacheMembers ?? 64),
    report,
  });
  // The trailer, read only when asked for (opening stays cheap): used if it agrees with the scan.
  let trailerRead = false;
  let trailerValue: ReplayIndex | undefined;
  const trailer = (): ReplayIndex | undefined => {
    if (!trailerRead) {
      trailerRead = true;
      trailerValue = readReplayTrailer(bytes, scan.members, header, inflateOptions, report);
    }
    return trailerValue;
  };
  return ok(createReplay(members, first, trailer, issues));
}

/** The earliest and latest receive time of a record, and the records, by the members' fields. */
function recordSpan(slots: readonly Slot[]) {
  let from: number | null = null;
  let to: number | null = null;
  let records = 0;
  for (const { entry } of slots) {
    records += entry.records;
    if (entry.from !== null && (from === null || entry.from < from)) from = entry.from;
    if (entry.to !== null && (to === null || entry.to > to)) to = entry.to;
  }
  return { from, to, records };
}

/** The last message of `kind` received at or before `time`. */
function latestMessage<K extends 'state' | 'ranking'>(
  members: MemberCache,
  kind: K,
  time: number,
): (K extends 'state' ? StateMessage : RankingMessage) | undefined {
  for (let i = lastMemberBefore(members.source.slots, time + LAG_MARGIN_S); i >= 1; i--) {
    if (!members.hasKind(i, kind)) continue;
    const events = members.eventsOf(i, KIND_SETS[kind]);
    for (let k = events.length - 1; k >= 0; k--) {
      const { at, entry } = events[k]!;
      if (entry.kind === kind && at <= time)
        return entry.message as K extends 'state' ? StateMessage : RankingMessage;
    }
  }
  return undefined;
}

/** Every message received in `[from, to]`, in order, each member's entries cached. */
function messagesIn(members: MemberCache, from: number, to: number): ReplayEntry[] {
  const { slots, header } = members.source;
  const out: ReplayEntry[] = [];
  for (let i = 1; i < slots.length; i++) {
    const { entry } = slots[i]!;
    if (entry.to !== null && entry.to < from) continue;
    if (entry.from !== null && entry.from > to) break;
    const cached = members.ensure(i);
    const entries = cached.entries ?? memberEntries(cached.decoded, header);
    if (!cached.entries) members.touch(i, { ...cached, entries });
    for (const message of entries) {
      if (message.at >= from && message.at <= to) out.push(message);
    }
  }
  return out;
}

/** The {@link Replay} of an opened recording. */
function createReplay(
  members: MemberCache,
  headerMember: ScannedMember,
  trailer: () => ReplayIndex | undefined,
  issues: readonly ReplayError[],
): Replay {
  const { slots, header } = members.source;
  // t0: the last one the recording announced (state, START/RESUME), else the header's.
  const t0 = lastAnnouncedT0(members, header.t0);
  const { from, to, records } = recordSpan(slots);
  const raceTimeOrigin = t0 ?? from ?? header.createdAt;
  let allTracks: Map<string, RacerTrack> | undefined;
  const tracks = () => {
    allTracks ??= buildTracks(members);
    return allTracks;
  };
  let racers: readonly string[] | undefined;
  let builtIndex: ReplayIndex | undefined;
  const positionsAt: Replay['positionsAt'] = (time, opts) => racerPositions(members, time, opts);
  const replay: Replay = {
    header,
    get index() {
      builtIndex ??= indexOf(
        header,
        headerMember,
        slots,
        { t0, from, to, records },
        () =>
          trailer()?.positions ??
          [...tracks().values()].reduce((sum, track) => sum + track.length, 0),
        () => replay.racers,
      );
      return builtIndex;
    },
    get complete() {
      return trailer() !== undefined;
    },
    get issues() {
      return issues;
    },
    t0,
    raceTimeOrigin,
    from,
    to,
    get racers() {
      racers ??= trailer()?.racers ?? [...tracks().keys()];
      return racers;
    },
    raceTimeMs: (time) => (time - raceTimeOrigin) * 1000,
    timeOf: (raceTimeMs) => raceTimeOrigin + raceTimeMs / 1000,
    seek(raceTimeMs, opts) {
      const time = raceTimeOrigin + raceTimeMs / 1000;
      return {
        raceTimeMs,
        time,
        positions: positionsAt(time, opts),
        state: latestMessage(members, 'state', time) ?? header.state,
        ranking: latestMessage(members, 'ranking', time) ?? null,
      };
    },
    positionsAt,
    messages: (rangeFrom = Number.NEGATIVE_INFINITY, rangeTo = Number.POSITIVE_INFINITY) =>
      messagesIn(members, rangeFrom, rangeTo),
    track: (playerId) => tracks().get(playerId),
    tracks,
  };
  return replay;
}

/** The index of an opened recording, as the scan and the trailer (when it agrees) give it. */
function indexOf(
  header: ReplayHeader,
  headerMember: ScannedMember,
  slots: readonly Slot[],
  span: { t0: number | null; from: number | null; to: number | null; records: number },
  positions: () => number,
  racers: () => readonly string[],
): ReplayIndex {
  return {
    type: 'index',
    raceId: header.raceId,
    ...span,
    positions: positions(),
    racers: racers(),
    members: [
      memberEntry(headerMember.offset, headerMember.info),
      ...slots.slice(1).map((slot) => slot.entry),
    ],
  };
}

/**
 * A recording without member lengths, written again in this package's layout and opened; its
 * header and issues are the original's.
 */
function openRewritten(bytes: Uint8Array, options: OpenReplayOptions): Result<Replay, ReplayError> {
  const rewritten = rewriteReplay(bytes, options);
  if (!rewritten.ok) return rewritten;
  const opened = openReplay(rewritten.value.bytes, options);
  if (!opened.ok) return opened;
  const inner = opened.value;
  const carried = rewritten.value.issues;
  // The rewritten file's own issues are none; report what the original had.
  return ok(
    Object.create(inner, {
      header: { value: rewritten.value.header },
      issues: { get: () => [...carried, ...inner.issues] },
    }) as Replay,
  );
}
