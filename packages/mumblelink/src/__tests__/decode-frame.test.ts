import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createFrame,
  createFrameDecoder,
  decodeFrame,
  encodeFrame,
  isMumbleLinkError,
  readTick,
} from '../index';
import { handWrittenBlock, IDENTITY } from './hand-written-block';

describe('decodeFrame', () => {
  it('decodes every field of a block written byte by byte from the layout', () => {
    const result = decodeFrame(handWrittenBlock(IDENTITY));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const frame = result.value;
    expect(frame.version).toBe(2);
    expect(frame.tick).toBe(123_456);
    expect(frame.avatar).toEqual({
      position: { x: -1234.5, y: 56.25, z: 789.125 },
      front: { x: 0.5, y: 0, z: -0.75 },
      top: { x: 0, y: 1, z: 0 },
    });
    expect(frame.camera).toEqual({
      position: { x: -1230.5, y: 60.25, z: 780 },
      front: { x: 0.25, y: -0.5, z: 0.75 },
      top: { x: 0, y: 0.5, z: 0.5 },
    });
    expect(frame.name).toBe('Guild Wars 2');
    expect(frame.identityJson).toBe(IDENTITY);
    expect(frame.identityError).toBeNull();
    expect(frame.identity).toEqual({
      name: 'Ælva Swiftwind',
      profession: 5,
      spec: 71,
      race: 4,
      mapId: 1206,
      worldId: 2004,
      teamColorId: 9,
      commander: true,
      fov: 0.873,
      uiSize: 2,
    });
    expect(frame.contextLength).toBe(48);
    expect(frame.context).toEqual({
      serverAddress: { family: 'ipv4', address: '34.230.8.30', port: 6112 },
      mapId: 1206,
      mapType: 5,
      mapTypeName: 'public',
      shardId: 1_234_567,
      instance: 7,
      buildId: 171_234,
      uiState: {
        mapOpen: true,
        compassTopRight: false,
        compassRotation: false,
        gameFocus: true,
        competitive: false,
        textboxFocus: false,
        inCombat: true,
      },
      uiStateBits: 0b100_1001,
      compassWidth: 362,
      compassHeight: 290,
      compassRotation: 1.5,
      playerX: 30_000.5,
      playerY: 20_000.25,
      mapCenterX: 30_100,
      mapCenterY: 20_050,
      mapScale: 2.5,
      processId: 98_765,
      mountIndex: 6,
      mount: 'roller-beetle',
    });
    expect(frame.description).toBe('a description');
  });

  it('names every mount index of the issue and flags unknown ones', () => {
    const names = [
      null,
      'jackal',
      'griffon',
      'springer',
      'skimmer',
      'raptor',
      'roller-beetle',
      'warclaw',
      'skyscale',
      'skiff',
      'siege-turtle',
      'unknown',
    ];
    names.forEach((name, index) => {
      const bytes = handWrittenBlock(IDENTITY);
      bytes[1108 + 84] = index;
      const result = decodeFrame(bytes);
      expect(result.ok && [result.value.context.mountIndex, result.value.context.mount]).toEqual([
        index,
        name,
      ]);
    });
  });

  it('decodes each uiState bit to its own boolean', () => {
    const keys = [
      'mapOpen',
      'compassTopRight',
      'compassRotation',
      'gameFocus',
      'competitive',
      'textboxFocus',
      'inCombat',
    ];
    keys.forEach((key, bit) => {
      const bytes = handWrittenBlock(IDENTITY);
      new DataView(bytes.buffer).setUint32(1108 + 48, 1 << bit, true);
      const result = decodeFrame(bytes);
      if (!result.ok) throw result.error;
      const on = Object.entries(result.value.context.uiState).filter(([, value]) => value);
      expect(on).toEqual([[key, true]]);
    });
  });

  it('decodes an IPv6 server address (Windows AF_INET6 = 23)', () => {
    const bytes = handWrittenBlock(IDENTITY);
    const view = new DataView(bytes.buffer);
    bytes.fill(0, 1108, 1108 + 28);
    view.setUint16(1108, 23, true);
    view.setUint16(1110, 443, false);
    const groups = [0x2001, 0xdb8, 0, 0, 0, 0, 0x1, 0x2a];
    groups.forEach((group, i) => {
      view.setUint16(1108 + 8 + i * 2, group, false);
    });
    const result = decodeFrame(bytes);
    expect(result.ok && result.value.context.serverAddress).toEqual({
      family: 'ipv6',
      address: '2001:db8::1:2a',
      port: 443,
    });
  });

  it('reports no server address when the sockaddr is empty', () => {
    const bytes = handWrittenBlock(IDENTITY);
    bytes.fill(0, 1108, 1108 + 28);
    const result = decodeFrame(bytes);
    expect(result.ok && result.value.context.serverAddress).toBeNull();
  });

  it('reads a string that fills its whole field without a terminating NUL', () => {
    const bytes = handWrittenBlock(IDENTITY);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 256; i++) view.setUint16(44 + i * 2, 0x41 + (i % 26), true);
    const result = decodeFrame(bytes);
    expect(result.ok && result.value.name.length).toBe(256);
    expect(result.ok && result.value.camera.position.x).toBe(-1230.5);
  });

  it('decodes UTF-16 surrogate pairs in names', () => {
    const identity = IDENTITY.replace('Ælva Swiftwind', 'Zoë 🐞 Racer');
    const result = decodeFrame(handWrittenBlock(identity));
    expect(result.ok && result.value.identity?.name).toBe('Zoë 🐞 Racer');
  });

  it('ignores bytes a bridge appends after the block', () => {
    const padded = new Uint8Array(5460 + 64).fill(0xee);
    padded.set(handWrittenBlock(IDENTITY));
    const plain = decodeFrame(handWrittenBlock(IDENTITY));
    expect(decodeFrame(padded)).toEqual(plain);
  });

  it('decodes a block that sits at an odd offset inside a larger buffer', () => {
    const host = new Uint8Array(5460 + 3);
    host.set(handWrittenBlock(IDENTITY), 3);
    expect(decodeFrame(host.subarray(3))).toEqual(decodeFrame(handWrittenBlock(IDENTITY)));
  });

  it.each([0, 4, 8, 1108, 1193, 5459])(
    'refuses a %i-byte block with a TRUNCATED error',
    (length) => {
      const result = decodeFrame(handWrittenBlock(IDENTITY).subarray(0, length));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(isMumbleLinkError(result.error)).toBe(true);
      expect(result.error.code).toBe('TRUNCATED');
      expect(result.error.message).toContain(`${length} bytes`);
      expect(result.error.message).toContain('5460 bytes');
    },
  );

  it('refuses what is not a Uint8Array (an ArrayBuffer, a DataView, nothing) with INVALID_FRAME', () => {
    const block = handWrittenBlock(IDENTITY);
    for (const [input, what] of [
      [block.buffer, 'ArrayBuffer'],
      [new DataView(block.buffer), 'DataView'],
      [null, 'null'],
      [undefined, 'undefined'],
    ] as const) {
      for (const result of [
        decodeFrame(input as unknown as Uint8Array),
        createFrameDecoder().decode(input as unknown as Uint8Array),
      ]) {
        expect(!result.ok && result.error.code).toBe('INVALID_FRAME');
        expect(!result.ok && result.error.message).toContain(`Uint8Array, got ${what}`);
      }
    }
    // Wrapped as the message says, it reads.
    expect(decodeFrame(new Uint8Array(block.buffer)).ok).toBe(true);
  });

  it('accepts a block cut after the GW2 context with `partial`, and nothing shorter', () => {
    const cut = handWrittenBlock(IDENTITY).subarray(0, 1193);
    const result = decodeFrame(cut, { partial: true });
    expect(result.ok && result.value.context.mount).toBe('roller-beetle');
    expect(result.ok && result.value.description).toBe('');
    const tooShort = decodeFrame(cut.subarray(0, 1192), { partial: true });
    expect(!tooShort.ok && tooShort.error.code).toBe('TRUNCATED');
    expect(!tooShort.ok && tooShort.error.message).toContain('1193 bytes');
  });

  it('reads the tick alone, and nothing from fewer than 8 bytes', () => {
    const bytes = handWrittenBlock(IDENTITY);
    expect(readTick(bytes)).toBe(123_456);
    new DataView(bytes.buffer).setUint32(4, 0xffff_fffe, true);
    expect(readTick(bytes)).toBe(0xffff_fffe);
    expect(readTick(bytes.subarray(0, 7))).toBeUndefined();
  });
});

