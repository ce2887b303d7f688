import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { AddressCounter } from './address-counter';
import type { HubLimitEvent, HubStats } from './hub-stats';
import type { HubLimits } from './limits';
import { isOriginAllowed } from './origin';

/** Path of MQTT over WebSocket on the host's HTTP server. */
export const MQTT_WS_PATH = '/mqtt';

/** What {@link attachWebSocket} needs from the hub. */
export interface WebSocketOptions {
  readonly hardened: boolean;
  readonly limits: HubLimits;
  readonly stats: HubStats;
  readonly addresses: AddressCounter;
  readonly allowedOrigins: readonly string[];
  readonly handle: (stream: Duplex, address: string | undefined, request: IncomingMessage) => void;
  readonly onLimit?: (event: HubLimitEvent) => void;
}

function answer(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * Accepts MQTT over WebSocket on `server` at {@link MQTT_WS_PATH}. Hardened, it answers (and
 * closes) an upgrade to any other path with 404 instead of holding it open, refuses a browser
 * page of another origin with 403, applies the per-address cap (503), and caps a WebSocket
 * message at the hub's packet limit (`ws` allows 100 MiB by default).
 */
export function attachWebSocket(server: HttpServer, options: WebSocketOptions): { close(): void } {
  const { limits, stats, hardened } = options;
  const wss = new WebSocketServer({
    noServer: true,
    ...(hardened ? { maxPayload: limits.maxPacketBytes } : {}),
  });
  const refuse = (
    socket: Duplex,
    status: number,
    text: string,
    detail: string,
    address?: string,
  ) => {
    stats.refusedUpgrades++;
    options.onLimit?.({
      kind: status === 503 ? 'address-cap' : 'upgrade',
      ...(address ? { address } : {}),
      detail,
    });
    answer(socket, status, text);
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const address = request.socket.remoteAddress;
    if (path !== MQTT_WS_PATH) {
      if (hardened)
        refuse(socket, 404, 'Not Found', `a WebSocket upgrade to ${path}: refused`, address);
      return;
    }
    if (
      hardened &&
      !isOriginAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)
    )
      return refuse(
        socket,
        403,
        'Forbidden',
        `a WebSocket from the page origin ${request.headers.origin}: refused`,
        address,
      );
    if (!options.addresses.open(address))
      return refuse(
        socket,
        503,
        'Service Unavailable',
        `more than ${limits.maxConnectionsPerAddress} connections from one address: refused`,
        address,
      );
    wss.handleUpgrade(request, socket, head, (websocket) => {
      const stream = createWebSocketStream(
        websocket,
        hardened ? { writableHighWaterMark: limits.maxBufferedBytes } : {},
      );
      stream.on('error', () => stream.destroy());
      options.handle(stream, address, request);
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
