import type { DecoderState } from './decoder-state';
import {
  inflateMember,
  MAX_MEMBER_LENGTH,
  type MemberHeader,
  readMemberHeader,
} from './gzip-member';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';

/** The next offset at or after `from` where a member of ours seems to start. */
function nextCandidate(bytes: Uint8Array, from: number): number | undefined {
  for (let i = bytes.indexOf(0x1f, from); i >= 0; i = bytes.indexOf(0x1f, i + 1)) {
    if (bytes[i + 1] !== 0x8b || bytes[i + 2] !== 8) continue;
    if (readMemberHeader(bytes, i).kind === 'ours') return i;
  }
  return undefined;
}

/**
 * Skips bytes at the window's start that are not a gzip member, up to the next member of ours
 * (reported once per damaged stretch). Returns `false` when draining must stop: not a
 * recording at all, or no member start in what has arrived yet.
 */
function skipInvalidBytes(state: DecoderState, view: Uint8Array, reason: string): boolean {
  const window = state.window;
  const offset = window.offset;
  if (!state.sawMember) {
    state.setFatal(new ReplayError('NOT_A_REPLAY', `not gzip data (${reason})`, { offset }));
    return false;
  }
  const next = nextCandidate(view, window.start + 1);
  if (next === undefined) {
    // Keep the last bytes: a member may start in what has not arrived yet.
    const keep = Math.max(window.start, window.length - 64);
    if (keep > window.start && !state.skipping) {
      state.report(
        new ReplayError('CORRUPT_BYTES', `bytes from ${offset} are not a gzip member; skipped`, {
          offset,
        }),
      );
      state.lose();
    }
    window.start = keep;
    return false;
  }
  if (!state.skipping) {
    state.report(
      new ReplayError(
        'CORRUPT_BYTES',
        `bytes ${offset}-${window.base + next - 1} are not a gzip member; skipped`,
        { offset },
      ),
    );
  }
  state.skipping = false;
  state.lose();
  window.start = next;
  return true;
}

/**
 * A damaged length field: waiting for that many bytes would lose the rest of the file. Skip
 * to the next member, as for bytes that are not one (reported once, here).
 */
function skipOversized(state: DecoderState, claimed: number): void {
  const offset = state.window.offset;
  state.report(
    new ReplayError(
      'CORRUPT_MEMBER',
      `member at byte ${offset} claims ${claimed} bytes, more than a member can hold; skipped`,
      { offset },
    ),
  );
  state.lose();
  state.skipping = true;
  state.window.start += 1;
}

/**
 * Inflates and decodes the whole member at the window's start into `out`. Returns `false`
 * when draining must stop (the first member does not inflate: fatal).
 */
function readMember(
  state: DecoderState,
  view: Uint8Array,
  found: Extract<MemberHeader, { kind: 'ours' }>,
  out: ReplayEntry[],
): boolean {
  const window = state.window;
  const offset = window.offset;
  state.sawMember = true;
  state.skipping = false;
  const text = inflateMember(view, window.start, found, state.inflateOptions, offset);
  window.start += found.info.length;
  if (!text.ok) {
    if (!state.header) {
      state.setFatal(text.error);
      return false;
    }
    state.report(text.error);
    state.lose();
    return true;
  }
  for (const entry of state.decodeText(text.value, offset)) out.push(entry);
  return true;
}

/**
 * Reads every whole member in the decoder's window, appending their messages to `out`, and
 * stops at a member not wholly arrived, a plain gzip tail, or a fatal error.
 */
export function drainMembers(state: DecoderState, out: ReplayEntry[] = []): ReplayEntry[] {
  const window = state.window;
  while (state.reading && window.start < window.length) {
    const view = window.view();
    const found = readMemberHeader(view, window.start);
    if (found.kind === 'truncated') break;
    if (found.kind === 'foreign') {
      state.foreign = {
        offset: window.offset,
        parts: [window.bytes.slice(window.start, window.length)],
      };
      window.start = window.length;
      break;
    }
    if (found.kind === 'invalid') {
      if (skipInvalidBytes(state, view, found.reason)) continue;
      break;
    }
    if (found.info.length > MAX_MEMBER_LENGTH) {
      skipOversized(state, found.info.length);
      continue;
    }
    if (window.start + found.info.length > window.length) break; // wait for the rest
    if (!readMember(state, view, found, out)) break;
  }
  return out;
}
