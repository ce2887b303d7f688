import { type InflateOptions, inflateMember } from './gzip-member';
import {
  type DecodedEvent,
  type DecodedMember,
  type DeltaStates,
  decodeMember,
} from './member-decoder';
import type { RacerDeltaState } from './position-line';
import type { ReplayEntry } from './replay-entry';
import type { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import type { ReplayMemberEntry } from './replay-index';
import type { ScannedMember } from './scan-members';

/** A member of an opened recording: its index entry and where the scan found it. */
export interface Slot {
  readonly entry: ReplayMemberEntry;
  readonly scanned: ScannedMember | undefined;
}

/** A decoded member kept for repeated seeks. */
export interface CachedMember {
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
export const POSITION_EVENT_KINDS: ReadonlySet<string> = new Set(['pos', 'state', 'control']);

/** A deep copy of racers' delta states (a member's end states seed the next one's decoding). */
export function cloneStates(states: DeltaStates): DeltaStates {
  const copy: DeltaStates = new Map();
  for (const [playerId, state] of states) {
    const clone = {} as RacerDeltaState;
    for (const key of Object.keys(state) as (keyof RacerDeltaState)[])
      clone[key] = { ...state[key] };
    copy.set(playerId, clone);
  }
  return copy;
}

/** What {@link MemberCache} reads from. */
export interface MemberCacheSource {
  readonly bytes: Uint8Array;
  readonly slots: readonly Slot[];
  readonly header: ReplayHeader;
  readonly inflateOptions: InflateOptions;
  /** Decoded members kept (and, apart, members' events). */
  readonly cacheLimit: number;
  readonly report: (issue: ReplayError) => void;
}

/** A member that could not be inflated. */
const emptyMember = (): DecodedMember => ({
  events: [],
  chunks: [],
  headerLine: undefined,
  indexLine: undefined,
  issues: [],
  lines: 0,
});

/**
 * The members of an opened recording, inflated and decoded on demand and kept (least recently
 * used first out): whole, for positions only (`lean`), or their events of some kinds.
 */
export class MemberCache {
  /** Decoded members, least recently used first. */
  readonly cache = new Map<number, CachedMember>();
  /** Events of members not in `cache`, by member and the kinds decoded (`i:kinds`). */
  private readonly eventsCache = new Map<string, DecodedEvent[]>();

  constructor(readonly source: MemberCacheSource) {}

  /** Keeps `value` as member `i`, the most recently used. */
  touch(i: number, value: CachedMember): void {
    const { cache } = this;
    cache.delete(i);
    cache.set(i, value);
    while (cache.size > this.source.cacheLimit) cache.delete(cache.keys().next().value as number);
  }

  /** With `scratch`, the text is only valid until the next member inflated with it. */
  inflateSlot(i: number, scratch?: { bytes: Uint8Array }): Uint8Array | undefined {
    const { bytes, slots, inflateOptions, report } = this.source;
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
  }

  /**
   * The events of member `i` (its positions aside), every one or those of `kinds`, decoded;
   * undefined if it cannot be inflated.
   */
  memberEvents(i: number, kinds?: ReadonlySet<string>): DecodedEvent[] | undefined {
    const text = this.inflateSlot(i);
    if (!text) return undefined;
    const { slots, header, report } = this.source;
    const offset = slots[i]!.entry.offset;
    const decoded = decodeMember(
      text,
      offset,
      new Map(),
      header,
      false,
      undefined,
      undefined,
      kinds,
    );
    for (const issue of decoded.issues) report(issue);
    return decoded.events;
  }

  /**
   * Decodes member `i` with its delta state, from the nearest keyframe or cached member before it.
   * `lean`: only the events of {@link POSITION_EVENT_KINDS} are needed (members decoded for this
   * are cached so, and decoded again for their other events when those are asked for).
   */
  ensure(i: number, lean = false): CachedMember {
    const { cache } = this;
    const { slots } = this.source;
    const hit = cache.get(i);
    if (hit && (lean || !hit.lean)) {
      this.touch(i, hit);
      return hit;
    }
    if (hit) {
      const events = this.memberEvents(i) ?? [];
      const full: CachedMember = { ...hit, decoded: { ...hit.decoded, events }, lean: false };
      this.touch(i, full);
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
      const decoded = this.decodeInOrder(k, states, lean);
      result = { decoded, lean, entries: undefined, endStates: cloneStates(states) };
      this.touch(k, result);
    }
    return result ?? cache.get(i)!;
  }

  /** Member `k` decoded on from `states` (updated); an empty member if it cannot be inflated. */
  private decodeInOrder(k: number, states: DeltaStates, lean: boolean): DecodedMember {
    const { slots, header, report } = this.source;
    const text = this.inflateSlot(k);
    if (!text) {
      states.clear();
      return emptyMember();
    }
    const decoded = decodeMember(
      text,
      slots[k]!.entry.offset,
      states,
      header,
      true,
      undefined,
      undefined,
      lean ? POSITION_EVENT_KINDS : undefined,
    );
    for (const issue of decoded.issues) report(issue);
    return decoded;
  }

  /**
   * Member `i`'s events: at least those of `kinds` (more when the member is cached whole or for
   * positions), so callers look for the kind they want.
   */
  eventsOf(i: number, kinds: ReadonlySet<string>): DecodedEvent[] {
    const cached = this.cache.get(i);
    if (cached && (!cached.lean || [...kinds].every((kind) => POSITION_EVENT_KINDS.has(kind))))
      return cached.decoded.events;
    const key = `${i}:${[...kinds].join(',')}`;
    const { eventsCache } = this;
    let events = eventsCache.get(key);
    if (!events) {
      events = this.memberEvents(i, kinds) ?? [];
      if (eventsCache.size >= this.source.cacheLimit)
        eventsCache.delete(eventsCache.keys().next().value as string);
      eventsCache.set(key, events);
    }
    return events;
  }

  /** True when member `i` holds messages of `kind` (by its `GR` field). */
  hasKind(i: number, kind: string): boolean {
    return this.source.slots[i]!.entry.kinds.includes(kind);
  }
}
