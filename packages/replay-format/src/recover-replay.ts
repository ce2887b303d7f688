import { err, ok, type Result } from '@gw2race/protocol';
import { recoverForeignTail } from './recover-foreign-tail';
import { recoverMembers } from './recover-members';
import { Recovery } from './recovery';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import type { ReplayIndex } from './replay-index';
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
  const recovery = new Recovery(scan);
  const failed =
    recoverMembers(recovery, bytes, scan.members) ??
    (scan.foreignAt === undefined
      ? undefined
      : recoverForeignTail(recovery, bytes, scan.foreignAt));
  if (failed) return err(failed);
  const header = recovery.header;
  if (!header) return err(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
  const index = recovery.keepIndex(header);
  const { records, to } = recovery;
  return ok({
    bytes: recovery.bytes(),
    header,
    index,
    report: {
      keptMembers: recovery.kept,
      droppedMembers: recovery.dropped,
      lostBytes: bytes.length - recovery.accounted,
      truncated: scan.truncatedAt !== undefined,
      hadIndex: recovery.hadIndex,
      records,
      lastAt: records > 0 ? to : null,
    },
    issues: recovery.issues,
  });
}
