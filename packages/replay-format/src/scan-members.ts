import { type MemberInfo, readMemberHeader } from './gzip-member';
import { ReplayError } from './replay-error';

/** A member of ours found by {@link scanMembers}. */
export interface ScannedMember {
  readonly offset: number;
  readonly info: MemberInfo;
  readonly dataStart: number;
}

/** What {@link scanMembers} found. */
export interface MemberScan {
  /** Complete members of ours, in file order. */
  readonly members: ScannedMember[];
  /** Problems met (truncated tail, bytes that are not a member). */
  readonly issues: ReplayError[];
  /**
   * Offset of a gzip member without a `GR` field (written by another tool, e.g. the file was
   * recompressed); members from here on can only be found by inflating.
   */
  readonly foreignAt: number | undefined;
  /** Offset of a member cut short by the end of the file, if any. */
  readonly truncatedAt: number | undefined;
}

/**
 * Looks for the next member of ours at or after `from` whose length is consistent with what
 * follows (it ends at the end of `bytes`, or where another member starts or is cut off).
 */
export function resync(bytes: Uint8Array, from: number): number | undefined {
  for (let i = bytes.indexOf(0x1f, from); i >= 0; i = bytes.indexOf(0x1f, i + 1)) {
    if (bytes[i + 1] !== 0x8b || bytes[i + 2] !== 8) continue;
    const header = readMemberHeader(bytes, i);
    if (header.kind !== 'ours') continue;
    const end = i + header.info.length;
    if (end > bytes.length) continue;
    if (end === bytes.length) return i;
    const next = readMemberHeader(bytes, end);
    if (next.kind === 'ours' || next.kind === 'truncated' || next.kind === 'foreign') return i;
  }
  return undefined;
}

/**
 * Walks a recording from member to member by the lengths in their `GR` fields, without
 * inflating anything: this is how the index is rebuilt when the trailer is missing. Bytes that
 * are not a member are reported and skipped to the next member that checks out. Never throws.
 */
export function scanMembers(bytes: Uint8Array): MemberScan {
  const members: ScannedMember[] = [];
  const issues: ReplayError[] = [];
  let offset = 0;
  let foreignAt: number | undefined;
  let truncatedAt: number | undefined;
  while (offset < bytes.length) {
    const header = readMemberHeader(bytes, offset);
    if (header.kind === 'ours') {
      const end = offset + header.info.length;
      if (end <= bytes.length) {
        members.push({ offset, info: header.info, dataStart: header.dataStart });
        offset = end;
        continue;
      }
      // Either the tail was cut off, or the length field is damaged and members follow.
      const next = resync(bytes, offset + 1);
      if (next === undefined) {
        truncatedAt = offset;
        issues.push(
          new ReplayError(
            'TRUNCATED',
            `the file ends inside the member at byte ${offset} (${bytes.length - offset} of ${header.info.length} bytes)`,
            { offset },
          ),
        );
        break;
      }
      issues.push(
        new ReplayError(
          'CORRUPT_MEMBER',
          `member at byte ${offset} has a damaged length; skipped`,
          {
            offset,
          },
        ),
      );
      offset = next;
      continue;
    }
    if (header.kind === 'foreign') {
      foreignAt = offset;
      break;
    }
    if (header.kind === 'truncated') {
      truncatedAt = offset;
      issues.push(
        new ReplayError('TRUNCATED', `the file ends inside the gzip header at byte ${offset}`, {
          offset,
        }),
      );
      break;
    }
    const next = resync(bytes, offset + 1);
    issues.push(
      new ReplayError(
        'CORRUPT_BYTES',
        `bytes ${offset}-${(next ?? bytes.length) - 1} are not a gzip member (${header.reason}); skipped`,
        { offset },
      ),
    );
    if (next === undefined) break;
    offset = next;
  }
  return { members, issues, foreignAt, truncatedAt };
}
