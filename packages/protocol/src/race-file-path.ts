import { ProtocolError } from './errors';
import { parseId } from './ids';
import { err, ok, type Result } from './result';

/**
 * The files of one race of a tournament the viewer's server hands out, by the last segment of
 * their path: the recording (gzip), and the results the host wrote after the race (JSON and
 * CSV, as `gw2race-host results` writes them).
 */
export const RACE_FILES = ['recording', 'results.json', 'results.csv'] as const;

/** One of {@link RACE_FILES}. */
export type RaceFile = (typeof RACE_FILES)[number];

/** Where the races' files are: `GET /api/races/{raceId}/{file}`. */
export const RACE_FILES_PATH = '/api/races/';

/**
 * The path of one race's file on the viewer's server.
 *
 * @example
 * raceFilePath('heat-1', 'results.json'); // '/api/races/heat-1/results.json'
 */
export function raceFilePath(raceId: string, file: RaceFile): string {
  return `${RACE_FILES_PATH}${encodeURIComponent(raceId)}/${file}`;
}

/**
 * Reads an untrusted (already percent-decoded) request path under {@link RACE_FILES_PATH}: the
 * race id (a valid id, so never a path: no `/`, no `..` of its own) and which file. The error's
 * message is the sentence to answer with (HTTP 400 or 404).
 */
export function parseRaceFilePath(
  path: string,
): Result<{ raceId: string; file: RaceFile }, ProtocolError> {
  if (!path.startsWith(RACE_FILES_PATH))
    return err(new ProtocolError('INVALID_MESSAGE', `${path} is not under ${RACE_FILES_PATH}`));
  const parts = path.slice(RACE_FILES_PATH.length).split('/');
  const [raceId = '', file = '', ...rest] = parts;
  const id = parseId('race id', raceId);
  if (!id.ok) return err(id.error);
  const known = RACE_FILES.find((name) => name === file);
  if (!known || rest.length > 0)
    return err(
      new ProtocolError(
        'INVALID_MESSAGE',
        `a race's files are ${RACE_FILES.map((name) => `${RACE_FILES_PATH}{raceId}/${name}`).join(', ')}`,
      ),
    );
  return ok({ raceId: id.value, file: known });
}
