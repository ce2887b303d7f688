import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateRaceKey, RACE_KEY_BYTES, raceKeyPath } from '../host/race-key';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'gw2race-key-'));
}

describe('race key beside the recording', () => {
  it('is made once, owner-only, and read back by a restarted host', async () => {
    const dir = await tempDir();
    const first = await loadOrCreateRaceKey(dir, 'abc123');
    expect(first.created).toBe(true);
    expect(first.key.length).toBe(RACE_KEY_BYTES);
    expect(first.path).toBe(raceKeyPath(dir, 'abc123'));
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateRaceKey(dir, 'abc123');
    expect(again.created).toBe(false);
    expect(Buffer.from(again.key).equals(Buffer.from(first.key))).toBe(true);
    const other = await loadOrCreateRaceKey(dir, 'zzz999');
    expect(Buffer.from(other.key).equals(Buffer.from(first.key))).toBe(false);
  });

  it('refuses a damaged or foreign key file with a message naming it', async () => {
    const dir = await tempDir();
    const path = raceKeyPath(dir, 'abc123');
    await writeFile(path, '{not json');
    await expect(loadOrCreateRaceKey(dir, 'abc123')).rejects.toThrow(/is not JSON/);
    await writeFile(path, JSON.stringify({ raceId: 'other1', key: 'x' }));
    await expect(loadOrCreateRaceKey(dir, 'abc123')).rejects.toThrow(/key of race "other1"/);
    await writeFile(path, JSON.stringify({ raceId: 'abc123', key: 'c2hvcnQ' }));
    await expect(loadOrCreateRaceKey(dir, 'abc123')).rejects.toThrow(/not 32 bytes/);
    expect(await readFile(path, 'utf8')).toContain('c2hvcnQ');
  });
});
