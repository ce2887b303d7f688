import { parseId } from '@gw2race/protocol';
import { ReplayError } from './replay-error';

/**
 * The file name of a recording: `race_{raceId}_{timestamp}.replay.jsonl.gz`, the timestamp in
 * UTC as `YYYYMMDDTHHMMSSZ` (no `:`, so it is valid on Windows too, and names sort by time).
 * `sequence` (2, 3, …) tells apart recordings of one race started within the same second:
 * `race_{raceId}_{timestamp}-{sequence}.replay.jsonl.gz`.
 * Throws {@link ReplayError} `INVALID_ARGUMENT` for an invalid race id, time or sequence.
 *
 * @example
 * replayFileName('abc123', 1724312345.5); // 'race_abc123_20240822T073905Z.replay.jsonl.gz'
 * replayFileName('abc123', 1724312345.5, 2); // 'race_abc123_20240822T073905Z-2.replay.jsonl.gz'
 */
export function replayFileName(raceId: string, createdAt: number, sequence = 1): string {
  const id = parseId('race id', raceId);
  if (!id.ok) throw new ReplayError('INVALID_ARGUMENT', id.error.message, { cause: id.error });
  if (!Number.isFinite(createdAt) || createdAt < 0) {
    throw new ReplayError('INVALID_ARGUMENT', `createdAt must be epoch seconds, got ${createdAt}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new ReplayError(
      'INVALID_ARGUMENT',
      `sequence must be a whole number from 1, got ${sequence}`,
    );
  }
  const iso = new Date(Math.floor(createdAt) * 1000).toISOString(); // 2024-08-22T07:45:45.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `race_${raceId}_${stamp}${sequence > 1 ? `-${sequence}` : ''}.replay.jsonl.gz`;
}

/**
 * Reads the race id and UTC start (epoch s) back from a recording's file name, if it is one;
 * `sequence` when the name has one (a second recording within the same second).
 */
export function parseReplayFileName(
  name: string,
): { raceId: string; createdAt: number; sequence?: number } | undefined {
  const match =
    /^race_([A-Za-z0-9][A-Za-z0-9._-]{0,63})_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-([1-9]\d{0,8}))?\.replay\.jsonl\.gz$/.exec(
      name,
    );
  if (!match) return undefined;
  const [, raceId, y, mo, d, h, mi, s, sequence] = match;
  const createdAt =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (!Number.isFinite(createdAt)) return undefined;
  return sequence === undefined
    ? { raceId: raceId!, createdAt }
    : { raceId: raceId!, createdAt, sequence: Number(sequence) };
}
