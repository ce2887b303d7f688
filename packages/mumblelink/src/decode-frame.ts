import { MumbleLinkError } from './errors';
import type {
  Gw2Context,
  MumbleLinkFrame,
  MumbleLinkIdentity,
  Pose,
  ServerAddress,
  UiState,
  Vec3,
} from './frame';
import { parseIdentity } from './identity';
import {
  GW2_CONTEXT_LAYOUT as C,
  DESCRIPTION_UNITS,
  GW2_DATA_SIZE,
  LINKED_MEM_LAYOUT as L,
  LINKED_MEM_SIZE,
  MAP_TYPE_NAMES,
  MOUNT_NAMES,
  NAME_UNITS,
  UI_STATE_BITS,
} from './layout';
import type { Result } from './result';
import { err, ok } from './result';
import { decodeServerAddress, SOCKADDR_SIZE } from './server-address';

/** Options of {@link decodeFrame} and {@link createFrameDecoder}. */
export interface DecodeOptions {
  /**
   * Accept blocks that stop after the GW2 context ({@link GW2_DATA_SIZE} bytes or more), as some
   * Linux bridges write; `description` is then decoded from whatever is there, or `''`.
   * Default `false`: anything shorter than {@link LINKED_MEM_SIZE} is `TRUNCATED`.
   */
  partial?: boolean;
}

/** A decoder that remembers the strings and identity of the previous block. */
export interface FrameDecoder {
  /** Same contract and result as {@link decodeFrame}. */
  decode(bytes: Uint8Array): Result<MumbleLinkFrame, MumbleLinkError>;
}

/**
 * `uiTick` of a block without decoding the rest, or `undefined` when there are fewer than 8
 * bytes. The reader uses it to skip blocks the game has not changed.
 */
