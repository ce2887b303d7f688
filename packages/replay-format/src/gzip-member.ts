import { err, ok, type Result } from '@gw2race/protocol';
import { deflateSync, inflateSync } from 'fflate';
import { crc32 } from './crc32';
import { isReplayError, ReplayError } from './replay-error';

/**
 * One gzip member of a recording, and the extra field that makes it findable without inflating.
 *
 * Every member the writer produces is a complete gzip file (RFC 1952) with FLG.FEXTRA set and one
 * extra subfield `GR` (like BGZF's `BC`), 28 bytes, little-endian:
 *
 * | offset | type | field |
 * |---|---|---|
 * | 0 | u8 | layout version (1) |
 * | 1 | u8 | flags: 1 keyframe, 2 header member, 4 index member |
 * | 2 | u16 | kinds present (bit per {@link KIND_BITS}) |
 * | 4 | u32 | length of the whole member in bytes, header to ISIZE |
 * | 8 | u32 | records in the member (events + position samples) |
 * | 12 | f64 | earliest host receive time in the member (epoch s) |
 * | 20 | f64 | latest host receive time in the member (epoch s) |
 *
 * `zcat` and every gzip reader skip the extra field; ours hop from member to member with it.
 */

/** Bytes before the deflate data of a member written by this package. */
export const MEMBER_HEADER_LENGTH = 44;
/** Bytes after the deflate data: CRC-32 and ISIZE. */
export const MEMBER_TRAILER_LENGTH = 8;
const SUBFIELD_LENGTH = 28;
const LAYOUT_VERSION = 1;
/**
 * Largest inflated member accepted (a writer flushes long before): the hard limit on what one
 * member may inflate to, whatever it claims.
 */
export const MAX_MEMBER_TEXT = 256 * 1024 * 1024;
/**
 * Largest member length a reader believes: the text limit plus what deflate can add (5 bytes
 * per 64 KiB stored block) and the header. A larger `GR` length is damage, not a member.
 */
export const MAX_MEMBER_LENGTH = MAX_MEMBER_TEXT + (MAX_MEMBER_TEXT >>> 16) * 5 + 4096;

/** Flag bits of the `GR` subfield. */
export const MEMBER_FLAGS = {
  /** Position chunks in this member start from scratch: decoding can begin here. */
  keyframe: 1,
  /** The member holding the header line (always the first). */
  header: 2,
  /** The member holding the index trailer line (always the last of a closed recording). */
  index: 4,
} as const;

/**
 * The bit of each message kind in the `kinds` mask of a member (fixed by the format, not by the
 * order of `MESSAGE_KINDS`). Bit 15 marks kinds this list does not name.
 */
export const KIND_BITS: Readonly<Record<string, number>> = {
  state: 0,
  control: 1,
  presence: 2,
  pos: 3,
  checkpoint: 4,
  ranking: 5,
  chat: 6,
  ping: 7,
  pong: 8,
  flag: 9,
};
/** The bit for kinds {@link KIND_BITS} does not name. */
export const OTHER_KIND_BIT = 15;

/** The bit mask of a kind. */
export function kindMask(kind: string): number {
  return 1 << (KIND_BITS[kind] ?? OTHER_KIND_BIT);
}

/** The kinds named by a mask (unknown kinds as `"other"`). */
export function kindsOfMask(mask: number): string[] {
  const kinds = Object.keys(KIND_BITS).filter((kind) => mask & kindMask(kind));
  if (mask & (1 << OTHER_KIND_BIT)) kinds.push('other');
  return kinds;
}

/** What the `GR` subfield of a member says. */
export interface MemberInfo {
  /** Length of the whole member in bytes. */
  readonly length: number;
  /** {@link MEMBER_FLAGS} bits. */
  readonly flags: number;
  /** {@link KIND_BITS} mask. */
  readonly kinds: number;
  /** Events plus position samples in the member. */
  readonly records: number;
  /** Earliest host receive time (epoch s); `NaN` for a member without records. */
  readonly from: number;
  /** Latest host receive time (epoch s); `NaN` for a member without records. */
  readonly to: number;
}

/**
 * Compresses `text` (UTF-8 bytes of whole lines) into one gzip member carrying `info`.
 * `level` is the deflate level (default 6).
 */
