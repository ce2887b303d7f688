/**
 * A player id from a display name: the letters and digits of the name, lower case, other
 * characters folded to `-` (accents dropped), at most 40 characters. The same name gives the same
 * id, so a racer who restarts the client rejoins as themselves.
 */
export function idFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .toLowerCase()
    .slice(0, 40)
    .replace(/[^a-z0-9]+$/, '');
  return slug.length > 0 ? slug : `racer-${Math.random().toString(36).slice(2, 8)}`;
}
