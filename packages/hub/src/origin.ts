/**
 * Whether a WebSocket upgrade may proceed, by its `Origin` header: browsers send one and a page
 * of another site must not open the hub (cross-site WebSocket hijacking); programs send none.
 * Allowed: no Origin, an Origin whose host is the request's own `Host` (the viewer this server
 * serves), or one listed in `allowed` (`https://viewer.example`).
 *
 * @example
 * isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', []); // true
 * isOriginAllowed('https://evil.example', '127.0.0.1:8080', []); // false
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
}
