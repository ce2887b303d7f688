import { ByteWindow } from './byte-window';
import type { InflateOptions } from './gzip-member';
import { type DecodedMember, type DeltaStates, decodeMember } from './member-decoder';
import { memberEntries } from './member-entries';
import type { QuantizationFrame } from './position-line';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';
import { parseReplayHeader, type ReplayHeader } from './replay-header';
import { parseReplayIndex, type ReplayIndex } from './replay-index';

/** What {@link DecoderState} needs of the decoder's options. */
export interface DecoderStateOptions {
  readonly verifyChecksums?: boolean;
  readonly gunzip?: InflateOptions['gunzip'];
  readonly onIssue?: (issue: ReplayError) => void;
}

/** Bytes after a plain gzip header (no member lengths): kept whole, inflated at the end. */
export interface ForeignTail {
  readonly offset: number;
  readonly parts: Uint8Array[];
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

/**
 * Everything a {@link ReplayDecoder} knows so far: the bytes held, header, index, issues, the
 * racers' delta states, and where it stands in the file. `drainMembers` and `finishDecoding`
 * advance it.
 */
export class DecoderState {
  readonly window = new ByteWindow();
  readonly issues: ReplayError[] = [];
  readonly states: DeltaStates = new Map();
  readonly inflateOptions: InflateOptions;
  header: ReplayHeader | undefined;
  index: ReplayIndex | undefined;
  fatal: ReplayError | undefined;
  foreign: ForeignTail | undefined;
  sawMember = false;
  /** Skipping the rest of a member already reported as damaged: the bytes are not news. */
  skipping = false;
  /** Line number in the file's text of the next member's first line, while nothing is lost. */
  fileLine: number | undefined = 1;
  finished = false;
  private frame: QuantizationFrame | undefined;

  constructor(private readonly options: DecoderStateOptions) {
    this.inflateOptions = {
      ...(options.verifyChecksums === undefined
        ? {}
        : { verifyChecksums: options.verifyChecksums }),
      ...(options.gunzip ? { gunzip: options.gunzip } : {}),
    };
  }

  /** Whether members can still be read from the window (no fatal error, no plain gzip tail). */
  get reading(): boolean {
    return !this.fatal && !this.foreign;
  }

  /** Keeps a problem and tells `onIssue`. */
  report(issue: ReplayError): void {
    this.issues.push(issue);
    this.options.onIssue?.(issue);
  }

  /** Sets the error that stops decoding and tells `onIssue`. */
  setFatal(error: ReplayError): void {
    this.fatal = error;
    this.options.onIssue?.(error);
  }

  /** Bytes were lost: delta states and line numbers cannot be trusted past them. */
  lose(): void {
    this.states.clear();
    this.fileLine = undefined;
  }

  /** Decodes an inflated member at file offset `offset`; returns its messages. */
  decodeText(text: Uint8Array, offset: number): ReplayEntry[] {
    // Before the header is known, chunks cannot be decoded: decode the header line first.
    const decoded = decodeMember(
      text,
      offset,
      this.states,
      this.frame ?? headerFrame(text, offset),
      true,
      undefined,
      this.fileLine,
    );
    if (this.fileLine !== undefined) this.fileLine += decoded.lines;
    return this.absorb(decoded, offset);
  }

  /** Header and index lines, issues; returns the member's messages. */
  private absorb(decoded: DecodedMember, offset: number): ReplayEntry[] {
    if (!this.header && !this.readHeader(decoded, offset)) return [];
    for (const issue of decoded.issues) this.report(issue);
    if (decoded.indexLine !== undefined) {
      const parsed = parseReplayIndex(decoded.indexLine);
      if (parsed) this.index = parsed;
      else
        this.report(
          new ReplayError('CORRUPT_LINE', `the index trailer at byte ${offset} is malformed`, {
            offset,
          }),
        );
    }
    return this.frame ? memberEntries(decoded, this.frame) : [];
  }

  /** Takes the header from the first member; `false` (fatal) without a usable one. */
  private readHeader(decoded: DecodedMember, offset: number): boolean {
    const parsed = parseReplayHeader(decoded.headerLine);
    if (!parsed.ok) {
      this.setFatal(
        decoded.headerLine === undefined
          ? new ReplayError('NOT_A_REPLAY', 'the first member holds no gw2race-replay header', {
              offset,
            })
          : parsed.error,
      );
      return false;
    }
    this.header = parsed.value.header;
    this.frame = this.header;
    for (const warning of parsed.value.warnings) this.report(warning);
    return true;
  }
}
