import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** The UDP sockets of one query: one per address family, opened when first needed. */
export interface SntpSockets {
  /**
   * The socket for an address family (4 or 6), once it is bound. A request must be stamped only
   * then: a fresh socket binds on its first send, and that bind (milliseconds, even on loopback)
   * would otherwise count as network delay and skew the first offset.
   */
  bound(family: number): Promise<Socket>;
  /** Closes every socket (bound or still binding). */
  close(): void;
}

/**
 * Opens sockets on demand, each bound to an ephemeral port before it is handed out. Datagrams go
 * to `onMessage`; an error after the bind goes to `onError` (one before it rejects `bound`).
 */
export function createSntpSockets(
  onMessage: (message: Buffer, remote: RemoteInfo) => void,
  onError: (cause: Error) => void,
): SntpSockets {
  const sockets = new Map<'udp4' | 'udp6', { socket: Socket; ready: Promise<Socket> }>();
  const open = (type: 'udp4' | 'udp6') => {
    const socket = createSocket(type);
    socket.on('message', onMessage);
    const ready = new Promise<Socket>((resolve, reject) => {
      let listening = false;
      socket.on('error', (cause) => (listening ? onError(cause) : reject(cause)));
      socket.bind({ port: 0, exclusive: true }, () => {
        listening = true;
        resolve(socket);
      });
    });
    return { socket, ready };
  };
  return {
    bound(family) {
      const type = family === 6 ? 'udp6' : 'udp4';
      let entry = sockets.get(type);
      if (!entry) {
        entry = open(type);
        sockets.set(type, entry);
      }
      return entry.ready;
    },
    close() {
      for (const { socket } of sockets.values()) socket.close();
    },
  };
}