describe('identity JSON is parsed tolerantly', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['cut off mid-write', IDENTITY.slice(0, 40), /not valid JSON/],
    ['not JSON at all', 'Ælva', /not valid JSON/],
    ['an array', '[1,2]', /not an object/],
    ['null', 'null', /not an object/],
    ['missing a field', IDENTITY.replace(',"uisz":2', ''), /"uisz"/],
    ['a field of the wrong type', IDENTITY.replace('"spec":71', '"spec":"71"'), /"spec"/],
    [
      'a non-boolean commander',
      IDENTITY.replace('"commander":true', '"commander":1'),
      /"commander"/,
    ],
    ['no name', IDENTITY.replace('"name":"Ælva Swiftwind",', ''), /"name"/],
  ];
  it.each(cases)('gives identity null and a reason when it is %s', (_, json, reason) => {
    const result = decodeFrame(handWrittenBlock(json));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.identity).toBeNull();
    expect(result.value.identityError).toMatch(reason);
    expect(result.value.identityJson).toBe(json);
    expect(result.value.context.mapId).toBe(1206);
  });

  it('ignores keys it does not know, such as the legacy "map"', () => {
    const result = decodeFrame(
      handWrittenBlock(IDENTITY.replace('}', ',"map":1206,"future":[1]}')),
    );
    expect(result.ok && result.value.identity?.spec).toBe(71);
  });
});

