import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@gw2race/app-shared';
import type { Track } from '@gw2race/protocol';
import { parseBeetlerankCsv, parseTrack } from '@gw2race/race-engine';

/** Tracks shipped with the host, by short name, with their GW2 map ids. */
export const BUNDLED_TRACKS = {
  gendarran: { file: 'gendarran.csv', name: 'TYRIA GENDARRAN', mapId: 24 },
  'diessa-plateau': { file: 'diessa-plateau.csv', name: 'TYRIA DIESSA PLATEAU', mapId: 32 },
} as const;

/** The default track when none is given. */
export const DEFAULT_TRACK = 'gendarran';

function bundledDir(): string {
  // dist/cli.js → ../tracks; src/host/load-track.ts → ../../tracks
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('dist') ? join(here, '..', 'tracks') : join(here, '..', '..', 'tracks');
}

/**
 * Loads a track: a bundled one by name (`gendarran`), a gw2race track JSON, or a Beetlerank CSV.
 * Problems are {@link AppError}s that name the file and, for CSV, the line.
 */
export async function loadTrack(spec: string, options: { mapId?: number } = {}): Promise<Track> {
  const bundled = (
    BUNDLED_TRACKS as Record<string, (typeof BUNDLED_TRACKS)[keyof typeof BUNDLED_TRACKS]>
  )[spec];
  const path = bundled ? join(bundledDir(), bundled.file) : spec;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new AppError(
      'BAD_FILE',
      `cannot read the track ${spec}${code === 'ENOENT' ? ': no such file' : ''}`,
      {
        hint: `give a gw2race track JSON, a Beetlerank CSV, or one of: ${Object.keys(BUNDLED_TRACKS).join(', ')}`,
        cause,
      },
    );
  }
  if (bundled || path.toLowerCase().endsWith('.csv')) {
    const mapId = options.mapId ?? bundled?.mapId;
    const parsed = parseBeetlerankCsv(text, {
      file: basename(path),
      ...(bundled ? { name: bundled.name, id: spec } : {}),
      ...(mapId !== undefined ? { mapId } : {}),
    });
    if (!parsed.ok)
      throw new AppError('BAD_FILE', `${spec}: ${parsed.error.message}`, { cause: parsed.error });
    return parsed.value;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError(
      'BAD_FILE',
      `${spec} is neither a Beetlerank CSV nor valid JSON (${(cause as Error).message})`,
      { cause },
    );
  }
  const parsed = parseTrack(json);
  if (!parsed.ok)
    throw new AppError('BAD_FILE', `${spec} is not a gw2race track: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  return options.mapId !== undefined ? { ...parsed.value, mapId: options.mapId } : parsed.value;
}
