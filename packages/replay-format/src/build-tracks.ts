import { cloneStates, type MemberCache, POSITION_EVENT_KINDS } from './member-cache';
import { type DecodedMember, type DeltaStates, decodeMember } from './member-decoder';
import { positionChunks } from './position-chunks';
import type { DecodeScratch } from './position-line';
import type { RacerTrack } from './replay';
import { announcedT0 } from './start-instants';
import { TrackBuilder } from './track-builder';

/**
 * Every racer's whole path, decoding the recording once in order (members already cached are
 * taken as they are). Members decoded here are copied into the tracks at once, so one scratch
 * buffer serves them all and they are not cached.
 */
export function buildTracks(members: MemberCache): Map<string, RacerTrack> {
  const { slots, header, report } = members.source;
  const builders = new Map<string, TrackBuilder>();
  let states: DeltaStates = new Map();
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
    const cached = members.cache.get(i);
    let decoded: DecodedMember;
    if (cached) {
      decoded = cached.decoded;
      states = cloneStates(cached.endStates);
    } else {
      const text = members.inflateSlot(i, textScratch);
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
    const chunks = positionChunks(decoded, header);
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
  return new Map([...builders].map(([playerId, builder]) => [playerId, builder.finish()]));
}
