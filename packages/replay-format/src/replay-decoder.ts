import { DecoderState } from './decoder-state';
import { drainMembers } from './drain-members';
import { finishDecoding } from './finish-decoding';
import type { GunzipMember } from './gzip-member';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import type { ReplayHeader } from './replay-header';
import type { ReplayIndex } from './replay-index';

/** Options of {@link createReplayDecoder} and `readReplay`. */
export interface ReplayDecoderOptions {
  /** Check each member's CRC-32 (default true). */
  readonly verifyChecksums?: boolean;
  /** A native inflater for members (e.g. `node:zlib`'s `gunzipSync`); fflate otherwise. */
  readonly gunzip?: GunzipMember;
  /** Called with each problem as it is found (they are also kept in `issues`). */
  readonly onIssue?: (issue: ReplayError) => void;
}

/**
 * A push-based, sans-I/O reader of a recording: feed it bytes in any pieces, get back the
 * messages of every member completed so far. `readReplay` wraps it for streams.
 */
export interface ReplayDecoder {
  /** Adds bytes; returns the messages of the members they complete, by receive time. */
  push(bytes: Uint8Array): ReplayEntry[];
  /** Ends the input: reports a truncated tail and returns what is left. */
  finish(): ReplayEntry[];
  /** The header, once the first member has been read. */
  readonly header: ReplayHeader | undefined;
  /** The index trailer, once read (closed recordings only). */
  readonly index: ReplayIndex | undefined;
  /** Problems found so far: skipped lines and members, truncation. */
  readonly issues: readonly ReplayError[];
  /** Set when the bytes cannot be read at all (not a recording, no usable header). */
  readonly fatal: ReplayError | undefined;
  /** Bytes consumed as complete members. */
  readonly bytesRead: number;
}

/**
 * Creates a {@link ReplayDecoder}. Never throws on bad bytes: problems become `issues`, or
 * `fatal` when nothing can be read.
 *
 * @example
 * const decoder = createReplayDecoder();
 * for (const piece of pieces) for (const message of decoder.push(piece)) handle(message);
 * decoder.finish();
 */
export function createReplayDecoder(options: ReplayDecoderOptions = {}): ReplayDecoder {
  const state = new DecoderState(options);
  return {
    push(bytes) {
      if (state.finished) throw new ReplayError('INVALID_ARGUMENT', 'push() after finish()');
      if (state.fatal || bytes.length === 0) return [];
      if (state.foreign) {
        state.foreign.parts.push(bytes.slice());
        return [];
      }
      state.window.append(bytes);
      return drainMembers(state);
    },
    finish() {
      if (state.finished) return [];
      state.finished = true;
      return finishDecoding(state);
    },
    get header() {
      return state.header;
    },
    get index() {
      return state.index;
    },
    get issues() {
      return state.issues;
    },
    get fatal() {
      return state.fatal;
    },
    get bytesRead() {
      return state.window.offset;
    },
  };
}
