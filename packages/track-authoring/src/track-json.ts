import type { Track } from '@gw2race/protocol';

/** A track id from a name: letters, digits, `.`, `_`, `-`, as the schema wants. */
export function trackIdFrom(name: string): string {
  const id = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return id === '' ? 'track' : id;
}

/**
 * A track name from a file name or path (`/` or `\` separated):
 * `tracks/my-track.track.json` → `my-track`.
 */
export function nameFromFile(file: string): string {
  const base = file.replace(/[/\\]+$/, '').replace(/^.*[/\\]/, '');
  return base.replace(/\.track\.json$|\.json$|\.csv$/i, '').trim();
}

/**
 * The track as its JSON file holds it: two-space JSON, the reference line's rows one per line
 * (a long ride stays readable and diffs well), a final newline.
 */
export function encodeTrackJson(track: Track): string {
  const { referenceLine, ...rest } = track;
  const text = JSON.stringify(rest, null, 2);
  if (!referenceLine) return `${text}\n`;
  const rows = referenceLine.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  return `${text.slice(0, -2)},\n  "referenceLine": [\n${rows}\n  ]\n}\n`;
}
