import type { Track } from '@gw2race/protocol';

/** `GET /api/info` of gw2race-host (apps/host-cli/src/web/web-server.ts). */
export interface HostInfo {
  readonly mode: 'live' | 'replay';
  readonly raceId: string | undefined;
  readonly name: string | undefined;
  readonly track: Track | null;
  readonly mqttPath: string | undefined;
  /** An external hub's MQTT-over-WebSocket URL (`ws://`, `wss://`): the host runs on `--broker`. */
  readonly mqttUrl: string | undefined;
  readonly recording: boolean;
  readonly version: string;
}

/** Checks an untrusted `/api/info` answer; `undefined` when it is not one. */
export function parseHostInfo(value: unknown): HostInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.mode !== 'live' && v.mode !== 'replay') return undefined;
  const optString = (x: unknown) => (typeof x === 'string' && x.length > 0 ? x : undefined);
  const track =
    typeof v.track === 'object' && v.track !== null && Array.isArray((v.track as Track).checkpoints)
      ? (v.track as Track)
      : null;
  return {
    mode: v.mode,
    raceId: optString(v.raceId),
    name: optString(v.name),
    track,
    mqttPath: optString(v.mqttPath),
    mqttUrl: wsUrl(v.mqttUrl),
    recording: v.recording === true,
    version: typeof v.version === 'string' ? v.version : '',
  };
}

/** `x` when it is a `ws://` or `wss://` URL, else `undefined`. */
function wsUrl(x: unknown): string | undefined {
  if (typeof x !== 'string') return undefined;
  try {
    const url = new URL(x);
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? x : undefined;
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
export type Route = 'live' | 'replay' | 'overlay';

/** The page for a path and the host's mode: `/overlay`, `/replay`, else live when a race runs. */
export function routeOf(pathname: string, info: HostInfo | undefined): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/overlay') return 'overlay';
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
