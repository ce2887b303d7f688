import { type HostInfo, HTTP_API_PATHS, parseHostInfo } from '@gw2race/protocol';

export type { HostInfo };

/** A `fetch` (the browser's, or a fake in tests). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * `GET /api/info` of gw2race-host, parsed with protocol's `hostInfoSchema`; `undefined` when
 * there is no host (a static copy of the viewer: replay from files only) or its answer is not one.
 */
export async function fetchHostInfo(
  fetcher: Fetch = (input, init) => fetch(input, init),
): Promise<HostInfo | undefined> {
  try {
    const response = await fetcher(HTTP_API_PATHS.info, { cache: 'no-store' });
    if (!response.ok) return undefined;
    const parsed = parseHostInfo(await response.json());
    return parsed.ok ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the viewer reaches the race's hub: the host's own hub at `mqttPath` on the page's host and
 * port (the embedded hub), or the external hub's `mqttUrl`; `undefined` when browsers cannot.
 */
export function hubUrlOf(
  info: Pick<HostInfo, 'mqttPath' | 'mqttUrl'>,
  location: Pick<Location, 'protocol' | 'host'>,
): string | undefined {
  if (info.mqttPath) {
    const path = info.mqttPath.startsWith('/') ? info.mqttPath : `/${info.mqttPath}`;
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
  }
  return info.mqttUrl;
}

/** Which page a path shows. */
export type Route =
  | 'live'
  | 'replay'
  | 'overlay'
  | 'standings'
  | 'overlay-standings'
  | 'overlay-grid';

/**
 * The page for a path and the host's mode: `/overlay`, `/overlay/standings`, `/overlay/grid`,
 * `/standings`, `/replay`, else live when a race runs.
 */
export function routeOf(pathname: string, info: HostInfo | undefined): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/overlay') return 'overlay';
  if (path === '/overlay/standings') return 'overlay-standings';
  if (path === '/overlay/grid') return 'overlay-grid';
  if (path === '/standings') return 'standings';
  if (path === '/replay') return 'replay';
  return info?.mode === 'live' ? 'live' : 'replay';
}

/**
 * Takes the organizer token out of the URL (`?token=…`) so it does not stay in the address bar,
 * history or a screenshot; returns the token and the cleaned URL.
 */
export function takeToken(href: string): { token: string | undefined; cleaned: string } {
  const url = new URL(href);
  const token = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  return { token: token && token.length > 0 ? token : undefined, cleaned: url.toString() };
}
