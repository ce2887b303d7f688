import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameInit, MumbleLinkFrame } from '../index';
import {
  createFrame,
  decodeFrame,
  encodeFrame,
  encodeFrameInto,
  formatIdentity,
  MAP_TYPE_NAMES,
  MOUNT_NAMES,
  MumbleLinkError,
} from '../index';
import { handWrittenBlock, IDENTITY } from './hand-written-block';

function decoded(bytes: Uint8Array): MumbleLinkFrame {
  const result = decodeFrame(bytes);
  if (!result.ok) throw result.error;
  return result.value;
}

const float = fc.float({ noNaN: true });
const vec3 = fc.record({ x: float, y: float, z: float });
const pose = fc.record({ position: vec3, front: vec3, top: vec3 });
const u32 = fc.nat({ max: 0xffff_ffff });
const text = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).filter((value) => !value.includes('\u0000'));
const identity = fc
  .record({
    name: text(12),
    profession: fc.nat({ max: 9 }),
    spec: fc.nat({ max: 80 }),
    race: fc.nat({ max: 4 }),
    mapId: fc.nat({ max: 2000 }),
    worldId: u32,
    teamColorId: fc.nat({ max: 1000 }),
    commander: fc.boolean(),
    fov: fc.double({ min: 0.01, max: 3, noNaN: true }),
    uiSize: fc.nat({ max: 3 }),
  })
  .filter((value) => formatIdentity(value).length <= 255);
/** Eight groups, often zero so that runs of zeros (and ties between runs) come up. */
const ipv6Groups = fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 0xffff })), {
  minLength: 8,
  maxLength: 8,
});

const frameInit: fc.Arbitrary<FrameInit> = fc.record({
  version: u32,
  tick: u32,
  avatar: pose,
  camera: pose,
  name: text(60),
  identity: fc.option(identity, { nil: null }),
  identityJson: text(100),
  contextLength: u32,
  description: text(300),
  context: fc.record({
    mapId: u32,
    mapType: fc.nat({ max: 30 }),
    shardId: u32,
    instance: u32,
    buildId: u32,
    uiStateBits: u32,
    compassWidth: fc.nat({ max: 0xffff }),
    compassHeight: fc.nat({ max: 0xffff }),
    compassRotation: float,
    playerX: float,
    playerY: float,
    mapCenterX: float,
    mapCenterY: float,
    mapScale: float,
    processId: u32,
    mountIndex: fc.nat({ max: 255 }),
  }),
});

describe('encodeFrame', () => {
  it('writes exactly the bytes of a block written by hand from the layout', () => {
    const bytes = handWrittenBlock(IDENTITY);
    expect(encodeFrame(decoded(bytes))).toEqual(bytes);
  });

  it('round-trips any frame: decodeFrame(encodeFrame(frame)) equals frame', () => {
    fc.assert(
      fc.property(frameInit, (init) => {
        const frame = createFrame(init);
        expect(decoded(encodeFrame(frame))).toEqual(frame);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips IPv4 server addresses', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.nat({ max: 0xffff }), (address, port) => {
        const serverAddress = { family: 'ipv4' as const, address, port };
        const frame = createFrame({ context: { serverAddress } });
        expect(decoded(encodeFrame(frame)).context.serverAddress).toEqual(serverAddress);
      }),
    );
  });

  it('writes IPv6 addresses in RFC 5952 form (as WHATWG URL does) and reads them back', () => {
    fc.assert(
      fc.property(ipv6Groups, fc.nat({ max: 0xffff }), (groups, port) => {
        const full = groups.map((group) => group.toString(16)).join(':');
        const canonical = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        const frame = createFrame({
          context: { serverAddress: { family: 'ipv6', address: full, port } },
        });
        const bytes = encodeFrame(frame);
        const address = decoded(bytes).context.serverAddress;
        expect(address).toEqual({ family: 'ipv6', address: canonical, port });
        const again = createFrame({ context: { serverAddress: address } });
        expect(encodeFrame(again).subarray(1108, 1136)).toEqual(bytes.subarray(1108, 1136));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps uiState bits it does not name, and writes the named ones from the booleans', () => {
    const frame = createFrame({
      context: { uiStateBits: 0x8000_0100, uiState: { inCombat: true } },
    });
    const context = decoded(encodeFrame(frame)).context;
    expect(context.uiStateBits).toBe((0x8000_0100 | (1 << 6) | (1 << 3)) >>> 0);
    expect(context.uiState.inCombat).toBe(true);
    expect(context.uiState.gameFocus).toBe(true);
  });

  it('derives mount and map type names in createFrame', () => {
    MOUNT_NAMES.forEach((mount, index) => {
      const context = decoded(encodeFrame(createFrame({ context: { mount } }))).context;
      expect([context.mountIndex, context.mount]).toEqual([index, mount]);
    });
    const context = createFrame({ context: { mapTypeName: 'wvw-eternal-battlegrounds' } }).context;
    expect(context.mapType).toBe(MAP_TYPE_NAMES.indexOf('wvw-eternal-battlegrounds'));
  });

  it('leaves nothing of a previous block in a reused buffer', () => {
    const target = new Uint8Array(5460 + 10).fill(0xaa);
    encodeFrameInto(
      createFrame({ name: 'x'.repeat(200), description: 'y'.repeat(2000) }),
      target,
      10,
    );
    const short = createFrame({ name: 'GW2', identity: null });
    encodeFrameInto(short, target, 10);
    expect(target.subarray(10)).toEqual(encodeFrame(short));
    expect(target.subarray(0, 10).every((byte) => byte === 0xaa)).toBe(true);
  });

  it('writes a broken identity verbatim when identity is null', () => {
    const frame = createFrame({ identity: null, identityJson: '{"name":"Cut' });
    expect(frame.identityError).toMatch(/not valid JSON/);
    expect(decoded(encodeFrame(frame))).toEqual(frame);
  });

  const invalid: [string, FrameInit, RegExp][] = [
    ['a name longer than 255 units', { name: 'n'.repeat(256) }, /name is 256 UTF-16 code units/],
    ['a description longer than 2047 units', { description: 'd'.repeat(2048) }, /description/],
    ['a NUL inside a string', { name: 'Guild\u0000Wars' }, /NUL/],
    ['a negative tick', { tick: -1 }, /tick must be an integer/],
    ['a fractional map id', { context: { mapId: 1.5 } }, /context\.mapId/],
    ['a mount index above 255', { context: { mountIndex: 256 } }, /mountIndex/],
    ['a compass wider than 65535', { context: { compassWidth: 70_000 } }, /compassWidth/],
    [
      'a malformed IPv4 address',
      { context: { serverAddress: { family: 'ipv4', address: '1.2.3.256', port: 1 } } },
      /not an IPv4 address/,
    ],
    [
      'a malformed IPv6 address',
      { context: { serverAddress: { family: 'ipv6', address: '1::2::3', port: 1 } } },
      /not an IPv6 address/,
    ],
    [
      'an identity too long for its field',
      { identity: { name: 'n'.repeat(200) } },
      /identity is \d+ UTF-16 code units/,
    ],
  ];
  it.each(invalid)('throws INVALID_FRAME for %s', (_, init, message) => {
    const frame = createFrame(init);
    expect(() => encodeFrame(frame)).toThrow(MumbleLinkError);
    expect(() => encodeFrame(frame)).toThrow(message);
  });

  it('refuses a target buffer that is too small', () => {
    expect(() => encodeFrameInto(createFrame(), new Uint8Array(5459))).toThrow(/needs 5460/);
  });
});
