/** The part of the browser's `WebSocket` that {@link openGuardedWebSocket} needs. */
export interface SocketLike {
  readonly readyState: number;
  send(data: never): void;
}

/** A `WebSocket`-like constructor (the browser's own, or a test's). */
export type SocketConstructor<S extends SocketLike> = new (url: string, protocols: string[]) => S;

/** `WebSocket.OPEN`: the only state in which `send` delivers anything. */
const OPEN = 1;

/**
 * Opens a WebSocket whose `send` does nothing once the socket is closing or closed.
 *
 * mqtt.js writes to its socket without looking at its state: a PUBACK for a message that arrived
 * just as the hub shut down (the host closes its hub when the race is over) goes to a socket that
 * is already closing, and the browser logs "WebSocket is already in CLOSING or CLOSED state" as
 * an error. The bytes could never be delivered either way; this drops them quietly. Before the
 * socket opens, mqtt.js buffers by itself (it never calls `send` while CONNECTING).
 */
export function openGuardedWebSocket<S extends SocketLike>(
  Socket: SocketConstructor<S>,
  url: string,
  protocols: string[],
): S {
  const socket = new Socket(url, protocols);
  const send = socket.send.bind(socket) as (data: never) => void;
  Object.defineProperty(socket, 'send', {
    configurable: true,
    value: (data: never) => {
      if (socket.readyState === OPEN) send(data);
    },
  });
  return socket;
}
