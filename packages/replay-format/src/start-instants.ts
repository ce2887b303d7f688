import type { MemberCache, Slot } from './member-cache';
import type { DecodedEvent } from './member-decoder';

/** The kinds that announce a start instant. */
const START_KINDS: ReadonlySet<string> = new Set(['state', 'control']);

/** The last start instant `events` announce (`state.t0`, `START`/`RESUME`), else `t0`. */
export function announcedT0(events: readonly DecodedEvent[], t0: number | null): number | null {
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
export function lastMemberBefore(slots: readonly Slot[], time: number): number {
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

const mayAnnounce = (members: MemberCache, i: number) =>
  members.hasKind(i, 'state') || members.hasKind(i, 'control');

/**
 * The last start instant the recording announces (`state.t0`, `START`/`RESUME`), else
 * `headerT0`: read from the last member that announces one, its state and control lines only.
 */
export function lastAnnouncedT0(members: MemberCache, headerT0: number | null): number | null {
  for (let i = members.source.slots.length - 1; i >= 1; i--) {
    if (!mayAnnounce(members, i)) continue;
    const found = announcedT0(members.eventsOf(i, START_KINDS), null);
    if (found !== null) return found;
  }
  return headerT0;
}

/** The start instant in effect at `time` (epoch s): the last announced at or before it. */
export function t0At(members: MemberCache, time: number, headerT0: number | null): number | null {
  for (let i = lastMemberBefore(members.source.slots, time); i >= 1; i--) {
    if (!mayAnnounce(members, i)) continue;
    const events = members.eventsOf(i, START_KINDS).filter((event) => event.at <= time);
    const found = announcedT0(events, null);
    if (found !== null) return found;
  }
  return headerT0;
}