export function encodeMember(
  text: Uint8Array,
  info: Omit<MemberInfo, 'length'>,
  level: DeflateLevel = 6,
): Uint8Array {
  const deflated = deflateSync(text, { level });
  const length = MEMBER_HEADER_LENGTH + deflated.length + MEMBER_TRAILER_LENGTH;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = 0x1f;
  out[1] = 0x8b;
  out[2] = 8; // deflate
  out[3] = 4; // FEXTRA
  // MTIME 0 (none), XFL 0, OS 255 (unknown): bytes 4-9.
  out[9] = 255;
  view.setUint16(10, 4 + SUBFIELD_LENGTH, true);
  out[12] = 0x47; // 'G'
  out[13] = 0x52; // 'R'
  view.setUint16(14, SUBFIELD_LENGTH, true);
  out[16] = LAYOUT_VERSION;
  out[17] = info.flags;
  view.setUint16(18, info.kinds, true);
  view.setUint32(20, length, true);
  view.setUint32(24, info.records, true);
  view.setFloat64(28, info.from, true);
  view.setFloat64(36, info.to, true);
  out.set(deflated, MEMBER_HEADER_LENGTH);
  view.setUint32(length - 8, crc32(text), true);
  view.setUint32(length - 4, text.length >>> 0, true);
  return out;
}

/** A deflate level, as fflate takes it. */
export type DeflateLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** What {@link readMemberHeader} found at an offset. */
export type MemberHeader =
  /** A member of ours: its `GR` info and where its deflate data starts. */
  | { readonly kind: 'ours'; readonly info: MemberInfo; readonly dataStart: number }
  /** A valid gzip header without a `GR` subfield: its length is only known by inflating. */
  | { readonly kind: 'foreign'; readonly dataStart: number }
  /** Fewer bytes than a header needs (a truncated file). */
  | { readonly kind: 'truncated' }
  /** Not a gzip member. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** Parses the gzip header at `offset`. Never throws. */
