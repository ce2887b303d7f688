import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@gw2race/app-shared';

/** A race's secret key as kept beside its recording. */
export interface RaceKey {
  /** The 32-byte key (signing, invitations, the recording's tamper evidence). */
  key: Uint8Array;
  /** Where it is kept: `{out}/race_{raceId}.key.json`. */
  path: string;
  /** True when this call made it; false when it was read back (a restarted host). */
  created: boolean;
}

/** Bytes in a race key. */
export const RACE_KEY_BYTES = 32;

/** Where a race's key is kept, beside its recording. */
export function raceKeyPath(outDir: string, raceId: string): string {
  return join(outDir, `race_${raceId}.key.json`);
}

/** The key in a key file's text, or an error that says what is wrong with the file. */
export function parseRaceKeyFile(text: string, raceId: string, path: string): Uint8Array {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('BAD_FILE', `${path} is not JSON`, {
      hint: 'restore it from a backup, or move it away to start the race with a new key',
    });
  }
  const file = value as { raceId?: unknown; key?: unknown };
  if (typeof file !== 'object' || file === null || typeof file.key !== 'string') {
    throw new AppError('BAD_FILE', `${path} has no "key"`);
  }
  if (file.raceId !== raceId) {
    throw new AppError(
      'BAD_FILE',
      `${path} is the key of race "${String(file.raceId)}", not "${raceId}"`,
    );
  }
  const key = Buffer.from(file.key, 'base64url');
  if (key.length !== RACE_KEY_BYTES || key.toString('base64url') !== file.key) {
    throw new AppError('BAD_FILE', `${path}: "key" is not ${RACE_KEY_BYTES} bytes of base64url`);
  }
  return new Uint8Array(key);
}

/**
 * The race's key: read back from `{out}/race_{raceId}.key.json` when a host restarts, or made
 * fresh (32 random bytes) and written there, readable by its owner only (mode 0600).
 */
export async function loadOrCreateRaceKey(outDir: string, raceId: string): Promise<RaceKey> {
  const path = raceKeyPath(outDir, raceId);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AppError('BAD_FILE', `cannot read the race key ${path}`, { cause: error });
    }
  }
  if (text !== undefined)
    return { key: parseRaceKeyFile(text, raceId, path), path, created: false };
  const key = new Uint8Array(randomBytes(RACE_KEY_BYTES));
  const file = {
    raceId,
    key: Buffer.from(key).toString('base64url'),
    createdAt: new Date().toISOString(),
  };
  try {
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateRaceKey(outDir, raceId);
    throw new AppError('BAD_FILE', `cannot write the race key ${path}`, { cause: error });
  }
  return { key, path, created: true };
}
