import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KOFFI_ASSET, prepareSeaNative } from '../sea-native';

describe('prepareSeaNative', () => {
  it('does nothing outside a single executable', () => {
    const sea = { isSea: () => false, getRawAsset: () => new ArrayBuffer(0) };
    expect(prepareSeaNative(sea, {})).toBeUndefined();
  });

  it('does nothing in an executable without koffi (the Linux build)', () => {
    const sea = {
      isSea: () => true,
      getRawAsset: (): ArrayBuffer => {
        throw new Error('no asset');
      },
    };
    expect(prepareSeaNative(sea, {})).toBeUndefined();
  });

  it('unpacks koffi once where koffi looks for it (resourcesPath) and reuses it', () => {
    const base = mkdtempSync(join(tmpdir(), 'gw2race-sea-'));
    const bytes = new TextEncoder().encode('not really a DLL');
    const asked: string[] = [];
    const sea = {
      isSea: () => true,
      getRawAsset: (name: string) => {
        asked.push(name);
        return bytes.slice().buffer;
      },
    };
    const root = prepareSeaNative(sea, { LOCALAPPDATA: base });
    expect(asked).toEqual([KOFFI_ASSET]);
    expect(root?.startsWith(join(base, 'gw2race', 'native-'))).toBe(true);
    const file = join(root as string, 'koffi', `${process.platform}_${process.arch}`, 'koffi.node');
    expect(readFileSync(file, 'utf8')).toBe('not really a DLL');
    expect((process as { resourcesPath?: string }).resourcesPath).toBe(root);
    const written = statSync(file).mtimeMs;
    expect(prepareSeaNative(sea, { LOCALAPPDATA: base })).toBe(root);
    expect(statSync(file).mtimeMs).toBe(written);
  });
});
