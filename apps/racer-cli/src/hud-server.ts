import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { AppError, listenAddressError } from '@gw2race/app-shared';
import { HUD_CSS, HUD_HTML, HUD_JS } from './hud-page';
import type { HudView } from './hud-view';

/** The HUD's default port: the same URL in OBS from one race to the next. */
export const DEFAULT_HUD_PORT = 4790;

/** What the page may load: its own script and style, its own event stream; nothing else. */
export const HUD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Pages open at once (OBS, a window, a phone): a page left open in a loop cannot pile up. */
const MAX_STREAMS = 32;
/** A comment on the stream this often keeps proxies and idle timeouts from closing it. */
const KEEPALIVE_MS = 15_000;

/** A running HUD server. */
export interface HudServer {
  /** The page's address, e.g. `http://127.0.0.1:4790/`. */
  readonly url: string;
  /** Shows this view on every open page (sent only when it changed). */
  publish(view: HudView): void;
  /** Open event streams. */
  readonly streams: number;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const STATIC: Record<string, [string, string]> = {
  '/': ['text/html; charset=utf-8', HUD_HTML],
  '/hud.css': ['text/css; charset=utf-8', HUD_CSS],
  '/hud.js': ['text/javascript; charset=utf-8', HUD_JS],
};

/**
 * Serves the racer's HUD page on `host:port` (port 0: any free one): the page, its script and
 * style, `/events` (Server-Sent Events: the latest {@link HudView} at once, then each change) and
 * `/view.json` (the latest view). Requests whose `Host` is not this server's address are refused
 * (a web page elsewhere cannot read it through DNS rebinding). Rejects with a one-line
 * `AppError` when the port is taken or the address is not this machine's.
 */
export async function startHudServer(options: { host: string; port: number }): Promise<HudServer> {
  const streams = new Set<ServerResponse>();
  let latest = '{}';
  let address: AddressInfo | undefined;
  const server = createServer((request, response) => {
    if (!isOwnHost(request.headers.host, address, options.host))
      answer(response, 421, TEXT, 'not this server\n');
    else if (request.method !== 'GET' && request.method !== 'HEAD')
      answer(response, 405, TEXT, 'GET only\n');
    else {
      const path = new URL(request.url ?? '/', 'http://hud').pathname;
      const file = STATIC[path];
      if (path === '/events') openStream(request, response, streams, latest);
      else if (path === '/view.json') answer(response, 200, JSON_TYPE, latest);
      else if (file) answer(response, 200, file[0], file[1]);
      else answer(response, 404, TEXT, 'not found\n');
    }
  });
  address = await listen(server, options);
  const keepalive = setInterval(() => {
    for (const stream of streams) stream.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${address.port}/`,
    get streams() {
      return streams.size;
    },
    publish(view) {
      const json = JSON.stringify(view);
      if (json === latest) return;
      latest = json;
      for (const stream of streams) stream.write(`data: ${json}\n\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepalive);
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': HUD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

function openStream(
  request: IncomingMessage,
  response: ServerResponse,
  streams: Set<ServerResponse>,
  latest: string,
): void {
  if (streams.size >= MAX_STREAMS) {
    answer(response, 503, TEXT, 'too many HUD pages open\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Content-Security-Policy': HUD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  // A page that lost the stream reconnects after a second (EventSource's own retry).
  response.write(`retry: 1000\ndata: ${latest}\n\n`);
  streams.add(response);
  request.on('close', () => streams.delete(response));
}

function listen(
  server: ReturnType<typeof createServer>,
  options: { host: string; port: number },
): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(hudListenError(error, options.host, options.port)),
    );
    server.listen(options.port, options.host, () => resolve(server.address() as AddressInfo));
  });
}

/** The one-line error for a HUD that cannot listen. */
export function hudListenError(error: NodeJS.ErrnoException, host: string, port: number): AppError {
  if (error.code === 'EADDRINUSE')
    return new AppError('PORT_IN_USE', `--hud: port ${port} on ${host} is taken`, {
      hint: `another program (another gw2race-racer --hud?) listens there: give another port, e.g. --hud ${port + 1}`,
      cause: error,
    });
  if (error.code === 'EACCES')
    return new AppError('USAGE', `--hud: port ${port} needs administrator rights`, {
      hint: `use a port above 1023 (the default is ${DEFAULT_HUD_PORT})`,
      cause: error,
    });
  const address = listenAddressError(error, host);
  if (address) return new AppError('USAGE', `--hud-listen: ${address.message}`, { cause: error });
  return new AppError('FAILED', `--hud: cannot listen on ${host}:${port}: ${error.message}`, {
    cause: error,
  });
}

/**
 * Whether a request's `Host` names this server: loopback names, the listen address, or (listening
 * on every interface) one of this machine's addresses, with the server's port.
 */
export function isOwnHost(
  host: string | undefined,
  address: AddressInfo | undefined,
  listenHost: string,
): boolean {
  if (!host || !address) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/') return false;
  if ((url.port === '' ? 80 : Number(url.port)) !== address.port) return false;
  const name = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const names = new Set(['127.0.0.1', 'localhost', '::1', listenHost.toLowerCase()]);
  if (listenHost === '0.0.0.0' || listenHost === '::') {
    for (const list of Object.values(networkInterfaces()))
      for (const entry of list ?? []) names.add(entry.address.toLowerCase());
  }
  return names.has(name);
}
