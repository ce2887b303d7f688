import { MumbleLinkError } from './errors';
import type { MumbleLinkFrame, UiState, Vec3 } from './frame';
import { formatIdentity } from './identity';
import {
  GW2_CONTEXT_LAYOUT as C,
  DESCRIPTION_UNITS,
  LINKED_MEM_LAYOUT as L,
  LINKED_MEM_SIZE,
  NAME_UNITS,
  UI_STATE_BITS,
} from './layout';
import { encodeServerAddress } from './server-address';

/**
 * Writes a frame as the exact LinkedMem layout GW2 uses (5460 bytes, little-endian, UTF-16
 * strings NUL-terminated and zero-padded). For tests, simulation and bridges.
 *
 * `identity` is written as GW2 writes it (snake_case keys, the game's order) when it is an
 * object; when it is `null`, `identityJson` is written verbatim (to reproduce a broken identity).
 * Derived fields (`mount`, `mapTypeName`, `uiState`'s booleans over `uiStateBits`) follow the
 * rules of {@link encodeFrameInto}.
 *
 * Throws `INVALID_FRAME` when a string does not fit its field (255 code units for `name` and
 * `identity`, 2047 for `description`) or contains a NUL, or a number does not fit its type.
 */
export function encodeFrame(frame: MumbleLinkFrame): Uint8Array {
  const bytes = new Uint8Array(LINKED_MEM_SIZE);
  encodeFrameInto(frame, bytes);
  return bytes;
}

/**
 * {@link encodeFrame} into an existing buffer (at least 5460 bytes from `offset`), without
 * allocating one. Every byte of the block is written, so a reused buffer holds no leftovers.
 * The raw `mountIndex` and `mapType` are written (not `mount`/`mapTypeName`); `uiState`'s named
 * booleans are written over `uiStateBits` (whose other bits are kept).
 */
export function encodeFrameInto(frame: MumbleLinkFrame, target: Uint8Array, offset = 0): void {
  if (target.length - offset < LINKED_MEM_SIZE) {
    throw new MumbleLinkError(
      'INVALID_FRAME',
      `target has ${target.length - offset} bytes from offset ${offset}; a block needs ${LINKED_MEM_SIZE}`,
    );
  }
  const block = target.subarray(offset, offset + LINKED_MEM_SIZE);
  block.fill(0);
  const view = new DataView(block.buffer, block.byteOffset, LINKED_MEM_SIZE);

  setUint32(view, L.version, frame.version, 'version');
  setUint32(view, L.tick, frame.tick, 'tick');
  writeVec3(view, L.avatarPosition, frame.avatar.position);
  writeVec3(view, L.avatarFront, frame.avatar.front);
  writeVec3(view, L.avatarTop, frame.avatar.top);
  writeString(view, L.name, NAME_UNITS, frame.name, 'name');
  writeVec3(view, L.cameraPosition, frame.camera.position);
  writeVec3(view, L.cameraFront, frame.camera.front);
  writeVec3(view, L.cameraTop, frame.camera.top);
  const identityText =
    frame.identity === null ? frame.identityJson : formatIdentity(frame.identity);
  writeString(view, L.identity, NAME_UNITS, identityText, 'identity');
  setUint32(view, L.contextLength, frame.contextLength, 'contextLength');

  const c = L.context;
  const context = frame.context;
  encodeServerAddress(view, c + C.serverAddress, context.serverAddress);
  setUint32(view, c + C.mapId, context.mapId, 'context.mapId');
  setUint32(view, c + C.mapType, context.mapType, 'context.mapType');
  setUint32(view, c + C.shardId, context.shardId, 'context.shardId');
  setUint32(view, c + C.instance, context.instance, 'context.instance');
  setUint32(view, c + C.buildId, context.buildId, 'context.buildId');
  setUint32(
    view,
    c + C.uiState,
    encodeUiState(context.uiState, context.uiStateBits),
    'context.uiState',
  );
  setInteger(view, c + C.compassWidth, context.compassWidth, 0xffff, 'context.compassWidth');
  setInteger(view, c + C.compassHeight, context.compassHeight, 0xffff, 'context.compassHeight');
  view.setFloat32(c + C.compassRotation, context.compassRotation, true);
  view.setFloat32(c + C.playerX, context.playerX, true);
  view.setFloat32(c + C.playerY, context.playerY, true);
  view.setFloat32(c + C.mapCenterX, context.mapCenterX, true);
  view.setFloat32(c + C.mapCenterY, context.mapCenterY, true);
  view.setFloat32(c + C.mapScale, context.mapScale, true);
  setUint32(view, c + C.processId, context.processId, 'context.processId');
  setInteger(view, c + C.mountIndex, context.mountIndex, 0xff, 'context.mountIndex');

  writeString(view, L.description, DESCRIPTION_UNITS, frame.description, 'description');
}

function encodeUiState(state: UiState, bits: number): number {
  let result = bits;
  for (const key of Object.keys(UI_STATE_BITS) as (keyof typeof UI_STATE_BITS)[]) {
    const bit = UI_STATE_BITS[key];
    result = state[key] ? result | bit : result & ~bit;
  }
  return result >>> 0;
}

function writeVec3(view: DataView, offset: number, vector: Vec3): void {
  view.setFloat32(offset, vector.x, true);
  view.setFloat32(offset + 4, vector.y, true);
  view.setFloat32(offset + 8, vector.z, true);
}

function setUint32(view: DataView, offset: number, value: number, field: string): void {
  setInteger(view, offset, value, 0xffffffff, field);
}

function setInteger(
  view: DataView,
  offset: number,
  value: number,
  max: number,
  field: string,
): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new MumbleLinkError(
      'INVALID_FRAME',
      `${field} must be an integer 0–${max}, got ${value}`,
    );
  }
  if (max === 0xff) view.setUint8(offset, value);
  else if (max === 0xffff) view.setUint16(offset, value, true);
  else view.setUint32(offset, value, true);
}

function writeString(
  view: DataView,
  offset: number,
  units: number,
  text: string,
  field: string,
): void {
  // One code unit is kept for the terminating NUL, as C's wchar_t arrays expect.
  if (text.length > units - 1) {
    throw new MumbleLinkError(
      'INVALID_FRAME',
      `${field} is ${text.length} UTF-16 code units; the field holds ${units - 1}`,
    );
  }
  if (text.includes('\u0000')) {
    throw new MumbleLinkError('INVALID_FRAME', `${field} contains a NUL, which would end it early`);
  }
  for (let i = 0; i < text.length; i++) view.setUint16(offset + i * 2, text.charCodeAt(i), true);
}