export function readTick(bytes: Uint8Array): number | undefined {
  if (bytes.length < 8) return undefined;
  return (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
}

/**
 * Decodes a LinkedMem block as GW2 writes it. Pure and total: a short block gives a failed
 * {@link Result} with a `TRUNCATED` {@link MumbleLinkError}; bad identity JSON gives
 * `identity: null` and `identityError`; bytes after the block (bridges append some) are ignored.
 *
 * @example
 * const result = decodeFrame(bytes);
 * if (result.ok) console.log(result.value.avatar.position, result.value.context.mapId);
 * else console.error(result.error.message);
 */
export function decodeFrame(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<MumbleLinkFrame, MumbleLinkError> {
  return decode(bytes, options.partial === true, null);
}

/**
 * A {@link FrameDecoder} for a stream of blocks: it decodes the name, description, server
 * address and identity JSON again only when their bytes change (they rarely do), so a 60 Hz
 * reader does not re-parse JSON every frame. Results equal {@link decodeFrame}'s.
 */
export function createFrameDecoder(options: DecodeOptions = {}): FrameDecoder {
  const serverAddressBytes = new Uint8Array(SOCKADDR_SIZE);
  const cache: DecodeCache = {
    name: createStringCache(NAME_UNITS),
    identity: createStringCache(NAME_UNITS),
    description: createStringCache(DESCRIPTION_UNITS),
    identityValue: null,
    identityError: null,
    serverAddressBytes,
    serverAddressView: new DataView(serverAddressBytes.buffer),
    serverAddress: null,
    serverAddressValid: false,
  };
  const partial = options.partial === true;
  return { decode: (bytes) => decode(bytes, partial, cache) };
}

interface StringCache {
  /** Raw bytes of the last string seen (its code units before the NUL). */
  readonly bytes: Uint8Array;
  /** The same bytes, for 4-byte comparisons. */
  readonly view: DataView;
  byteLength: number;
  text: string;
  valid: boolean;
}

interface DecodeCache {
  readonly name: StringCache;
  readonly identity: StringCache;
  readonly description: StringCache;
  identityValue: MumbleLinkIdentity | null;
  identityError: string | null;
  readonly serverAddressBytes: Uint8Array;
  readonly serverAddressView: DataView;
  serverAddress: ServerAddress | null;
  serverAddressValid: boolean;
}

function createStringCache(units: number): StringCache {
  const bytes = new Uint8Array(units * 2);
  return { bytes, view: new DataView(bytes.buffer), byteLength: 0, text: '', valid: false };
}

const utf16 = new TextDecoder('utf-16le');

function truncated(length: number, partial: boolean): MumbleLinkError {
  const needed = partial ? GW2_DATA_SIZE : LINKED_MEM_SIZE;
  const what = partial ? 'the GW2 data (through mountIndex)' : 'a full LinkedMem block';
  return new MumbleLinkError(
    'TRUNCATED',
    `MumbleLink block is ${length} bytes; ${what} is ${needed} bytes. ` +
      'Whatever writes it (the game, a Wine/Proton bridge) has not written a whole block.',
  );
}

function decode(
  bytes: Uint8Array,
  partial: boolean,
  cache: DecodeCache | null,
): Result<MumbleLinkFrame, MumbleLinkError> {
  if (!(bytes instanceof Uint8Array)) {
    const what = bytes === null ? 'null' : ((bytes as object)?.constructor?.name ?? typeof bytes);
    return err(
      new MumbleLinkError(
        'INVALID_FRAME',
        `a MumbleLink block is read from a Uint8Array, got ${what} (wrap an ArrayBuffer in new Uint8Array(buffer))`,
      ),
    );
  }
  const length = bytes.length;
  if (length < (partial ? GW2_DATA_SIZE : LINKED_MEM_SIZE)) return err(truncated(length, partial));
  const view = new DataView(bytes.buffer, bytes.byteOffset, Math.min(length, LINKED_MEM_SIZE));

  let name: string;
  let identityJson: string;
  let identity: MumbleLinkIdentity | null;
  let identityError: string | null;
  let description: string;
  if (cache === null) {
    name = readString(bytes, view, L.name, NAME_UNITS);
    identityJson = readString(bytes, view, L.identity, NAME_UNITS);
    [identity, identityError] = parse(identityJson);
    description = readString(bytes, view, L.description, DESCRIPTION_UNITS);
  } else {
    name = readCachedString(cache.name, bytes, view, L.name, NAME_UNITS).text;
    const changed = readCachedString(cache.identity, bytes, view, L.identity, NAME_UNITS).changed;
    if (changed) [cache.identityValue, cache.identityError] = parse(cache.identity.text);
    identityJson = cache.identity.text;
    identity = cache.identityValue;
    identityError = cache.identityError;
    description = readCachedString(
      cache.description,
      bytes,
      view,
      L.description,
      DESCRIPTION_UNITS,
    ).text;
  }

  const c = L.context;
  const mapType = view.getUint32(c + C.mapType, true);
  const mountIndex = view.getUint8(c + C.mountIndex);
  const uiStateBits = view.getUint32(c + C.uiState, true);
  const context: Gw2Context = {
    serverAddress: readServerAddress(bytes, view, c + C.serverAddress, cache),
    mapId: view.getUint32(c + C.mapId, true),
    mapType,
    mapTypeName: MAP_TYPE_NAMES[mapType] ?? 'unknown',
    shardId: view.getUint32(c + C.shardId, true),
    instance: view.getUint32(c + C.instance, true),
    buildId: view.getUint32(c + C.buildId, true),
    uiState: decodeUiState(uiStateBits),
    uiStateBits,
    compassWidth: view.getUint16(c + C.compassWidth, true),
    compassHeight: view.getUint16(c + C.compassHeight, true),
    compassRotation: view.getFloat32(c + C.compassRotation, true),
    playerX: view.getFloat32(c + C.playerX, true),
    playerY: view.getFloat32(c + C.playerY, true),
    mapCenterX: view.getFloat32(c + C.mapCenterX, true),
    mapCenterY: view.getFloat32(c + C.mapCenterY, true),
    mapScale: view.getFloat32(c + C.mapScale, true),
    processId: view.getUint32(c + C.processId, true),
    mountIndex,
    mount: mountIndex < MOUNT_NAMES.length ? MOUNT_NAMES[mountIndex]! : 'unknown',
  };

  return ok({
    version: view.getUint32(L.version, true),
    tick: view.getUint32(L.tick, true),
    avatar: readPose(view, L.avatarPosition, L.avatarFront, L.avatarTop),
    camera: readPose(view, L.cameraPosition, L.cameraFront, L.cameraTop),
    name,
    identity,
    identityError,
    identityJson,
    contextLength: view.getUint32(L.contextLength, true),
    context,
    description,
  });
}

function parse(json: string): [MumbleLinkIdentity | null, string | null] {
  const result = parseIdentity(json);
  return result.ok ? [Object.freeze(result.value), null] : [null, result.error];
}

function readVec3(view: DataView, offset: number): Vec3 {
  return {
    x: view.getFloat32(offset, true),
    y: view.getFloat32(offset + 4, true),
    z: view.getFloat32(offset + 8, true),
  };
}

function readPose(view: DataView, position: number, front: number, top: number): Pose {
  return {
    position: readVec3(view, position),
    front: readVec3(view, front),
    top: readVec3(view, top),
  };
}

function decodeUiState(bits: number): UiState {
  return {
    mapOpen: (bits & UI_STATE_BITS.mapOpen) !== 0,
    compassTopRight: (bits & UI_STATE_BITS.compassTopRight) !== 0,
    compassRotation: (bits & UI_STATE_BITS.compassRotation) !== 0,
    gameFocus: (bits & UI_STATE_BITS.gameFocus) !== 0,
    competitive: (bits & UI_STATE_BITS.competitive) !== 0,
    textboxFocus: (bits & UI_STATE_BITS.textboxFocus) !== 0,
    inCombat: (bits & UI_STATE_BITS.inCombat) !== 0,
  };
}

/** How many code units of a field are present (a `partial` block may end inside `description`). */
function availableUnits(view: DataView, offset: number, units: number): number {
  return Math.max(0, Math.min(units, Math.floor((view.byteLength - offset) / 2)));
}

/** Number of UTF-16 code units before the NUL (all of them when there is none). */
function stringUnits(view: DataView, offset: number, units: number): number {
  const available = availableUnits(view, offset, units);
  let count = 0;
  while (count < available && view.getUint16(offset + count * 2, true) !== 0) count++;
  return count;
}

/** A NUL-terminated UTF-16LE string of at most `units` code units. */
function readString(bytes: Uint8Array, view: DataView, offset: number, units: number): string {
  const count = stringUnits(view, offset, units);
  return count === 0 ? '' : utf16.decode(bytes.subarray(offset, offset + count * 2));
}

/** Like {@link readString}, but decodes only when the bytes differ from the cached ones. */
function readCachedString(
  cache: StringCache,
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  units: number,
): { text: string; changed: boolean } {
  if (cache.valid) {
    // Unchanged when the same bytes are followed by the NUL (or fill what is there): one pass.
    // A `partial` block may be shorter than the one cached: then fewer units are available than
    // the cached string has, and it cannot be the same (reading on would leave the block).
    const length = cache.byteLength;
    const available = availableUnits(view, offset, units);
    if (length / 2 <= available) {
      const ends = length / 2 === available || view.getUint16(offset + length, true) === 0;
      if (ends && sameBytes(view, offset, cache.view, length))
        return { text: cache.text, changed: false };
    }
  }
  const byteLength = stringUnits(view, offset, units) * 2;
  const raw = bytes.subarray(offset, offset + byteLength);
  cache.bytes.set(raw);
  cache.byteLength = byteLength;
  cache.text = byteLength === 0 ? '' : utf16.decode(raw);
  cache.valid = true;
  return { text: cache.text, changed: true };
}

/** Compares `length` bytes of `view` at `offset` with the start of `previous`, 4 at a time. */
function sameBytes(view: DataView, offset: number, previous: DataView, length: number): boolean {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    if (view.getUint32(offset + i, true) !== previous.getUint32(i, true)) return false;
  }
  for (; i < length; i++) if (view.getUint8(offset + i) !== previous.getUint8(i)) return false;
  return true;
}

function readServerAddress(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  cache: DecodeCache | null,
): ServerAddress | null {
  if (cache === null) return decodeServerAddress(view, offset);
  if (cache.serverAddressValid && sameBytes(view, offset, cache.serverAddressView, SOCKADDR_SIZE)) {
    return cache.serverAddress;
  }
  cache.serverAddressBytes.set(bytes.subarray(offset, offset + SOCKADDR_SIZE));
  const address = decodeServerAddress(view, offset);
  cache.serverAddress = address === null ? null : Object.freeze(address);
  cache.serverAddressValid = true;
  return cache.serverAddress;
}
