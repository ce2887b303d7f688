/**
 * The baseline: how MumbleLink readers are commonly written — a Buffer-based decoder that
 * decodes every string field in full (256 + 256 + 2048 UTF-16 units) and parses the identity
 * JSON on every block, with no skipping of unchanged ticks.
 */
export function naiveDecode(buffer: Buffer): unknown {
  const vec = (offset: number) => ({
    x: buffer.readFloatLE(offset),
    y: buffer.readFloatLE(offset + 4),
    z: buffer.readFloatLE(offset + 8),
  });
  const wide = (offset: number, bytes: number) => {
    const text = buffer.toString('utf16le', offset, offset + bytes);
    const end = text.indexOf('\u0000');
    return end === -1 ? text : text.slice(0, end);
  };
  const identityText = wide(592, 512);
  let identity: unknown = null;
  try {
    identity = JSON.parse(identityText);
  } catch {
    identity = null;
  }
  const c = 1108;
  return {
    version: buffer.readUInt32LE(0),
    tick: buffer.readUInt32LE(4),
    avatar: { position: vec(8), front: vec(20), top: vec(32) },
    name: wide(44, 512),
    camera: { position: vec(556), front: vec(568), top: vec(580) },
    identity,
    contextLength: buffer.readUInt32LE(1104),
    context: {
      serverAddress: [...buffer.subarray(c + 4, c + 8)].join('.'),
      mapId: buffer.readUInt32LE(c + 28),
      mapType: buffer.readUInt32LE(c + 32),
      shardId: buffer.readUInt32LE(c + 36),
      instance: buffer.readUInt32LE(c + 40),
      buildId: buffer.readUInt32LE(c + 44),
      uiState: buffer.readUInt32LE(c + 48),
      compassWidth: buffer.readUInt16LE(c + 52),
      compassHeight: buffer.readUInt16LE(c + 54),
      compassRotation: buffer.readFloatLE(c + 56),
      playerX: buffer.readFloatLE(c + 60),
      playerY: buffer.readFloatLE(c + 64),
      mapCenterX: buffer.readFloatLE(c + 68),
      mapCenterY: buffer.readFloatLE(c + 72),
      mapScale: buffer.readFloatLE(c + 76),
      processId: buffer.readUInt32LE(c + 80),
      mountIndex: buffer.readUInt8(c + 84),
    },
    description: wide(1364, 4096),
  };
}
