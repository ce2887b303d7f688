import {
  err,
  ok,
  type PosMessage,
  RACE_RELATIVE_LIMIT,
  type RankingMessage,
  type Result,
  type StateMessage,
} from '@gw2race/protocol';
import { type GunzipMember, inflateMember, MEMBER_FLAGS } from './gzip-member';
import {
  type DecodedEvent,
  type DecodedMember,
  type DeltaStates,
  decodeMember,
} from './member-decoder';
import { memberEntries } from './member-entries';
import type { DecodedChunk, DecodeScratch, RacerDeltaState } from './position-line';
import { createReplayDecoder } from './replay-decoder';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import { parseReplayHeader, type ReplayHeader } from './replay-header';
import {
  memberEntry,
  parseReplayIndex,
  type ReplayIndex,
  type ReplayMemberEntry,
} from './replay-index';
import { createReplayWriter, type ReplayWriter } from './replay-writer';
import { type ScannedMember, scanMembers } from './scan-members';

/** Options of {@link openReplay}. */
export interface OpenReplayOptions {
  /** Check each member's CRC-32 when it is first decoded (default true). */
  readonly verifyChecksums?: boolean;
  /** A native inflater for members (e.g. `node:zlib`'s `gunzipSync`); fflate otherwise. */
  readonly gunzip?: GunzipMember;
  /** Decoded members kept in memory for repeated seeks (default 64). */
  readonly cacheMembers?: number;
}

/** Options of {@link Replay.positionsAt} and {@link Replay.seek}. */
export interface PositionsAtOptions {
  /**
   * Interpolate only between samples at most this far apart; beyond, the earlier sample is held
   * (default 1000 ms: a few lost QoS 0 samples).
   */
  readonly maxGapMs?: number;
  /** Leave out racers whose last sample is older than this (default 5000 ms). */
  readonly maxAgeMs?: number;
}

/** Where a racer is at an instant. */
export interface RacerPosition {
  readonly playerId: string;
  /** Metres (MumbleLink frame). */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** m/s, when the samples carry it. */
  readonly v?: number;
  /** From the sample at or before the instant. */
  readonly mapId?: number;
  readonly mount?: number;
  /** True when interpolated between two samples, false when the last sample is held. */
  readonly interpolated: boolean;
  /** `t` of the sample at or before the instant (epoch s). */
  readonly before: number;
  /** `t` of the sample after the instant, when interpolated (epoch s). */
  readonly after?: number;
  /** Milliseconds since the sample at or before the instant. */
  readonly ageMs: number;
}

/** The state of the race at an instant. */
export interface ReplaySnapshot {
  /** The instant, ms since the race time origin ({@link Replay.raceTimeOrigin}). */
  readonly raceTimeMs: number;
  /** The instant on the organizer clock (epoch s). */
  readonly time: number;
  /** Every racer seen around that instant. */
  readonly positions: RacerPosition[];
  /** The last `state` received at or before the instant (the header's before any). */
  readonly state: StateMessage | null;
  /** The last `ranking` received at or before the instant. */
  readonly ranking: RankingMessage | null;
}

/** One racer's whole path, column by column. `NaN` marks a sample without that value. */
export interface RacerTrack {
  readonly playerId: string;
  readonly length: number;
  /** When the game produced each position (epoch s). */
  readonly t: Float64Array;
  /** When the host received it (epoch s). */
  readonly at: Float64Array;
  /** Metres. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** m/s. */
  readonly v: Float64Array;
  readonly mapId: Float64Array;
  readonly mount: Float64Array;
}