export function readMemberHeader(bytes: Uint8Array, offset: number): MemberHeader {
  const available = bytes.length - offset;
  if (available < 10) {
    if (available <= 0) return { kind: 'truncated' };
    // A prefix of a gzip header is a truncated member; anything else is not a member at all.
    const magic = [0x1f, 0x8b, 8];
    for (let i = 0; i < Math.min(available, 3); i++) {
      if (bytes[offset + i] !== magic[i]) return { kind: 'invalid', reason: 'no gzip magic' };
    }
    return { kind: 'truncated' };
  }
  if (bytes[offset] !== 0x1f || bytes[offset + 1] !== 0x8b) {
    return { kind: 'invalid', reason: 'no gzip magic' };
  }
  if (bytes[offset + 2] !== 8)
    return { kind: 'invalid', reason: 'compression method is not deflate' };
  const flg = bytes[offset + 3]!;
  if (flg & 0xe0) return { kind: 'invalid', reason: 'reserved gzip flags set' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = offset + 10;
  let info: MemberInfo | undefined;
  if (flg & 4) {
    if (bytes.length < at + 2) return { kind: 'truncated' };
    const xlen = view.getUint16(at, true);
    at += 2;
    if (bytes.length < at + xlen) return { kind: 'truncated' };
    const end = at + xlen;
    let sub = at;
    while (sub + 4 <= end) {
      const slen = view.getUint16(sub + 2, true);
      if (sub + 4 + slen > end) return { kind: 'invalid', reason: 'gzip extra field overruns' };
      if (bytes[sub] === 0x47 && bytes[sub + 1] === 0x52 && slen >= SUBFIELD_LENGTH) {
        const d = sub + 4;
        if (bytes[d] === LAYOUT_VERSION) {
          info = {
            flags: bytes[d + 1]!,
            kinds: view.getUint16(d + 2, true),
            length: view.getUint32(d + 4, true),
            records: view.getUint32(d + 8, true),
            from: view.getFloat64(d + 12, true),
            to: view.getFloat64(d + 20, true),
          };
        }
      }
      sub += 4 + slen;
    }
    at = end;
  }
  // FNAME and FCOMMENT are zero-terminated; FHCRC is two bytes.
  for (const bit of [8, 16]) {
    if (!(flg & bit)) continue;
    while (at < bytes.length && bytes[at] !== 0) at++;
    if (at >= bytes.length) return { kind: 'truncated' };
    at++;
  }
  if (flg & 2) at += 2;
  if (at > bytes.length) return { kind: 'truncated' };
  if (info) {
    if (info.length < at - offset + MEMBER_TRAILER_LENGTH + 2) {
      return { kind: 'invalid', reason: `member length ${info.length} is too small` };
    }
    return { kind: 'ours', info, dataStart: at };
  }
  return { kind: 'foreign', dataStart: at };
}

/**
 * Inflates one whole gzip member and checks its CRC-32 and length, throwing when it is
 * damaged: a faster native inflater to use instead of fflate where there is one, such as
 * `node:zlib`'s `gunzipSync` (`nodeGunzip` of `@gw2race/replay-format/node` wraps it for you).
 * `maxOutputLength` is the size the member claims: an inflater must stop there and throw
 * rather than produce more (`gunzipSync(member, { maxOutputLength })`), so a crafted member
 * cannot inflate to gigabytes; a longer text it returns anyway is refused as `TOO_LARGE`.
 */
export type GunzipMember = (member: Uint8Array, maxOutputLength: number) => Uint8Array;

/** How to inflate members: check CRC-32s (default true), and an optional native inflater. */
export interface InflateOptions {
  readonly verifyChecksums?: boolean;
  readonly gunzip?: GunzipMember;
}

/**
 * Inflates one of our members (`bytes[offset .. offset + info.length)`) and checks its CRC-32
 * and length. `fileOffset` is where the member is in the file, for messages (when `bytes` is
 * a window of it). With `scratch`, fflate inflates into `scratch.bytes` (grown as needed) and
 * the text returned is a view of it, valid until the next member inflated with it. Never
 * throws.
 */
export function inflateMember(
  bytes: Uint8Array,
  offset: number,
  header: { readonly info: MemberInfo; readonly dataStart: number },
  options: InflateOptions = {},
  fileOffset = offset,
  scratch?: { bytes: Uint8Array },
): Result<Uint8Array, ReplayError> {
  const verifyCrc = options.verifyChecksums ?? true;
  const end = offset + header.info.length;
  if (end > bytes.length) {
    return err(
      new ReplayError(
        'TRUNCATED',
        `member at byte ${fileOffset} needs ${header.info.length} bytes, the file has ${bytes.length - offset}`,
        { offset: fileOffset },
      ),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedCrc = view.getUint32(end - 8, true);
  const size = view.getUint32(end - 4, true);
  const deflated = bytes.subarray(header.dataStart, end - MEMBER_TRAILER_LENGTH);
  if (size > MAX_MEMBER_TEXT) {
    return err(
      new ReplayError(
        'TOO_LARGE',
        `member at byte ${fileOffset} claims ${size} bytes of text, more than the ${MAX_MEMBER_TEXT} a member may hold; skipped`,
        { offset: fileOffset },
      ),
    );
  }
  if (size > deflated.length * 1032 + 64) {
    return err(
      new ReplayError(
        'CORRUPT_MEMBER',
        `member at byte ${fileOffset} claims ${size} bytes of text`,
        {
          offset: fileOffset,
        },
      ),
    );
  }
  let text: Uint8Array;
  try {
    text = inflateAtMost(bytes.subarray(offset, end), deflated, size, options.gunzip, scratch);
  } catch (cause) {
    // fflate's own errors are plain Errors with a code; a RangeError is its copy of a stored
    // block overrunning the room given (the text is longer than claimed), as a native
    // inflater's TOO_LARGE is.
    const overran = options.gunzip
      ? isReplayError(cause) && cause.code === 'TOO_LARGE'
      : cause instanceof RangeError;
    if (overran) return err(tooLarge(fileOffset, size));
    return err(
      new ReplayError('CORRUPT_MEMBER', `member at byte ${fileOffset} does not inflate`, {
        offset: fileOffset,
        cause,
      }),
    );
  }
  if (text.length > size) return err(tooLarge(fileOffset, size));
  // A native gunzip has checked the CRC-32 already.
  if (text.length !== size || (verifyCrc && !options.gunzip && crc32(text) !== expectedCrc)) {
    return err(
      new ReplayError(
        'CORRUPT_MEMBER',
        `member at byte ${fileOffset} fails its ${text.length !== size ? 'length' : 'CRC-32'} check`,
        { offset: fileOffset },
      ),
    );
  }
  return ok(text);
}

/** A member that inflates to more than the `size` bytes it claims: a bomb, or damage. */
function tooLarge(fileOffset: number, size: number): ReplayError {
  return new ReplayError(
    'TOO_LARGE',
    `member at byte ${fileOffset} inflates to more than the ${size} bytes it claims; skipped`,
    { offset: fileOffset },
  );
}

/**
 * Inflates a member into at most `size + 1` bytes: one byte more than it claims is enough to
 * know it lies, and never more is allocated (fflate writes no further than its `out` buffer; a
 * native inflater is given the limit). With `scratch`, fflate inflates into `scratch.bytes`.
 */
function inflateAtMost(
  member: Uint8Array,
  deflated: Uint8Array,
  size: number,
  gunzip: GunzipMember | undefined,
  scratch: { bytes: Uint8Array } | undefined,
): Uint8Array {
  if (gunzip) return gunzip(member, size);
  if (!scratch) return inflateSync(deflated, { out: new Uint8Array(size + 1) });
  if (scratch.bytes.length < size + 1) {
    scratch.bytes = new Uint8Array(Math.max(size + 1, scratch.bytes.length * 2));
  }
  return inflateSync(deflated, { out: scratch.bytes.subarray(0, size + 1) });
}
