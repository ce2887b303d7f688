/**
 * A block written byte by byte from the layout in the issue (GW2's LinkedMem), with literal
 * offsets: deliberately independent of the package's own layout constants and encoder.
 */
export function handWrittenBlock(identity: string): Uint8Array {
  const bytes = new Uint8Array(5460);
  const view = new DataView(bytes.buffer);
  const f32 = (offset: number, ...values: number[]) =>
    values.forEach((value, i) => {
      view.setFloat32(offset + i * 4, value, true);
    });
  const wide = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint16(offset + i * 2, text.charCodeAt(i), true);
  };
  view.setUint32(0, 2, true); // uiVersion
  view.setUint32(4, 123_456, true); // uiTick
  f32(8, -1234.5, 56.25, 789.125); // avatar position
  f32(20, 0.5, 0, -0.75); // avatar front
  f32(32, 0, 1, 0); // avatar top
  wide(44, 'Guild Wars 2');
  f32(556, -1230.5, 60.25, 780); // camera position
  f32(568, 0.25, -0.5, 0.75); // camera front
  f32(580, 0, 0.5, 0.5); // camera top
  wide(592, identity);
  view.setUint32(1104, 48, true); // context_len
  const c = 1108;
  view.setUint16(c, 2, true); // AF_INET
  view.setUint16(c + 2, 6112, false); // port, network order
  bytes.set([34, 230, 8, 30], c + 4);
  view.setUint32(c + 28, 1206, true); // mapId
  view.setUint32(c + 32, 5, true); // mapType: public
  view.setUint32(c + 36, 1_234_567, true); // shardId
  view.setUint32(c + 40, 7, true); // instance
  view.setUint32(c + 44, 171_234, true); // buildId
  view.setUint32(c + 48, 0b100_1001, true); // uiState: mapOpen, gameFocus, inCombat
  view.setUint16(c + 52, 362, true); // compass width
  view.setUint16(c + 54, 290, true); // compass height
  f32(c + 56, 1.5); // compass rotation
  f32(c + 60, 30_000.5, 20_000.25); // player x, y
  f32(c + 68, 30_100, 20_050); // map centre x, y
  f32(c + 76, 2.5); // map scale
  view.setUint32(c + 80, 98_765, true); // processId
  view.setUint8(c + 84, 6); // mountIndex: roller beetle
  wide(1364, 'a description');
  return bytes;
}

/** A realistic identity, in the key order GW2 writes. */
export const IDENTITY =
  '{"name":"Ælva Swiftwind","profession":5,"spec":71,"race":4,"map_id":1206,"world_id":2004,' +
  '"team_color_id":9,"commander":true,"fov":0.873,"uisz":2}';