/** A recording opened for random access. Create it with {@link openReplay}. */
export interface Replay {
  readonly header: ReplayHeader;
  /** The index: the trailer when it checks out, else rebuilt by scanning the members. */
  readonly index: ReplayIndex;
  /** True when the file ends with a valid index trailer (the writer closed it). */
  readonly complete: boolean;
  /**
   * Problems found so far (opening, and decoding members on demand). Positions (`seek`,
   * `positionsAt`, `tracks`) decode only the event lines they need (positions stored as events,
   * `state`, `control`) and skip the others unchecked; `messages` checks every line it returns.
   */
  readonly issues: readonly ReplayError[];
  /** The start instant (epoch s): the last one the recording announced, else the header's. */
  readonly t0: number | null;
  /** Race time 0 (epoch s): `t0`, or the first record when the race never started. */
  readonly raceTimeOrigin: number;
  /** Earliest and latest host receive time of a record (epoch s), or null if none. */
  readonly from: number | null;
  readonly to: number | null;
  /** Players with positions, in order of first appearance. */
  readonly racers: readonly string[];
  /** Race time (ms) of an instant (epoch s). */
  raceTimeMs(time: number): number;
  /** The instant (epoch s) of a race time (ms). */
  timeOf(raceTimeMs: number): number;
  /**
   * The race at `raceTimeMs`: every racer's position (interpolated between samples), and the
   * last state and ranking. Decodes only from the keyframe before the instant.
   */
  seek(raceTimeMs: number, options?: PositionsAtOptions): ReplaySnapshot;
  /** Every racer's position at an instant (epoch s, organizer clock). */
  positionsAt(time: number, options?: PositionsAtOptions): RacerPosition[];
  /** Every message received in `[from, to]` (epoch s, inclusive; default: all), in order. */
  messages(from?: number, to?: number): ReplayEntry[];
  /** One racer's whole path (decodes the recording once, then cached). */
  track(playerId: string): RacerTrack | undefined;
  /** Every racer's path. */
  tracks(): ReadonlyMap<string, RacerTrack>;
}

interface Slot {
  readonly entry: ReplayMemberEntry;
  readonly scanned: ScannedMember | undefined;
}

interface CachedMember {
  /** With `lean`, its events are only those of {@link POSITION_EVENT_KINDS}. */
  readonly decoded: DecodedMember;
  readonly lean: boolean;
  readonly entries: ReplayEntry[] | undefined;
  readonly endStates: DeltaStates;
}

/**
 * The events positions need: positions stored as event lines, and the start instants (`state`,
 * `control`) race-relative times count from. Seeking and building tracks decode only these and
 * skip the rest (rankings, presence, pings) unparsed.
 */
const POSITION_EVENT_KINDS: ReadonlySet<string> = new Set(['pos', 'state', 'control']);

/** The kinds a seek's `state` and `ranking`, and the start instant, are looked up among. */
const KIND_SETS = {
  state: new Set(['state']),
  ranking: new Set(['ranking']),
  start: new Set(['state', 'control']),
} as const;

function cloneStates(states: DeltaStates): DeltaStates {
  const copy: DeltaStates = new Map();
  for (const [playerId, state] of states) {
    const clone = {} as RacerDeltaState;
    for (const key of Object.keys(state) as (keyof RacerDeltaState)[])
      clone[key] = { ...state[key] };
    copy.set(playerId, clone);
  }
  return copy;
}

