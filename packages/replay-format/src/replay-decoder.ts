import {
  type GunzipMember,
  inflateMember,
  MAX_MEMBER_LENGTH,
  readMemberHeader,
} from './gzip-member';
import { inflatePlainGzip } from './inflate-plain-gzip';
import { type DecodedMember, type DeltaStates, decodeMember } from './member-decoder';
import { memberEntries } from './member-entries';
import type { QuantizationFrame } from './position-line';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import { parseReplayHeader, type ReplayHeader } from './replay-header';
import { parseReplayIndex, type ReplayIndex } from './replay-index';
import { resync } from './scan-members';

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
  const inflateOptions = {
    ...(options.verifyChecksums === undefined ? {} : { verifyChecksums: options.verifyChecksums }),
    ...(options.gunzip ? { gunzip: options.gunzip } : {}),
  };
  const issues: ReplayError[] = [];
  let buffer = new Uint8Array(64 * 1024);
  let length = 0; // bytes held in buffer
  let start = 0; // first unconsumed byte in buffer
  let base = 0; // file offset of buffer[0]
  let header: ReplayHeader | undefined;
  let frame: QuantizationFrame | undefined;
  let index: ReplayIndex | undefined;
  let fatal: ReplayError | undefined;
  let foreign: { offset: number; parts: Uint8Array[] } | undefined;
  let sawMember = false;
  /** Skipping the rest of a member already reported as damaged: the bytes are not news. */
  let skipping = false;
  /** Line number in the file's text of the next member's first line, while nothing is lost. */
  let fileLine: number | undefined = 1;
  let finished = false;
  const states: DeltaStates = new Map();

  const report = (issue: ReplayError) => {
    issues.push(issue);
    options.onIssue?.(issue);
  };
  const setFatal = (error: ReplayError) => {
    fatal = error;
    options.onIssue?.(error);
  };

  /** Header and index lines, issues; returns the member's messages. */
  const absorb = (decoded: DecodedMember, offset: number): ReplayEntry[] => {
    if (!header) {
      const parsed = parseReplayHeader(decoded.headerLine);
      if (!parsed.ok) {
        setFatal(
          decoded.headerLine === undefined
            ? new ReplayError('NOT_A_REPLAY', 'the first member holds no gw2race-replay header', {
                offset,
              })
            : parsed.error,
        );
        return [];
      }
      header = parsed.value.header;
      frame = header;
      for (const warning of parsed.value.warnings) report(warning);
    }
    for (const issue of decoded.issues) report(issue);
    if (decoded.indexLine !== undefined) {
      const parsed = parseReplayIndex(decoded.indexLine);
      if (parsed) index = parsed;
      else
        report(
          new ReplayError('CORRUPT_LINE', `the index trailer at byte ${offset} is malformed`, {
            offset,
          }),
        );
    }
    return frame ? memberEntries(decoded, frame) : [];
  };

  const decodeText = (text: Uint8Array, offset: number): ReplayEntry[] => {
    // Before the header is known, chunks cannot be decoded: decode the header line first.
    const decoded = decodeMember(
      text,
      offset,
      states,
      frame ?? headerFrame(text, offset),
      true,
      undefined,
      fileLine,
    );
    if (fileLine !== undefined) fileLine += decoded.lines;
    return absorb(decoded, offset);
  };

  const drain = (): ReplayEntry[] => {
    const out: ReplayEntry[] = [];
    while (!fatal && !foreign && start < length) {
      const view = buffer.subarray(0, length);
      const offset = base + start;
      const found = readMemberHeader(view, start);
      if (found.kind === 'truncated') break;
      if (found.kind === 'foreign') {
        foreign = { offset, parts: [buffer.slice(start, length)] };
        start = length;
        break;
      }
      if (found.kind === 'invalid') {
        if (!sawMember) {
          setFatal(new ReplayError('NOT_A_REPLAY', `not gzip data (${found.reason})`, { offset }));
          break;
        }
        const next = nextCandidate(view, start + 1);
        if (next === undefined) {
          // Keep the last bytes: a member may start in what has not arrived yet.
          const keep = Math.max(start, length - 64);
          if (keep > start && !skipping) {
            report(
              new ReplayError(
                'CORRUPT_BYTES',
                `bytes from ${offset} are not a gzip member; skipped`,
                { offset },
              ),
            );
            states.clear();
            fileLine = undefined;
          }
          start = keep;
          break;
        }
        if (!skipping) {
          report(
            new ReplayError(
              'CORRUPT_BYTES',
              `bytes ${offset}-${base + next - 1} are not a gzip member; skipped`,
              { offset },
            ),
          );
        }
        skipping = false;
        states.clear();
        fileLine = undefined;
        start = next;
        continue;
      }
      if (found.info.length > MAX_MEMBER_LENGTH) {
        // A damaged length field: waiting for that many bytes would lose the rest of the file.
        // Skip to the next member, as for bytes that are not one (reported once, here).
        report(
          new ReplayError(
            'CORRUPT_MEMBER',
            `member at byte ${offset} claims ${found.info.length} bytes, more than a member can hold; skipped`,
            { offset },
          ),
        );
        states.clear();
        fileLine = undefined;
        skipping = true;
        start += 1;
        continue;
      }
      if (start + found.info.length > length) break; // wait for the rest
      sawMember = true;
      skipping = false;
      const text = inflateMember(view, start, found, inflateOptions, offset);
      start += found.info.length;
      if (!text.ok) {
        if (!header) {
          setFatal(text.error);
          break;
        }
        report(text.error);
        states.clear();
        fileLine = undefined;
        continue;
      }
      for (const entry of decodeText(text.value, offset)) out.push(entry);
    }
    return out;
  };

  const decoder: ReplayDecoder = {
    push(bytes) {
      if (finished) throw new ReplayError('INVALID_ARGUMENT', 'push() after finish()');
      if (fatal || bytes.length === 0) return [];
      if (foreign) {
        foreign.parts.push(bytes.slice());
        return [];
      }
      if (length + bytes.length > buffer.length) {
        const kept = length - start;
        if (kept + bytes.length > buffer.length) {
          const grown = new Uint8Array(Math.max(buffer.length * 2, kept + bytes.length));
          grown.set(buffer.subarray(start, length), 0);
          buffer = grown;
        } else {
          buffer.copyWithin(0, start, length);
        }
        base += start;
        length = kept;
        start = 0;
      }
      buffer.set(bytes, length);
      length += bytes.length;
      return drain();
    },
    finish() {
      if (finished) return [];
      finished = true;
      const out: ReplayEntry[] = [];
      // A member that claims more bytes than the file has left is either cut off by the end of
      // the file, or its length field is damaged and whole members follow it: go on from the
      // next member that checks out, as scanning does.
      while (!fatal && !foreign && start < length) {
        const view = buffer.subarray(0, length);
        const found = readMemberHeader(view, start);
        if (found.kind !== 'ours' || start + found.info.length <= length) break;
        const next = resync(view, start + 1);
        if (next === undefined) break;
        report(
          new ReplayError(
            'CORRUPT_MEMBER',
            `member at byte ${base + start} has a damaged length; skipped`,
            { offset: base + start },
          ),
        );
        states.clear();
        fileLine = undefined;
        start = next;
        for (const entry of drain()) out.push(entry);
      }
      if (!fatal && !foreign && start < length) {
        const offset = base + start;
        const found = readMemberHeader(buffer.subarray(0, length), start);
        if (!sawMember && found.kind !== 'ours') {
          setFatal(
            new ReplayError('NOT_A_REPLAY', 'the data ends before the first gzip member', {
              offset,
            }),
          );
        } else if (!(skipping && found.kind === 'invalid')) {
          report(
            new ReplayError(
              found.kind === 'invalid' ? 'CORRUPT_BYTES' : 'TRUNCATED',
              found.kind === 'invalid'
                ? `the last ${length - start} bytes are not a gzip member`
                : `the file ends inside the member at byte ${offset}; its records are lost`,
              { offset },
            ),
          );
        }
      }
      if (!fatal && foreign) {
        let size = 0;
        for (const part of foreign.parts) size += part.length;
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const part of foreign.parts) {
          bytes.set(part, at);
          at += part.length;
        }
        const inflated = inflatePlainGzip(bytes, 0, foreign.offset);
        for (const issue of inflated.issues) report(issue);
        if (inflated.error) report(inflated.error);
        // Without member boundaries, decode everything left as one member.
        for (const entry of decodeText(cutToLastLine(inflated.text), foreign.offset))
          out.push(entry);
        if (!header && !fatal)
          setFatal(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
      }
      if (!fatal && !header) {
        setFatal(new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found'));
      }
      return out;
    },
    get header() {
      return header;
    },
    get index() {
      return index;
    },
    get issues() {
      return issues;
    },
    get fatal() {
      return fatal;
    },
    get bytesRead() {
      return base + start;
    },
  };
  return decoder;
}

/** The next offset at or after `from` where a member of ours seems to start. */
function nextCandidate(bytes: Uint8Array, from: number): number | undefined {
  for (let i = bytes.indexOf(0x1f, from); i >= 0; i = bytes.indexOf(0x1f, i + 1)) {
    if (bytes[i + 1] !== 0x8b || bytes[i + 2] !== 8) continue;
    if (readMemberHeader(bytes, i).kind === 'ours') return i;
  }
  return undefined;
}

/** Text up to and including its last newline: a line cut by truncation is not a line. */
function cutToLastLine(text: Uint8Array): Uint8Array {
  const last = text.lastIndexOf(0x0a);
  return text.subarray(0, last + 1);
}

const textDecoder = new TextDecoder();

/** Reads the header line at the start of `text` (offset 0 only) to get the frame for chunks. */
function headerFrame(text: Uint8Array, offset: number): QuantizationFrame | undefined {
  if (offset !== 0) return undefined;
  const end = text.indexOf(0x0a);
  try {
    const parsed = parseReplayHeader(
      JSON.parse(textDecoder.decode(end < 0 ? text : text.subarray(0, end))),
    );
    return parsed.ok ? parsed.value.header : undefined;
  } catch {
    return undefined;
  }
}
