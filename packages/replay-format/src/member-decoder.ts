import {
  MESSAGE_KINDS,
  type MessageKind,
  type ReceivedMessage,
  validateMessage,
} from '@gw2race/protocol';
import {
  type DecodedChunk,
  type DecodeScratch,
  decodePositionLine,
  type PackedData,
  type QuantizationFrame,
  type RacerDeltaState,
} from './position-line';
import type { ReplayEntry } from './replay-entry';
import { ReplayError } from './replay-error';

const KNOWN_KINDS = new Set<string>(MESSAGE_KINDS);
const textDecoder = new TextDecoder();

/** An event line, decoded, with its place in the member. */
export interface DecodedEvent {
  readonly at: number;
  readonly entry: ReplayEntry;
}

/** What one member's text holds. */
export interface DecodedMember {
  /** Event lines (and positions stored exactly), in line order. */
  readonly events: DecodedEvent[];
  /** Positions, one chunk per player and position line, in file order. */
  readonly chunks: DecodedChunk[];
  /** The parsed header line, if this member has one. */
  readonly headerLine: unknown;
  /** The parsed index line, if this member has one. */
  readonly indexLine: unknown;
  /** Lines that could not be used, with where they were. */
  readonly issues: ReplayError[];
  /** Number of lines. */
  readonly lines: number;
}

/** How a position line starts (`{"type":"pos"`), as bytes. */
const POSITION_LINE_START = new TextEncoder().encode('{"type":"pos"');
/** `"data":"`, as bytes. */
const DATA_KEY = new TextEncoder().encode('"data":"');

/** How an event line starts as the writer writes it (`{"type":"event","at":`), as bytes. */
const EVENT_LINE_START = new TextEncoder().encode('{"type":"event","at":');
/** `,"kind":"`, as bytes: what follows `at`'s number in the writer's lines. */
const KIND_KEY = new TextEncoder().encode(',"kind":"');

function startsWith(bytes: Uint8Array, from: number, to: number, prefix: Uint8Array): boolean {
  if (to - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[from + i] !== prefix[i]) return false;
  return true;
}

/**
 * Where the value of the top-level `data` key of the JSON object in `bytes[from .. to)` lies
 * (between its quotes), when it holds no escape: walks the line outside strings, counting
 * brackets, so a `"data"` inside a nested object or a string is never taken for it. Undefined
 * when there is none such (the line is then parsed whole).
 */
function findPackedData(bytes: Uint8Array, from: number, to: number): PackedData | undefined {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === 0x22) {
      // A string: the key we want, or one to skip to its closing quote.
      if (depth === 1 && startsWith(bytes, i, to, DATA_KEY)) {
        const start = i + DATA_KEY.length;
        const end = bytes.indexOf(0x22, start);
        if (end < 0 || end >= to) return undefined;
        // An escape inside: leave it to JSON.parse.
        if (bytes.subarray(start, end).indexOf(0x5c) >= 0) return undefined;
        return { bytes, start, end };
      }
      for (i++; i < to && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) depth--;
  }
  return undefined;
}

/** Bytes of a JSON number: digits, sign, point, exponent. */
function isNumberByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2d || b === 0x2b || b === 0x65 || b === 0x45
  );
}

/**
 * The kind of the event line in `bytes[from .. to)`, read without parsing it, when the line has
 * the writer's shape (`{"type":"event","at":NUMBER,"kind":"KIND"...`, no escape in the kind);
 * undefined for any other line, which is then parsed whole.
 */
function sniffEventKind(bytes: Uint8Array, from: number, to: number): string | undefined {
  if (!startsWith(bytes, from, to, EVENT_LINE_START)) return undefined;
  let i = from + EVENT_LINE_START.length;
  while (i < to && isNumberByte(bytes[i]!)) i++;
  if (!startsWith(bytes, i, to, KIND_KEY)) return undefined;
  const start = i + KIND_KEY.length;
  let kind = '';
  for (let k = start; k < to; k++) {
    const b = bytes[k]!;
    if (b === 0x22) return kind;
    // An escape or a non-ASCII byte: leave it to JSON.parse.
    if (b === 0x5c || b >= 0x80) return undefined;
    kind += String.fromCharCode(b);
  }
  return undefined;
}

