import { readFileSync } from 'node:fs';
import { AppError } from './errors';

/** The environment variable a hub password may come from (kept out of `ps` and shell history). */
export const PASSWORD_ENV = 'GW2RACE_PASSWORD';

/** Where a hub password may be given on the command line. */
export interface PasswordFlags {
  password?: string | undefined;
  'password-file'?: string | undefined;
}

/**
 * The hub password from `--password-file FILE` (its first line), the `GW2RACE_PASSWORD`
 * environment variable, or `--password` (visible to other users in `ps`), in that order; giving
 * both flags is a usage error, as is an unreadable or empty file.
 */
export function resolvePassword(
  flags: PasswordFlags,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const file = flags['password-file'];
  if (file !== undefined && flags.password !== undefined)
    throw new AppError('USAGE', 'give --password or --password-file, not both');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new AppError('BAD_FILE', `cannot read the password file ${file}`, { cause });
    }
    const password = text.split(/\r?\n/, 1)[0] ?? '';
    if (password === '') throw new AppError('BAD_FILE', `the password file ${file} is empty`);
    return password;
  }
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '' && flags.password === undefined) return fromEnv;
  return flags.password;
}
