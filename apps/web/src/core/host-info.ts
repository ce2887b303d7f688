import type { Track } from '@gw2race/protocol';

/** `GET /api/info` of gw2race-host (apps/host-cli/src/web/web-server.ts). */
export interface HostInfo {
  readonly mode: 'live' | 'replay';
  readonly raceId: string | undefined;
  readonly name: string | undefined;
  readonly track: Track | null;
  readonly mqttPath: string | undefined;
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
    recording: v.recording === true,
    version: typeof v.version === 'string' ? v.version : '',
  };
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
