import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** The GW2 API the map reads its geometry from (race-map's `GW2_API`). */
const GW2_API_ORIGIN = 'https://api.guildwars2.com';
/** Where the map's tiles come from (race-map's `GW2_TILES`). */
const GW2_TILES_ORIGIN = 'https://tiles.guildwars2.com';

/**
 * The viewer's Content-Security-Policy: only what the web app really loads. Its scripts, styles
 * and fonts are its own files (Vite emits no inline script or style); style attributes are
 * allowed (the viewer's swatches and overlay scale use them), `<style>` elements are not. Images: the GW2 map tiles (loaded as `<img>`,
 * CORS) and `data:` for the inline SVG favicon in index.html. Connections: its own `/api/*` and
 * `/mqtt` WebSocket ('self' plus `ws:`/`wss:` of the address it was opened at, for browsers whose
 * 'self' does not cover WebSockets), the GW2 API for map geometry, and an external hub's URL
 * when the host names one (`--viewer-broker`). It is never framed (OBS loads the URL itself).
 *
 * @param host - the request's `Host` when it names this server (see {@link isOwnHost}), else undefined
 * @param mqttUrl - the external hub's WebSocket URL the viewer is told to use, if any
 */
export function contentSecurityPolicy(host: string | undefined, mqttUrl?: string): string {
  const connect = ["'self'", GW2_API_ORIGIN];
  if (host !== undefined) connect.push(`ws://${host}`, `wss://${host}`);
  if (mqttUrl !== undefined) {
    try {
      connect.push(new URL(mqttUrl).origin);
    } catch {
      // the host checked it at start; an unparsable URL adds nothing
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // The viewer sets style attributes (racer colour swatches, the overlay's --scale, timeline
    // marks) through its h() helper: attributes only; <style> elements stay refused (style-src).
    "style-src-attr 'unsafe-inline'",
    "font-src 'self'",
    // mqtt.js keeps its keepalive timers in a worker (worker-timers) made from a blob: URL, so a
    // background tab (OBS, a second monitor) still pings the hub on time.
    'worker-src blob:',
    `img-src 'self' data: ${GW2_TILES_ORIGIN}`,
    `connect-src ${connect.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every name of this machine a browser may use for it: loopback, the listen address, each interface's. */
export function ownHostNames(listenAddress: string | undefined): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', hostname().toLowerCase()]);
  if (listenAddress) names.add(listenAddress.toLowerCase());
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) names.add(entry.address.toLowerCase());
  }
  return names;
}

/**
 * Whether a request's `Host` header names this server (DNS-rebinding defence): one of
 * {@link ownHostNames} with the server's port. A page on `evil.example` that rebinds its name to
 * 127.0.0.1 sends `Host: evil.example:<port>` and is refused.
 *
 * @example
 * isOwnHost('127.0.0.1:8080', { address: '127.0.0.1', port: 8080, family: 'IPv4' }); // true
 * isOwnHost('evil.example:8080', { address: '127.0.0.1', port: 8080, family: 'IPv4' }); // false
 */
export function isOwnHost(host: string | undefined, address: AddressInfo | undefined): boolean {
  if (!host || !address) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false;
  const port = url.port === '' ? 80 : Number(url.port);
  if (port !== address.port) return false;
  // URL keeps IPv6 literals bracketed ([::1]); interface addresses come bare, some with a %zone.
  const name = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const names = ownHostNames(address.address);
  return names.has(name) || names.has(name.replace(/%.*$/, ''));
}