/** Lookback before an instant, so the sample before it is decoded even if it arrived earlier. */
const LOOKBACK_S = 2;
/** How long after an instant samples for it may still arrive (network lag). */
const LAG_MARGIN_S = 2;

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
  const inflateOptions = {
    ...(options.verifyChecksums === undefined ? {} : { verifyChecksums: options.verifyChecksums }),
    ...(options.gunzip ? { gunzip: options.gunzip } : {}),
  };
  const cacheLimit = Math.max(2, options.cacheMembers ?? 64);
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
  if (first?.offset !== 0 || scan.foreignAt !== undefined) {
    return openWhole(bytes, options);
  }
  const headerText = inflateMember(bytes, first.offset, first, inflateOptions);
  if (!headerText.ok) return err(headerText.error);
  const headerMember = decodeMember(headerText.value, 0, new Map(), undefined);
  const parsed = parseReplayHeader(headerMember.headerLine);
  if (!parsed.ok) return err(parsed.error);
  const header = parsed.value.header;
  for (const warning of parsed.value.warnings) report(warning);

  const last = scan.members[scan.members.length - 1]!;
  const dataMembers = scan.members.filter((member) => !(member.info.flags & MEMBER_FLAGS.index));
  // The trailer, read only when asked for (opening stays cheap): used if it agrees with the scan.
  let trailerRead = false;
  let trailerValue: ReplayIndex | undefined;
  const trailer = (): ReplayIndex | undefined => {
    if (trailerRead) return trailerValue;
    trailerRead = true;
    if (last === first || !(last.info.flags & MEMBER_FLAGS.index)) return undefined;
    const text = inflateMember(bytes, last.offset, last, inflateOptions);
    if (!text.ok) {
      report(text.error);
      return undefined;
    }
    const parsedIndex = parseReplayIndex(
      decodeMember(text.value, last.offset, new Map(), header).indexLine,
    );
    const agrees =
      parsedIndex !== undefined &&
      parsedIndex.members.length === dataMembers.length &&
      parsedIndex.members.every(
        (member, i) =>
          member.offset === dataMembers[i]!.offset && member.length === dataMembers[i]!.info.length,
      );
    if (!agrees) {
      report(
        new ReplayError(
          'INDEX_MISMATCH',
          'the index trailer does not match the members; rebuilt by scanning',
          {
            offset: last.offset,
          },
        ),
      );
      return undefined;
    }
    trailerValue = parsedIndex;
    return trailerValue;
  };

  const slots: Slot[] = dataMembers.map((scanned) => ({
    entry: memberEntry(scanned.offset, scanned.info),
    scanned,
  }));
  const cache = new Map<number, CachedMember>();
  /** Events of members not in `cache`, by member and the kinds decoded (`i:kinds`). */
  const eventsCache = new Map<string, DecodedEvent[]>();

  const touch = (i: number, value: CachedMember) => {
    cache.delete(i);
    cache.set(i, value);
    while (cache.size > cacheLimit) cache.delete(cache.keys().next().value as number);
  };

  /** With `scratch`, the text is only valid until the next member inflated with it. */
  const inflateSlot = (i: number, scratch?: { bytes: Uint8Array }): Uint8Array | undefined => {
    const scanned = slots[i]!.scanned!;
    const text = inflateMember(
      bytes,
      scanned.offset,
      scanned,
      inflateOptions,
      scanned.offset,
      scratch,
    );
    if (!text.ok) {
      report(text.error);
      return undefined;
    }
    return text.value;
  };

  /**
   * The events of member `i` (its positions aside), every one or those of `kinds`, decoded;
   * undefined if it cannot be inflated.
   */
  const memberEvents = (i: number, kinds?: ReadonlySet<string>): DecodedEvent[] | undefined => {
    const text = inflateSlot(i);
    if (!text) return undefined;
    const decoded = decodeMember(
      text,
      slots[i]!.entry.offset,
      new Map(),
      header,
      false,
      undefined,
      undefined,
      kinds,
    );
    for (const issue of decoded.issues) report(issue);
    return decoded.events;
  };

  /**
   * Decodes member `i` with its delta state, from the nearest keyframe or cached member before it.
   * `lean`: only the events of {@link POSITION_EVENT_KINDS} are needed (members decoded for this
   * are cached so, and decoded again for their other events when those are asked for).
   */
  const ensure = (i: number, lean = false): CachedMember => {
    const hit = cache.get(i);
    if (hit && (lean || !hit.lean)) {
      touch(i, hit);
      return hit;
    }
    if (hit) {
      const events = memberEvents(i) ?? [];
      const full: CachedMember = { ...hit, decoded: { ...hit.decoded, events }, lean: false };
      touch(i, full);
      return full;
    }
    let j = i;
    while (j > 1 && !slots[j]!.entry.keyframe && !cache.has(j - 1)) j--;
    let states: DeltaStates =
      j <= 1 || slots[j]!.entry.keyframe ? new Map() : cloneStates(cache.get(j - 1)!.endStates);
    let result: CachedMember | undefined;
    for (let k = j; k <= i; k++) {
      const cached = k < i ? cache.get(k) : undefined;
      if (cached) {
        states = cloneStates(cached.endStates);
        continue;
      }
      const text = inflateSlot(k);
      let decoded: DecodedMember;
      if (text) {
        decoded = decodeMember(
          text,
          slots[k]!.entry.offset,
          states,
          header,
          true,
          undefined,
          undefined,
          lean ? POSITION_EVENT_KINDS : undefined,
        );
      } else {
        states.clear();
        decoded = {
          events: [],
          chunks: [],
          headerLine: undefined,
          indexLine: undefined,
          issues: [],
          lines: 0,
        };
      }
      for (const issue of decoded.issues) report(issue);
      result = { decoded, lean, entries: undefined, endStates: cloneStates(states) };
      touch(k, result);
    }
    return result ?? cache.get(i)!;
  };

  /**
   * Member `i`'s events: at least those of `kinds` (more when the member is cached whole or for
   * positions), so callers look for the kind they want.
   */
  const eventsOf = (i: number, kinds: ReadonlySet<string>): DecodedEvent[] => {
    const cached = cache.get(i);
    if (cached && (!cached.lean || [...kinds].every((kind) => POSITION_EVENT_KINDS.has(kind))))
      return cached.decoded.events;
    const key = `${i}:${[...kinds].join(',')}`;
    let events = eventsCache.get(key);
    if (!events) {
      events = memberEvents(i, kinds) ?? [];
      if (eventsCache.size >= cacheLimit)
        eventsCache.delete(eventsCache.keys().next().value as string);
      eventsCache.set(key, events);
    }
    return events;
  };

  const hasKind = (i: number, kind: string) => slots[i]!.entry.kinds.includes(kind);

  /** The last message of `kind` received at or before `time`. */
  const latest = <K extends 'state' | 'ranking'>(kind: K, time: number) => {
    for (let i = lastMemberBefore(slots, time + LAG_MARGIN_S); i >= 1; i--) {
      if (!hasKind(i, kind)) continue;
      const events = eventsOf(i, KIND_SETS[kind]);
      for (let k = events.length - 1; k >= 0; k--) {
        const { at, entry } = events[k]!;
        if (entry.kind === kind && at <= time)
          return entry.message as K extends 'state' ? StateMessage : RankingMessage;
      }
    }
    return undefined;
  };

  // t0: the last one the recording announced (state, START/RESUME), else the header's.
  let t0: number | null = header.t0;
  search: for (let i = slots.length - 1; i >= 1; i--) {
    if (!hasKind(i, 'state') && !hasKind(i, 'control')) continue;
    const events = eventsOf(i, KIND_SETS.start);
    for (let k = events.length - 1; k >= 0; k--) {
      const { entry } = events[k]!;
      if (entry.kind === 'state' && typeof entry.message.t0 === 'number') {
        t0 = entry.message.t0;
        break search;
      }
      if (
        entry.kind === 'control' &&
        (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
        typeof entry.message.t0 === 'number'
      ) {
        t0 = entry.message.t0;
        break search;
      }
    }
  }

  /** The start instant in effect at `time` (epoch s): the last announced at or before it. */
  const t0At = (time: number): number | null => {
    for (let i = lastMemberBefore(slots, time); i >= 1; i--) {
      if (!hasKind(i, 'state') && !hasKind(i, 'control')) continue;
      const events = eventsOf(i, KIND_SETS.start).filter((event) => event.at <= time);
      const found = announcedT0(events, null);
      if (found !== null) return found;
    }
    return header.t0;
  };

  let from: number | null = null;
  let to: number | null = null;
  let records = 0;
  for (const slot of slots) {
    const { entry } = slot;
    records += entry.records;
    if (entry.from !== null && (from === null || entry.from < from)) from = entry.from;
    if (entry.to !== null && (to === null || entry.to > to)) to = entry.to;
  }
  const raceTimeOrigin = t0 ?? from ?? header.createdAt;

  let allTracks: Map<string, RacerTrack> | undefined;
  const buildTracks = (): Map<string, RacerTrack> => {
    if (allTracks) return allTracks;
    const builders = new Map<string, TrackBuilder>();
    let states: DeltaStates = new Map();
    // Members decoded here are copied into the tracks at once: one buffer serves them all.
    const scratch: DecodeScratch = { values: new Float64Array(0) };
    const textScratch = { bytes: new Uint8Array(0) };
    // Records from each member to the end: a new racer's share of them sizes their columns.
    const remaining = new Float64Array(slots.length + 1);
    for (let i = slots.length - 1; i >= 1; i--) {
      remaining[i] = remaining[i + 1]! + slots[i]!.entry.records;
    }
    // The start instant in effect, for race-relative `t` (as the race engine converts them).
    let runningT0 = header.t0;
    for (let i = 1; i < slots.length; i++) {
      const cached = cache.get(i);
      let chunks: DecodedChunk[];
      let decoded: DecodedMember;
      if (cached) {
        decoded = cached.decoded;
        states = cloneStates(cached.endStates);
      } else {
        const text = inflateSlot(i, textScratch);
        if (!text) {
          states.clear();
          continue;
        }
        decoded = decodeMember(
          text,
          slots[i]!.entry.offset,
          states,
          header,
          true,
          scratch,
          undefined,
          POSITION_EVENT_KINDS,
        );
        for (const issue of decoded.issues) report(issue);
      }
      chunks = positionChunks(decoded, header);
      runningT0 = announcedT0(decoded.events, runningT0);
      for (const chunk of chunks) {
        let builder = builders.get(chunk.playerId);
        if (!builder) {
          builder = new TrackBuilder(chunk.playerId, remaining[i]! / chunks.length + chunk.n);
          builders.set(chunk.playerId, builder);
        }
        builder.add(chunk, header, runningT0);
      }
    }
    allTracks = new Map([...builders].map(([playerId, builder]) => [playerId, builder.finish()]));
    return allTracks;
  };

  let racers: readonly string[] | undefined;
  let builtIndex: ReplayIndex | undefined;
  const index = (): ReplayIndex => {
    builtIndex ??= {
      type: 'index',
      raceId: header.raceId,
      t0,
      from,
      to,
      records,
      positions:
        trailer()?.positions ??
        [...buildTracks().values()].reduce((sum, track) => sum + track.length, 0),
      racers: replay.racers,
      members: [memberEntry(first.offset, first.info), ...slots.slice(1).map((slot) => slot.entry)],
    };
    return builtIndex;
  };

  const positionsAt = (time: number, opts: PositionsAtOptions = {}): RacerPosition[] => {
    const maxGap = (opts.maxGapMs ?? 1000) / 1000;
    const maxAge = (opts.maxAgeMs ?? 5000) / 1000;
    if (slots.length <= 1) return [];
    const lastIndex = Math.max(1, lastMemberBefore(slots, time + LAG_MARGIN_S));
    let firstIndex = Math.max(1, lastMemberBefore(slots, time - Math.max(LOOKBACK_S, maxAge)));
    while (firstIndex > 1 && !slots[firstIndex]!.entry.keyframe) firstIndex--;
    const { timeScale, positionScale, speedScale } = header.quantization;
    const target = time * timeScale - header.origin;
    // Race-relative `t` (below 1e9 s) counts from the start instant in effect at `time`: in
    // the same units, `t + shift`. Looked up only when such a sample turns up.
    const relativeBelow = RACE_RELATIVE_LIMIT * timeScale - header.origin;
    let start: number | null | undefined;
    let shift = 0;
    const epochUnits = (t: number): number => {
      if (t >= relativeBelow) return t;
      if (start === undefined) {
        start = t0At(time);
        shift = start === null ? 0 : start * timeScale;
      }
      return t + shift;
    };
    /** Epoch seconds of a `t` (time units from the origin), as the race engine converts it. */
    const seconds = (t: number): number => {
      const value = (header.origin + t) / timeScale;
      return t >= relativeBelow || start === undefined || start === null ? value : start + value;
    };
    const found = new Map<string, Bracket>();
    for (let i = firstIndex; i <= lastIndex; i++) {
      for (const chunk of positionChunks(ensure(i, true).decoded, header)) {
        let bracket = found.get(chunk.playerId);
        if (!bracket) {
          bracket = {
            before: undefined,
            beforeIndex: 0,
            beforeT: 0,
            after: undefined,
            afterIndex: 0,
            afterT: 0,
          };
          found.set(chunk.playerId, bracket);
        }
        const { values } = chunk;
        for (let k = 0; k < chunk.n; k++) {
          const t = epochUnits(values[chunk.t + k]!);
          if (t <= target) {
            if (!bracket.before || t >= bracket.beforeT) {
              bracket.before = chunk;
              bracket.beforeIndex = k;
              bracket.beforeT = t;
            }
          } else if (!bracket.after || t < bracket.afterT) {
            bracket.after = chunk;
            bracket.afterIndex = k;
            bracket.afterT = t;
          }
        }
      }
    }
    const out: RacerPosition[] = [];
    for (const [playerId, bracket] of found) {
      const a = bracket.before;
      if (!a) continue;
      const i = bracket.beforeIndex;
      const ta = bracket.beforeT;
      const age = (target - ta) / timeScale;
      if (age > maxAge) continue;
      const b = bracket.after;
      const j = bracket.afterIndex;
      const tb = b ? bracket.afterT : Number.NaN;
      const interpolate = b !== undefined && (tb - ta) / timeScale <= maxGap && tb > ta;
      const f = interpolate ? (target - ta) / (tb - ta) : 0;
      const lerp = (column: 'x' | 'y' | 'z' | 'v', scale: number): number => {
        const va = a.values[a[column] + i]!;
        if (!interpolate || !b || b[column] < 0) return va / scale;
        const vb = b.values[b[column] + j]!;
        return Number.isNaN(vb) ? va / scale : (va + (vb - va) * f) / scale;
      };
      const position: {
        -readonly [K in keyof RacerPosition]: RacerPosition[K];
      } = {
        playerId,
        x: lerp('x', positionScale),
        y: lerp('y', positionScale),
        z: lerp('z', positionScale),
        interpolated: interpolate,
        before: seconds(a.values[a.t + i]!),
        ageMs: age * 1000,
      };
      if (a.v >= 0 && !Number.isNaN(a.values[a.v + i]!)) position.v = lerp('v', speedScale);
      if (a.mapId >= 0 && !Number.isNaN(a.values[a.mapId + i]!))
        position.mapId = a.values[a.mapId + i]!;
      if (a.mount >= 0 && !Number.isNaN(a.values[a.mount + i]!))
        position.mount = a.values[a.mount + i]!;
      if (interpolate && b) position.after = seconds(b.values[b.t + j]!);
      out.push(position);
    }
    return out;
  };

  const replay: Replay = {
    header,
    get index() {
      return index();
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
      racers ??= trailer()?.racers ?? [...buildTracks().keys()];
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
        state: latest('state', time) ?? header.state,
        ranking: latest('ranking', time) ?? null,
      };
    },
    positionsAt,
    messages(rangeFrom = Number.NEGATIVE_INFINITY, rangeTo = Number.POSITIVE_INFINITY) {
      const out: ReplayEntry[] = [];
      for (let i = 1; i < slots.length; i++) {
        const { entry } = slots[i]!;
        if (entry.to !== null && entry.to < rangeFrom) continue;
        if (entry.from !== null && entry.from > rangeTo) break;
        const cached = ensure(i);
        const entries = cached.entries ?? memberEntries(cached.decoded, header);
        if (!cached.entries) touch(i, { ...cached, entries });
        for (const message of entries) {
          if (message.at >= rangeFrom && message.at <= rangeTo) out.push(message);
        }
      }
      return out;
    },
    track: (playerId) => buildTracks().get(playerId),
    tracks: () => buildTracks(),
  };
  return ok(replay);
}

