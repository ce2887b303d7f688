import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  type ControlRequest,
  type HostInfo,
  type HostTime,
  HTTP_API_PATHS,
  parseControlRequest,
  parseRaceFilePath,
  RACE_FILES_PATH,
  type RaceFile,
  type Standings,
} from '@gw2race/protocol';
import { contentSecurityPolicy, isOwnHost } from './web-security';

/** What the web app learns from `GET /api/info` (protocol's `hostInfoSchema`). */
export type WebInfo = HostInfo;

/** An organizer command from the web app (`POST /api/control`, with the host token). */
export type WebCommand = ControlRequest;

/** Where one race's files are on disk (a file not written yet is absent). */
export interface RaceFiles {
  readonly recording?: string | undefined;
  readonly resultsJson?: string | undefined;
  readonly resultsCsv?: string | undefined;
}

/** Outcome of a command: done, or why not (HTTP 409). */
export type WebCommandResult = { ok: true } | { ok: false; error: string };

/** Options of {@link attachWebApp}. */
export interface WebAppOptions {
  /** The built web app (index.html and assets); `undefined` when it is not available. */
  staticDir: string | undefined;
  info: () => WebInfo;
  /** The recording file to serve, if any. */
  recordingPath: () => string | undefined;
  /** The token organizer commands must carry; `undefined` refuses all commands (replay mode). */
  hostToken: string | undefined;
  onCommand: (command: WebCommand) => WebCommandResult;
  /**
   * The organizer's clock, epoch ms (the host's disciplined clock), served at `GET /api/time`
   * for the viewer's race clock; without it that endpoint answers 404 (replay mode).
   */
  organizerNowMs?: () => number;
  /**
   * The tournament's standings, served at `GET /api/standings`; without it (a race on its own)
   * that endpoint answers 404.
   */
  standings?: () => Standings | undefined;
  /**
   * The files of a race of the tournament by race id, served at `GET /api/races/{raceId}/…`
   * (recording, results.json, results.csv). The id in the URL is only a key of this lookup,
   * never part of a path; `undefined` (or no lookup): not a race of this host, 404.
   */
  raceFiles?: (raceId: string) => RaceFiles | undefined;
  /**
   * Where an unexpected failure's details go (the answer says only `internal error`); defaults
   * to one line on stderr.
   */
  log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const MAX_BODY = 16 * 1024;

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** Streams a file (its size as it is now: a recording still being written grows). */
async function sendFile(
  response: ServerResponse,
  file: string,
  type: string,
  download: string | undefined,
): Promise<void> {
  const size = (await stat(file)).size;
  response.writeHead(200, {
    'content-type': type,
    'content-length': String(size),
    'cache-control': 'no-store',
    ...(download ? { 'content-disposition': `attachment; filename="${download}"` } : {}),
  });
  createReadStream(file, { start: 0, end: Math.max(0, size - 1) }).pipe(response);
}

/** A file's name, for a download. */
const baseName = (file: string) => file.split(sep).pop() ?? 'race';

const RACE_FILE_TYPES: Record<RaceFile, [keyof RaceFiles, string]> = {
  recording: ['recording', 'application/gzip'],
  'results.json': ['resultsJson', 'application/json; charset=utf-8'],
  'results.csv': ['resultsCsv', 'text/csv; charset=utf-8'],
};

/** `GET /api/races/{raceId}/{file}`: a race's file, by a checked id looked up, never a path. */
async function serveRaceFile(
  response: ServerResponse,
  path: string,
  lookup: WebAppOptions['raceFiles'],
): Promise<void> {
  const parsed = parseRaceFilePath(path);
  if (!parsed.ok) return send(response, 400, { error: parsed.error.message });
  const { raceId, file } = parsed.value;
  const files = lookup?.(raceId);
  if (!files) return send(response, 404, { error: `no race ${raceId} on this host` });
  const [key, type] = RACE_FILE_TYPES[file];
  const found = files[key];
  if (!found) return send(response, 404, { error: `race ${raceId} has no ${file} yet` });
  return sendFile(response, found, type, file === 'results.json' ? undefined : baseName(found));
}

function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Checks an untrusted command body (protocol's `controlRequestSchema`); returns the command or what is wrong with it. */
export function parseWebCommand(value: unknown): WebCommand | string {
  const parsed = parseControlRequest(value);
  return parsed.ok ? parsed.value : parsed.error.message;
}

/**
 * Serves the race viewer on an HTTP server: the web app's files (any unknown path gets
 * `index.html`, so `/overlay` and `/replay` work), `GET /api/info`, `GET /api/time`,
 * `GET /api/recording`, `GET /api/standings`, `GET /api/races/{raceId}/…`, and
 * `POST /api/control` for the organizer, which needs `Authorization: Bearer <host token>`.
 */
export function attachWebApp(server: Server, options: WebAppOptions): void {
  const root = options.staticDir ? resolve(options.staticDir) : undefined;

  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const address = () => {
    const value = server.address();
    return value !== null && typeof value === 'object' ? (value as AddressInfo) : undefined;
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const ownHost = isOwnHost(request.headers.host, address());
    setSecurityHeaders(
      response,
      ownHost ? request.headers.host : undefined,
      options.info().mqttUrl,
    );
    void handle(request, response, ownHost).catch((error: unknown) => {
      // The details stay on the host: a stack or a file path tells a caller nothing it needs.
      log(`gw2race-host: viewer server: ${request.method} ${request.url}: ${String(error)}`);
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    ownHost: boolean,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(response, 400, { error: `bad percent-encoding in the path ${url.pathname}` });
    }
    if (path === '/mqtt') {
      // Upgrades go to the hub's 'upgrade' listener and never get here: a plain request is told so.
      response.writeHead(426, {
        'content-type': 'text/plain; charset=utf-8',
        upgrade: 'websocket',
      });
      response.end('/mqtt is MQTT over WebSocket: connect with a WebSocket (Upgrade: websocket)\n');
      return;
    }
    if (path.startsWith('/api/') && !ownHost) {
      // DNS rebinding: a page whose name was rebound to this address sends its own name as Host.
      response.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        'the Host header does not name this server: open the viewer at the address gw2race-host printed\n',
      );
      return;
    }
    if (path === HTTP_API_PATHS.info && request.method === 'GET')
      return send(response, 200, options.info());
    if (path === HTTP_API_PATHS.time && request.method === 'GET') {
      if (!options.organizerNowMs) return send(response, 404, { error: 'no race clock here' });
      const time: HostTime = { serverClock: options.organizerNowMs() / 1000 };
      return send(response, 200, time);
    }
    if (path === HTTP_API_PATHS.standings && request.method === 'GET') {
      const standings = options.standings?.();
      return standings
        ? send(response, 200, standings)
        : send(response, 404, { error: 'no tournament here' });
    }
    if (path === HTTP_API_PATHS.recording && request.method === 'GET') {
      const file = options.recordingPath();
      if (!file) return send(response, 404, { error: 'no recording yet' });
      return sendFile(response, file, 'application/gzip', baseName(file));
    }
    if (path.startsWith(RACE_FILES_PATH) && request.method === 'GET')
      return serveRaceFile(response, path, options.raceFiles);
    if (path === HTTP_API_PATHS.control) {
      if (request.method !== 'POST') return send(response, 405, { error: 'use POST' });
      const auth = request.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      if (!tokenMatches(token, options.hostToken)) {
        return send(response, 401, {
          error: 'organizer controls need the host token (printed by gw2race-host)',
        });
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (error) {
        return send(response, 400, { error: `the body is not JSON (${(error as Error).message})` });
      }
      const command = parseWebCommand(body);
      if (typeof command === 'string') return send(response, 400, { error: command });
      const result = options.onCommand(command);
      return result.ok
        ? send(response, 200, { ok: true })
        : send(response, 409, { error: result.error });
    }
    if (path.startsWith('/api/'))
      return send(response, 404, { error: `no such endpoint: ${path}` });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(response, 405, { error: 'use GET' });
    if (!root) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        'gw2race-host: the web viewer is not built (pnpm --filter @gw2race/web build). MQTT over WebSocket is at /mqtt.\n',
      );
      return;
    }
    // Static files, never outside the app's folder; unknown paths get the app (client routing).
    const candidate = normalize(join(root, path));
    let file =
      candidate.startsWith(root + sep) || candidate === root ? candidate : join(root, 'index.html');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      file = join(root, 'index.html');
    }
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      return send(response, 404, { error: 'not found' });
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, {
      'content-type': type,
      'content-length': String(content.length),
      'cache-control': file.includes(`${sep}assets${sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : content);
  }
}

/** The headers every answer of the viewer's server carries (CSP, no referrer, no sniffing). */
function setSecurityHeaders(
  response: ServerResponse,
  host: string | undefined,
  mqttUrl: string | undefined,
): void {
  response.setHeader('content-security-policy', contentSecurityPolicy(host, mqttUrl));
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-content-type-options', 'nosniff');
}

/**
 * Stops the viewer's server now. A browser keeps connections open (keep-alive, speculative
 * preconnects that never send a request, MQTT-over-WebSocket reconnects) and `close()` alone
 * waits for them, a preconnect until the 60 s headers timeout: a server that is done serving
 * ends them all.
 */
export function closeWebServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
