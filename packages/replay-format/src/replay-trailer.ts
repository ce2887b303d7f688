import { type InflateOptions, inflateMember, MEMBER_FLAGS } from './gzip-member';
import { decodeMember } from './member-decoder';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import { parseReplayIndex, type ReplayIndex } from './replay-index';
import type { ScannedMember } from './scan-members';

/**
 * The index trailer of a scanned recording, when its last member is one and it agrees with the
 * members the scan found (else `INDEX_MISMATCH` is reported and the scan wins). Undefined for
 * a recording without one.
 */
export function readReplayTrailer(
  bytes: Uint8Array,
  members: readonly ScannedMember[],
  header: ReplayHeader,
  inflateOptions: InflateOptions,
  report: (issue: ReplayError) => void,
): ReplayIndex | undefined {
  const first = members[0];
  const last = members[members.length - 1];
  if (!last || last === first || !(last.info.flags & MEMBER_FLAGS.index)) return undefined;
  const dataMembers = members.filter((member) => !(member.info.flags & MEMBER_FLAGS.index));
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
        { offset: last.offset },
      ),
    );
    return undefined;
  }
  return parsedIndex;
}
