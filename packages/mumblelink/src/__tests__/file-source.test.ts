import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createFileSource,
  createFileWriter,
  createFrame,
  decodeFrame,
  isMumbleLinkError,
  openMumbleLinkSource,
  openMumbleLinkWriter,
} from '../index';
import { defaultMumbleLinkPath } from '../source';
import { handWrittenBlock, IDENTITY } from './hand-written-block';

const roots = [mkdtempSync(join(tmpdir(), 'gw2race-mumblelink-'))];
if (existsSync('/dev/shm')) roots.push(mkdtempSync('/dev/shm/gw2race-mumblelink-'));
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

let counter = 0;
function freshPath(root: string): string {
  counter++;
  return join(root, `link-${counter}`, 'MumbleLink');
}

describe.each(roots)('file source and writer in %s', (root) => {
  it('reads nothing while the file is missing or empty, then the block once written', () => {
    const path = freshPath(root);
    const source = createFileSource({ path });
    expect(source.read()).toBeNull();
    const writer = createFileWriter({ path });
    expect(source.read()).toBeNull();
    const frame = createFrame({ tick: 7, avatar: { position: { x: 1, y: 2, z: 3 } } });
    writer.write(frame);
    const bytes = source.read();
    expect(bytes?.length).toBe(5460);
    expect(decodeFrame(bytes!)).toEqual({ ok: true, value: frame });
    source.close();
    writer.close();
  });

  it('reads a block written byte by byte from the layout, field by field', () => {
    const path = freshPath(root);
    const writer = createFileWriter({ path });
    writer.write(handWrittenBlock(IDENTITY));
    const source = createFileSource({ path });
    const result = decodeFrame(source.read()!);
    if (!result.ok) throw result.error;
    expect(result.value.tick).toBe(123_456);
    expect(result.value.avatar.position).toEqual({ x: -1234.5, y: 56.25, z: 789.125 });
    expect(result.value.identity?.name).toBe('Ælva Swiftwind');
    expect(result.value.context.mapId).toBe(1206);
    expect(result.value.context.mount).toBe('roller-beetle');
    source.close();
    writer.close();
  });

  it('stops at the block when a bridge appends bytes after it', () => {
    const path = freshPath(root);
    const writer = createFileWriter({ path });
    const padded = new Uint8Array(5460 + 8).fill(0x7f);
    padded.set(handWrittenBlock(IDENTITY));
    writer.write(padded);
    expect(statSync(path).size).toBe(5468);
    const source = createFileSource({ path });
    const bytes = source.read()!;
    expect(bytes.length).toBe(5460);
    expect(decodeFrame(bytes).ok).toBe(true);
    source.close();
    writer.close();
  });

  it('returns a short block as it is, and the decoder explains it is truncated', () => {
    const path = freshPath(root);
    const writer = createFileWriter({ path });
    writer.write(createFrame());
    writer.write(handWrittenBlock(IDENTITY).subarray(0, 1000));
    expect(statSync(path).size).toBe(1000);
    const source = createFileSource({ path });
    const result = decodeFrame(source.read()!);
    expect(!result.ok && [result.error.code, result.error.message.includes('1000 bytes')]).toEqual([
      'TRUNCATED',
      true,
    ]);
    source.close();
    writer.close();
  });

  it('follows a bridge that deletes and recreates the file', () => {
    const path = freshPath(root);
    const first = createFileWriter({ path });
    first.write(createFrame({ tick: 1 }));
    const source = createFileSource({ path, recheckEvery: 1 });
    expect(decodeFrame(source.read()!)).toMatchObject({ value: { tick: 1 } });
    first.close();
    rmSync(path);
    expect(source.read()).toBeNull();
    const second = createFileWriter({ path });
    second.write(createFrame({ tick: 2 }));
    expect(decodeFrame(source.read()!)).toMatchObject({ value: { tick: 2 } });
    source.close();
    second.close();
  });

  it('reports a path it cannot read as IO_FAILED', () => {
    const path = freshPath(root);
    mkdirSync(path, { recursive: true });
    const source = createFileSource({ path });
    let thrown: unknown;
    try {
      source.read();
    } catch (error) {
      thrown = error;
    }
    expect(isMumbleLinkError(thrown) && thrown.code).toBe('IO_FAILED');
    expect(String((thrown as Error).message)).toContain(path);
    source.close();
  });

  it('refuses use after close, and removes the file on close when asked', () => {
    const path = freshPath(root);
    const writer = createFileWriter({ path, removeOnClose: true });
    writer.write(createFrame());
    const source = createFileSource({ path });
    source.close();
    source.close();
    expect(() => source.read()).toThrow(/closed/);
    writer.close();
    expect(existsSync(path)).toBe(false);
    expect(() => writer.write(createFrame())).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});

describe('platform defaults', () => {
  it('puts the Linux block at /dev/shm/<name>, following -mumble NAME', () => {
    expect(defaultMumbleLinkPath()).toBe('/dev/shm/MumbleLink');
    expect(defaultMumbleLinkPath('Racer2')).toBe('/dev/shm/Racer2');
  });

  it('opens a file source and writer off Windows without loading kernel32', async () => {
    const path = freshPath(roots[0]!);
    const writer = await openMumbleLinkWriter({ path, platform: 'linux' });
    const source = await openMumbleLinkSource({ path, platform: 'linux' });
    expect([source.description, writer.description]).toEqual([path, path]);
    writer.write(createFrame({ tick: 3 }));
    expect(decodeFrame(source.read()!)).toMatchObject({ value: { tick: 3 } });
    const named = await openMumbleLinkSource({ name: 'Racer2', platform: 'linux' });
    expect(named.description).toBe('/dev/shm/Racer2');
    named.close();
    source.close();
    writer.close();
  });
});
