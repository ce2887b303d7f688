import { inflateMember, MEMBER_FLAGS } from './gzip-member';
import { decodeMember } from './member-decoder';
import type { Recovery } from './recovery';
import { ReplayError } from './replay-error';
import { parseReplayHeader } from './replay-header';
import type { ScannedMember } from './scan-members';

/**
 * Copies every intact member of ours into `recovery` (checked by inflating, CRC-32 included)
 * and drops damaged ones and the old index trailer. Returns the error that ends the recovery
 * (the header member is damaged or missing), if any.
 */
export function recoverMembers(
  recovery: Recovery,
  bytes: Uint8Array,
  members: readonly ScannedMember[],
): ReplayError | undefined {
  for (const member of members) {
    const text = inflateMember(bytes, member.offset, member);
    if (!text.ok) {
      recovery.issues.push(text.error);
      recovery.dropped.push({ offset: member.offset, reason: text.error.message });
      if (!recovery.header)
        return new ReplayError(
          'NOT_A_REPLAY',
          `the header member is damaged: ${text.error.message}`,
          { offset: 0 },
        );
      recovery.states.clear();
      continue;
    }
    const header = recovery.header;
    if (!header) {
      const decoded = decodeMember(text.value, member.offset, recovery.states, undefined);
      const parsed = parseReplayHeader(decoded.headerLine);
      if (member.offset !== 0 || !parsed.ok) {
        return parsed.ok
          ? new ReplayError('NOT_A_REPLAY', 'the file does not start with a header member')
          : parsed.error;
      }
      recovery.takeHeader(parsed.value);
      recovery.copy(bytes, member);
      continue;
    }
    if (member.info.flags & MEMBER_FLAGS.index) {
      recovery.hadIndex = true;
      continue;
    }
    recovery.absorb(decodeMember(text.value, member.offset, recovery.states, header), header);
    recovery.copy(bytes, member);
  }
  return undefined;
}