/** Per-racer delta state carried from member to member while reading in order. */
export type DeltaStates = Map<string, RacerDeltaState>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Decodes the text of one member. `states` carries each racer's delta state in from the previous
 * member and out to the next; a line that cannot be read drops them all (whatever it held is
 * lost, so positions that continue from it cannot be rebuilt until the next keyframe). With
 * `positions: false` the position line is skipped (and `states` untouched): for callers that
 * only want the events. With a `scratch` buffer, the chunks share it and are valid only until
 * the next member is decoded with it (for callers that copy them out at once). `firstFileLine`:
 * the line number in the whole file of the member's first line, when known, for issues. With
 * `eventKinds`, only event lines of those kinds are decoded: the others are skipped unparsed and
 * unchecked (their kind read from the line's first bytes), for callers that want positions and
 * a few kinds of event, not every ranking and presence message. Never throws.
 */
export function decodeMember(
  bytes: Uint8Array,
  offset: number,
  states: DeltaStates,
  frame: QuantizationFrame | undefined,
  positions = true,
  scratch?: DecodeScratch,
  firstFileLine?: number,
  eventKinds?: ReadonlySet<string>,
): DecodedMember {
  const events: DecodedEvent[] = [];
  const chunks: DecodedChunk[] = [];
  const issues: ReplayError[] = [];
  let headerLine: unknown;
  let indexLine: unknown;
  let lineNumber = 0;
  let start = 0;
  // Lines are cut from the bytes (a newline byte is never inside a UTF-8 sequence), so the
  // long `data` of a position line is unpacked from them without ever becoming a string.
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const lineStart = start;
    start = end + 1;
    lineNumber++;
    if (end === lineStart) continue;
    const isPositions = startsWith(bytes, lineStart, end, POSITION_LINE_START);
    // Skipping positions: no need to parse the longest line.
    if (!positions && isPositions) continue;
    if (eventKinds && !isPositions) {
      const kind = sniffEventKind(bytes, lineStart, end);
      if (kind !== undefined && !eventKinds.has(kind)) continue;
    }
    const packed = isPositions ? findPackedData(bytes, lineStart, end) : undefined;
    const line = packed
      ? `${textDecoder.decode(bytes.subarray(lineStart, packed.start))}${textDecoder.decode(bytes.subarray(packed.end, end))}`
      : textDecoder.decode(bytes.subarray(lineStart, end));
    const fileLine = firstFileLine === undefined ? undefined : firstFileLine + lineNumber - 1;
    const issue = (code: ReplayError['code'], message: string, cause?: unknown) =>
      issues.push(
        new ReplayError(
          code,
          `member at byte ${offset}, line ${lineNumber}${fileLine === undefined ? '' : ` (line ${fileLine} of the file)`}: ${message}`,
          {
            offset,
            line: lineNumber,
            ...(fileLine === undefined ? {} : { fileLine }),
            ...(cause === undefined ? {} : { cause }),
          },
        ),
      );
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      issue('CORRUPT_LINE', 'not JSON', cause);
      states.clear();
      continue;
    }
    if (!isRecord(value)) {
      issue('CORRUPT_LINE', 'not a JSON object');
      states.clear();
      continue;
    }
    switch (value.type) {
      case 'pos': {
        if (!positions) continue;
        if (!frame) {
          issue('CORRUPT_LINE', 'position line before the header');
          continue;
        }
        const decoded = decodePositionLine(value, states, frame, scratch, packed);
        if (!decoded.ok) {
          issue('CORRUPT_LINE', decoded.message);
          states.clear();
          continue;
        }
        for (const problem of decoded.problems) {
          issue(
            problem.kind === 'missing-state' ? 'MISSING_KEYFRAME' : 'CORRUPT_LINE',
            problem.message,
          );
        }
        for (const chunk of decoded.chunks) chunks.push(chunk);
        break;
      }
      case 'event': {
        const { at, kind, message, playerId } = value;
        if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
          issue('CORRUPT_LINE', 'event without a valid at');
          continue;
        }
        if (typeof kind !== 'string' || kind.length === 0) {
          issue('CORRUPT_LINE', 'event without a kind');
          continue;
        }
        if (playerId !== undefined && typeof playerId !== 'string') {
          issue('CORRUPT_LINE', 'event with a non-string playerId');
          continue;
        }
        if (eventKinds && !eventKinds.has(kind)) continue;
        if (!KNOWN_KINDS.has(kind)) {
          const entry = { kind: 'unknown' as const, recordedKind: kind, at, message };
          events.push({ at, entry: playerId === undefined ? entry : { ...entry, playerId } });
          continue;
        }
        const checked = validateMessage(kind as MessageKind, message);
        if (!checked.ok) {
          issue('INVALID_MESSAGE', checked.error.message, checked.error);
          continue;
        }
        const entry = { kind, at, message: checked.value } as ReceivedMessage;
        events.push({
          at,
          entry: playerId === undefined ? entry : ({ ...entry, playerId } as ReceivedMessage),
        });
        break;
      }
      case 'header':
        if (headerLine === undefined && offset === 0 && lineNumber === 1) headerLine = value;
        else issue('CORRUPT_LINE', 'a header line after the start of the file');
        break;
      case 'index':
        indexLine = value;
        break;
      default:
        issue('UNKNOWN_LINE', `line of unknown type ${JSON.stringify(value.type)} skipped`);
    }
  }
  return { events, chunks, headerLine, indexLine, issues, lines: lineNumber };
}