describe('createFrameDecoder', () => {
  it('gives the same frames as decodeFrame while strings and identity change and repeat', () => {
    const decoder = createFrameDecoder();
    const identities = [
      IDENTITY,
      IDENTITY,
      '',
      '{"broken',
      IDENTITY.replace('Ælva', 'Bo'),
      IDENTITY,
    ];
    identities.forEach((identity, i) => {
      const bytes = handWrittenBlock(identity);
      new DataView(bytes.buffer).setUint32(4, i + 1, true);
      if (i === 3) bytes.fill(0, 1108, 1108 + 28);
      if (i === 4) new DataView(bytes.buffer).setUint16(44, 0x67, true);
      expect(decoder.decode(bytes)).toEqual(decodeFrame(bytes));
    });
  });

  it('reuses the parsed identity object while its bytes do not change', () => {
    const decoder = createFrameDecoder();
    const first = decoder.decode(handWrittenBlock(IDENTITY));
    const second = decoder.decode(handWrittenBlock(IDENTITY));
    expect(first.ok && second.ok && first.value.identity === second.value.identity).toBe(true);
    expect(Object.isFrozen(first.ok && first.value.identity)).toBe(true);
  });

  it('equals decodeFrame over any sequence of blocks, strings growing, shrinking and filling their field', () => {
    // Strings that are prefixes of each other, empty, and full-length (no NUL), to probe the cache.
    const names = ['Guild Wars 2', 'Guild Wars', 'Guild Wars 2!', '', 'G'.repeat(255)];
    const descriptions = ['', 'x', 'xy', 'd'.repeat(2047)];
    const identityJson = ['', '{"name":"A"', '{"name":"A","profession":1}', IDENTITY];
    const block = fc
      .record({
        name: fc.constantFrom(...names),
        description: fc.constantFrom(...descriptions),
        identityJson: fc.constantFrom(...identityJson),
        address: fc.constantFrom('1.2.3.4', '1.2.3.5', null),
        full: fc.boolean(),
      })
      .map(({ name, description, identityJson: json, address, full }) => {
        const bytes = encodeFrame(
          createFrame({
            name,
            description,
            identity: null,
            identityJson: json,
            context: {
              serverAddress: address === null ? null : { family: 'ipv4', address, port: 1 },
            },
          }),
        );
        // A name that fills all 256 units, without a NUL.
        if (full) new DataView(bytes.buffer).setUint16(44 + 255 * 2, 0x21, true);
        return bytes;
      });
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (blocks, partial) => {
          const decoder = createFrameDecoder({ partial });
          for (const bytes of blocks) {
            const input = partial ? bytes.subarray(0, 1364 + 5) : bytes;
            expect(decoder.decode(input)).toEqual(decodeFrame(input, { partial }));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with `partial`, decodes a block that got shorter than the one before (5460, 1193, 1369, 1367 bytes)', () => {
    // A description that reaches the end of the block, so the cached string is longer than what
    // the shorter blocks hold.
    const bytes = encodeFrame(createFrame({ description: 'd'.repeat(2047) }));
    const decoder = createFrameDecoder({ partial: true });
    const seen: string[] = [];
    for (const length of [5460, 1193, 1369, 1367, 5460]) {
      const input = bytes.subarray(0, length);
      const result = decoder.decode(input);
      expect(result).toEqual(decodeFrame(input, { partial: true }));
      seen.push(result.ok ? result.value.description : `error ${result.error.code}`);
    }
    expect(seen).toEqual(['d'.repeat(2047), '', 'dd', 'd', 'd'.repeat(2047)]);
  });

  it('with `partial`, never throws and equals decodeFrame whatever lengths one decoder is fed', () => {
    const names = ['Guild Wars 2', '', 'G'.repeat(255)];
    const descriptions = ['', 'x', 'xyz', 'd'.repeat(2047)];
    const block = fc
      .record({
        name: fc.constantFrom(...names),
        description: fc.constantFrom(...descriptions),
        identityJson: fc.constantFrom('', IDENTITY, IDENTITY.slice(0, 30)),
        // Name and description filling their whole field, without a NUL.
        fill: fc.boolean(),
        // Anything from too short to longer than a block (bridges append bytes), odd lengths
        // included, and often right around the GW2 data and the description's start.
        length: fc.oneof(
          fc.integer({ min: 0, max: 5460 + 16 }),
          fc.integer({ min: 1190, max: 1372 }),
          fc.constantFrom(1193, 1364, 1365, 1366, 5459, 5460),
        ),
      })
      .map(({ name, description, identityJson, fill, length }) => {
        const full = encodeFrame(createFrame({ name, description, identity: null, identityJson }));
        if (fill) {
          new DataView(full.buffer).setUint16(44 + 255 * 2, 0x21, true);
          new DataView(full.buffer).setUint16(1364 + 2047 * 2, 0x21, true);
        }
        const bytes = new Uint8Array(length);
        bytes.set(full.subarray(0, Math.min(length, full.length)));
        if (length > full.length) bytes.fill(0xab, full.length);
        return bytes;
      });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 16 }), (blocks) => {
        const decoder = createFrameDecoder({ partial: true });
        for (const input of blocks) {
          expect(decoder.decode(input)).toEqual(decodeFrame(input, { partial: true }));
        }
      }),
      { numRuns: 500 },
    );
  });
});
