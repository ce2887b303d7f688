import type { DecoderState } from './decoder-state';
import { drainMembers } from './drain-members';
import { readMemberHeader } from './gzip-member';
import { inflatePlainGzip } from './inflate-plain-gzip';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import { resync } from './scan-members';

/** Text up to and including its last newline: a line cut by truncation is not a line. */
function cutToLastLine(text: Uint8Array): Uint8Array {
  const last = text.lastIndexOf(0x0a);
  return text.subarray(0, last + 1);
}

/**
 * A member that claims more bytes than the file has left is either cut off by the end of the
 * file, or its length field is damaged and whole members follow it: go on from the next member
 * that checks out, as scanning does.
 */
function skipDamagedLengths(state: DecoderState, out: ReplayEntry[]): void {
  const window = state.window;
  while (state.reading && window.start < window.length) {
    const view = window.view();
    const found = readMemberHeader(view, window.start);
    if (found.kind !== 'ours' || window.start + found.info.length <= window.length) break;
    const next = resync(view, window.start + 1);
    if (next === undefined) break;
    const offset = window.offset;
    state.report(
      new ReplayError('CORRUPT_MEMBER', `member at byte ${offset} has a damaged length; skipped`, {
        offset,
      }),
    );
    state.lose();
    window.start = next;
    drainMembers(state, out);
  }
}

/** Reports the bytes left over at the end: a cut-off member, or bytes that are not one. */
function reportTail(state: DecoderState): void {
  const window = state.window;
  const offset = window.offset;
  const found = readMemberHeader(window.view(), window.start);
  if (!state.sawMember && found.kind !== 'ours') {
    state.setFatal(
      new ReplayError('NOT_A_REPLAY', 'the data ends before the first gzip member', { offset }),
    );
  } else if (!(state.skipping && found.kind === 'invalid')) {
    state.report(
      new ReplayError(
        found.kind === 'invalid' ? 'CORRUPT_BYTES' : 'TRUNCATED',
        found.kind === 'invalid'
          ? `the last ${window.length - window.start} bytes are not a gzip member`
          : `the file ends inside the member at byte ${offset}; its records are lost`,
        { offset },
      ),
    );
  }
}

/** Inflates a plain gzip tail and decodes it, without member boundaries, as one member. */
function decodeForeignTail(
  state: DecoderState,
  foreign: NonNullable<DecoderState['foreign']>,
  out: ReplayEntry[],
): void {
  let size = 0;
  for (const part of foreign.parts) size += part.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of foreign.parts) {
    bytes.set(part, at);
    at += part.length;
  }
  const inflated = inflatePlainGzip(bytes, 0, foreign.offset);
  for (const issue of inflated.issues) state.report(issue);
  if (inflated.error) state.report(inflated.error);
  for (const entry of state.decodeText(cutToLastLine(inflated.text), foreign.offset))
    out.push(entry);
  if (!state.header && !state.fatal)
    state.setFatal(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
}

/**
 * Ends a decoder's input: members after damaged lengths, the truncated tail, a plain gzip
 * tail, and a missing header. Returns the messages still to come.
 */
export function finishDecoding(state: DecoderState): ReplayEntry[] {
  const out: ReplayEntry[] = [];
  skipDamagedLengths(state, out);
  const window = state.window;
  if (state.reading && window.start < window.length) reportTail(state);
  if (!state.fatal && state.foreign) decodeForeignTail(state, state.foreign, out);
  if (!state.fatal && !state.header) {
    state.setFatal(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
  }
  return out;
}
