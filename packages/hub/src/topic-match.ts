/**
 * True when every topic `filter` can match is also matched by `pattern` (both MQTT filters:
 * `+` one level, `#` the rest). A topic without wildcards is a filter matching only itself, so
 * this also answers "does `pattern` match this topic". `$`-topics are never matched by a
 * pattern that starts with a wildcard (MQTT 3.1.1, 4.7.2).
 *
 * @example
 * filterCovers('race/r1/#', 'race/r1/pos/+'); // true
 * filterCovers('race/r1/pos/+', 'race/r1/#'); // false: the filter reaches further
 */
export function filterCovers(pattern: string, filter: string): boolean {
  const want = pattern.split('/');
  const have = filter.split('/');
  if (filter.startsWith('$') && (want[0] === '+' || want[0] === '#')) return false;
  for (let i = 0; i < want.length; i++) {
    const level = want[i] as string;
    if (level === '#') return true;
    const other = have[i];
    if (other === undefined) return false;
    if (other === '#') return false;
    if (level === '+') continue;
    if (other === '+' || other !== level) return false;
  }
  return have.length === want.length;
}
