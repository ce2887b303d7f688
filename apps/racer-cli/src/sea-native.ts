import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The name of koffi's native module among a single executable's assets. */
export const KOFFI_ASSET = 'koffi.node';

/** What {@link prepareSeaNative} needs of `node:sea` (injected so tests run outside an executable). */
export interface SeaAssets {
  isSea(): boolean;
  getRawAsset(name: string): string | ArrayBuffer;
}

/** Where a single executable unpacks its native module: a folder per content hash. */
export function nativeCacheRoot(hash: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.LOCALAPPDATA ?? (env.XDG_CACHE_HOME || join(homedir() || tmpdir(), '.cache'));
  return join(base, 'gw2race', `native-${hash}`);
}

/**
 * In a single executable (`gw2race-racer-win-x64.exe`), koffi's native module travels as an
 * asset: a Node executable cannot `require` a `.node` file from inside itself. This writes it
 * once to a per-user cache folder named after its hash and points koffi there: koffi looks in
 * `process.resourcesPath/koffi/{platform}_{arch}/koffi.node` (the place Electron apps use).
 * Outside an executable, or in one without the asset (the Linux build reads a file, not shared
 * memory), it does nothing. Returns the folder used, if any.
 */
export function prepareSeaNative(sea: SeaAssets, env: NodeJS.ProcessEnv = process.env) {
  if (!sea.isSea()) return undefined;
  let bytes: Uint8Array;
  try {
    const asset = sea.getRawAsset(KOFFI_ASSET);
    bytes = typeof asset === 'string' ? new TextEncoder().encode(asset) : new Uint8Array(asset);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const root = nativeCacheRoot(hash, env);
  const dir = join(root, 'koffi', `${process.platform}_${process.arch}`);
  const file = join(dir, 'koffi.node');
  if (!existsSync(file) || statSync(file).size !== bytes.length) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  }
  (process as { resourcesPath?: string }).resourcesPath = root;
  return root;
}
