import { existsSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AppError } from '@gw2race/app-shared';

/**
 * Refuses an output file that exists (unless `force`) or whose folder does not, before any work
 * is done: an organizer should not ride a whole track to learn the file cannot be written.
 */
export function checkOutput(path: string, option: string, force: boolean): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new AppError('USAGE', `${option} ${path}: the folder ${folder} does not exist`);
  if (existsSync(path) && !force)
    throw new AppError('USAGE', `${option} ${path} already exists`, {
      hint: 'give --force to replace it, or another file name',
    });
}

/** Writes a file whole or not at all: a crash mid-write leaves the previous version. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (cause as { code?: string }).code;
    throw new AppError('FAILED', `cannot write ${path}${code ? ` (${code})` : ''}`, { cause });
  }
}

/** Reads a text file, with an {@link AppError} that names it. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new AppError(
      'BAD_FILE',
      `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : ((cause as Error).message ?? code)}`,
      { cause },
    );
  }
}
