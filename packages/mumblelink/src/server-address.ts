import { MumbleLinkError } from './errors';
import type { ServerAddress } from './frame';

/** `AF_INET` (the same value on Windows and POSIX). */
const AF_INET = 2;
/** `AF_INET6` as GW2 (a Windows program) writes it. */
const AF_INET6_WINDOWS = 23;
/** `AF_INET6` on Linux, for blocks produced by native tools. */
const AF_INET6_LINUX = 10;

/** Size of the `serverAddress` area. */
export const SOCKADDR_SIZE = 28;

/**
 * Decodes the context's `sockaddr_in`/`sockaddr_in6` (family little-endian, port and address in
 * network byte order). Returns `null` for any other family, such as an all-zero area.
 */
export function decodeServerAddress(view: DataView, offset: number): ServerAddress | null {
  const family = view.getUint16(offset, true);
  const port = view.getUint16(offset + 2, false);
  if (family === AF_INET) {
    const a = view.getUint8(offset + 4);
    const b = view.getUint8(offset + 5);
    const c = view.getUint8(offset + 6);
    const d = view.getUint8(offset + 7);
    return { family: 'ipv4', address: `${a}.${b}.${c}.${d}`, port };
  }
  if (family === AF_INET6_WINDOWS || family === AF_INET6_LINUX) {
    const groups: number[] = [];
    for (let i = 0; i < 8; i++) groups.push(view.getUint16(offset + 8 + i * 2, false));
    return { family: 'ipv6', address: formatIpv6(groups), port };
  }
  return null;
}

/**
 * Writes a server address into a zeroed 28-byte area (`null` leaves it zero).
 * Throws `INVALID_FRAME` for text that is not an IPv4 or IPv6 address, or a bad port.
 */
export function encodeServerAddress(
  view: DataView,
  offset: number,
  address: ServerAddress | null,
): void {
  if (address === null) return;
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) {
    throw new MumbleLinkError('INVALID_FRAME', `server port ${address.port} is not 0–65535`);
  }
  if (address.family === 'ipv4') {
    const parts = parseIpv4(address.address);
    view.setUint16(offset, AF_INET, true);
    view.setUint16(offset + 2, address.port, false);
    parts.forEach((part, i) => {
      view.setUint8(offset + 4 + i, part);
    });
    return;
  }
  const groups = parseIpv6(address.address);
  view.setUint16(offset, AF_INET6_WINDOWS, true);
  view.setUint16(offset + 2, address.port, false);
  groups.forEach((group, i) => {
    view.setUint16(offset + 8 + i * 2, group, false);
  });
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function parseIpv4(text: string): number[] {
  const parts = text.split('.');
  const bytes = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  if (bytes.length !== 4 || bytes.some((byte) => !(byte >= 0 && byte <= 255))) {
    throw new MumbleLinkError('INVALID_FRAME', `not an IPv4 address: ${JSON.stringify(text)}`);
  }
  return bytes;
}

function parseIpv6(text: string): number[] {
  const fail = (): never => {
    throw new MumbleLinkError('INVALID_FRAME', `not an IPv6 address: ${JSON.stringify(text)}`);
  };
  const halves = text.split('::');
  if (halves.length > 2) fail();
  const parse = (half: string | undefined): number[] =>
    half === undefined || half === ''
      ? []
      : half
          .split(':')
          .map((group) => (/^[0-9a-fA-F]{1,4}$/.test(group) ? Number.parseInt(group, 16) : fail()));
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (halves.length === 1) {
    if (head.length !== 8) fail();
    return head;
  }
  if (head.length + tail.length > 7) fail();
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