interface Bracket {
  before: DecodedChunk | undefined;
  beforeIndex: number;
  /** `t` of the sample before, in time units from the origin, race-relative ones shifted. */
  beforeT: number;
  after: DecodedChunk | undefined;
  afterIndex: number;
  afterT: number;
}

/** The last start instant `events` announce (`state.t0`, `START`/`RESUME`), else `t0`. */
function announcedT0(events: readonly DecodedEvent[], t0: number | null): number | null {
  let found = t0;
  for (const { entry } of events) {
    if (entry.kind === 'state' && typeof entry.message.t0 === 'number') found = entry.message.t0;
    else if (
      entry.kind === 'control' &&
      (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
      typeof entry.message.t0 === 'number'
    ) {
      found = entry.message.t0;
    }
  }
  return found;
}

/** Index of the last slot (from 1) whose first record is at or before `time`; 0 if none. */
function lastMemberBefore(slots: readonly Slot[], time: number): number {
  let lo = 1;
  let hi = slots.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = slots[mid]!.entry.from;
    if (start === null || start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Grows one racer's columns as chunks arrive. */
class TrackBuilder {
  private length = 0;
  private columns: Record<'t' | 'at' | 'x' | 'y' | 'z' | 'v' | 'mapId' | 'mount', Float64Array>;

  /** `capacity`: samples to make room for up front (growing the columns costs more than filling them). */
  constructor(
    private readonly playerId: string,
    capacity = 1024,
  ) {
    const size = Math.max(16, Math.ceil(capacity));
    const make = () => new Float64Array(size);
    this.columns = {
      t: make(),
      at: make(),
      x: make(),
      y: make(),
      z: make(),
      v: make(),
      mapId: make(),
      mount: make(),
    };
  }

  /** `t0`: the start instant race-relative `t` (below 1e9 s) count from, when known. */
  add(chunk: DecodedChunk, header: ReplayHeader, t0: number | null): void {
    const needed = this.length + chunk.n;
    if (needed > this.columns.t.length) {
      const size = Math.max(needed, this.columns.t.length * 2);
      for (const key of Object.keys(this.columns) as (keyof TrackBuilder['columns'])[]) {
        const grown = new Float64Array(size);
        grown.set(this.columns[key].subarray(0, this.length));
        this.columns[key] = grown;
      }
    }
    const { timeScale, positionScale, speedScale } = header.quantization;
    const { origin } = header;
    const { values, n } = chunk;
    const c = this.columns;
    const at0 = this.length;
    const start = t0 ?? 0;
    for (let k = 0; k < n; k++) {
      const t = values[chunk.t + k]!;
      const seconds = (origin + t) / timeScale;
      c.t[at0 + k] = seconds < RACE_RELATIVE_LIMIT ? start + seconds : seconds;
      c.at[at0 + k] = (origin + t + values[chunk.lag + k]!) / timeScale;
      c.x[at0 + k] = values[chunk.x + k]! / positionScale;
      c.y[at0 + k] = values[chunk.y + k]! / positionScale;
      c.z[at0 + k] = values[chunk.z + k]! / positionScale;
    }
    if (chunk.v >= 0) for (let k = 0; k < n; k++) c.v[at0 + k] = values[chunk.v + k]! / speedScale;
    else c.v.fill(Number.NaN, at0, needed);
    if (chunk.mapId >= 0) c.mapId.set(values.subarray(chunk.mapId, chunk.mapId + n), at0);
    else c.mapId.fill(Number.NaN, at0, needed);
    if (chunk.mount >= 0) c.mount.set(values.subarray(chunk.mount, chunk.mount + n), at0);
    else c.mount.fill(Number.NaN, at0, needed);
    this.length = needed;
  }

  /** Samples from event lines can interleave with a position line's: keep a track in time order. */
  private sortByTime(): void {
    const n = this.length;
    const t = this.columns.t;
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (t[k]! < t[k - 1]!) sorted = false;
    if (sorted) return;
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => t[a]! - t[b]! || a - b);
    for (const key of Object.keys(this.columns) as (keyof TrackBuilder['columns'])[]) {
      const column = this.columns[key];
      const copy = Float64Array.from(order, (k) => column[k]!);
      column.set(copy);
    }
  }

  finish(): RacerTrack {
    const n = this.length;
    const c = this.columns;
    this.sortByTime();
    // Views, not copies (the builder is dropped once finished), unless the room made up front
    // turned out much too large: then copies, so the tracks do not hold on to it.
    const cut =
      c.t.length > n * 1.25 + 1024
        ? (column: Float64Array) => column.slice(0, n)
        : (column: Float64Array) => column.subarray(0, n);
    return {
      playerId: this.playerId,
      length: n,
      t: cut(c.t),
      at: cut(c.at),
      x: cut(c.x),
      y: cut(c.y),
      z: cut(c.z),
      v: cut(c.v),
      mapId: cut(c.mapId),
      mount: cut(c.mount),
    };
  }
}

/** Positions a member stores as plain event lines, as chunks in the units of position lines. */
const eventChunksCache = new WeakMap<DecodedMember, DecodedChunk[]>();

/**
 * Every position of a member as chunks: its position lines, plus the positions it stores exactly
 * as event lines (`compactPositions: false`, or values a position line cannot hold), so seeking
 * and tracks see every sample.
 */
function positionChunks(decoded: DecodedMember, header: ReplayHeader): DecodedChunk[] {
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

/**
 * A recording without member lengths (recompressed by another tool, or written by another
 * implementation without the `GR` field): decoded once and written again in this package's
 * layout, then opened. Quantized values survive re-encoding unchanged, so nothing is lost.
 */
function openWhole(bytes: Uint8Array, options: OpenReplayOptions): Result<Replay, ReplayError> {
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
  const opened = openReplay(rewritten, options);
  if (!opened.ok) return opened;
  const inner = opened.value;
  const carried = [...decoder.issues];
  // The rewritten file's own issues are none; report what the original had.
  return ok(
    Object.create(inner, {
      header: { value: header },
      issues: { get: () => [...carried, ...inner.issues] },
    }) as Replay,
  );
}
