import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '@gw2race/app-shared';
import { parseTournament, type Tournament } from '@gw2race/protocol';
import { BUNDLED_TRACKS } from '../host/load-track';

/** A tournament file read and checked, with the folder its relative track paths start from. */
export interface LoadedTournament {
  readonly tournament: Tournament;
  readonly file: string;
  readonly dir: string;
}

/**
 * Reads and checks a tournament file. Problems are {@link AppError}s `BAD_FILE` of one line
 * naming the file: missing, not JSON, or where the tournament is wrong and why.
 */
export async function loadTournament(file: string): Promise<LoadedTournament> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new AppError(
      'BAD_FILE',
      `cannot read the tournament ${file}${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a folder' : ''}`,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('BAD_FILE', `${file} is not valid JSON (${(cause as Error).message})`, {
      cause,
    });
  }
  const parsed = parseTournament(json);
  if (!parsed.ok)
    throw new AppError('BAD_FILE', `${file}: ${parsed.error.message}`, { cause: parsed.error });
  return { tournament: parsed.value, file, dir: dirname(resolve(file)) };
}

/**
 * What `--track` should be given for a race's track: a bundled track by name as it is, a path
 * relative to the tournament file's folder made absolute.
 */
export function trackSpecOf(track: string, dir: string): string {
  if (Object.hasOwn(BUNDLED_TRACKS, track) || isAbsolute(track)) return track;
  return resolve(dir, track);
}
