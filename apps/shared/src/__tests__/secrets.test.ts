import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_ENV, resolvePassword } from '../secrets';

describe('resolvePassword', () => {
  it('reads the first line of --password-file, then the environment, then --password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-pw-'));
    const file = join(dir, 'hub.pw');
    await writeFile(file, 'from-file\r\nsecond line\n');
    expect(resolvePassword({ 'password-file': file }, { [PASSWORD_ENV]: 'env' })).toBe('from-file');
    expect(resolvePassword({}, { [PASSWORD_ENV]: 'from-env' })).toBe('from-env');
    expect(resolvePassword({ password: 'flag' }, { [PASSWORD_ENV]: 'env' })).toBe('flag');
    expect(resolvePassword({}, {})).toBeUndefined();
  });

  it('says what is wrong with the file or the flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-pw-'));
    const empty = join(dir, 'empty.pw');
    await writeFile(empty, '\n');
    expect(() => resolvePassword({ 'password-file': empty }, {})).toThrow(/is empty/);
    expect(() => resolvePassword({ 'password-file': join(dir, 'missing') }, {})).toThrow(
      /cannot read the password file/,
    );
    expect(() => resolvePassword({ password: 'a', 'password-file': empty }, {})).toThrow(
      /not both/,
    );
  });
});
