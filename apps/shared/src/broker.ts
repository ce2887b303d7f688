import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { AppError, listenAddressError } from './errors';

/** Who may connect and publish what on the embedded hub. */
export interface HubAccess {
  /** Accept or refuse a connection's credentials. Default: everyone. */
  authenticate?(
    clientId: string,
    username: string | undefined,
    password: string | undefined,
  ): boolean;
  /**
   * Called for a connection whose credentials were accepted, with its last will (gw2race clients
   * name their player there). Return a reason to refuse it with CONNACK 2, "identifier rejected"
   * (e.g. that player is already connected), or undefined to let it in.
   */
  admit?(client: {
    id: string;
    username: string | undefined;
    will: { topic: string; payload: Buffer } | undefined;
  }): string | undefined;
  /** Return a reason to refuse a publish, or undefined to let it through. */
  authorizePublish?(
    client: { id: string; username: string | undefined },
    topic: string,
  ): string | undefined;
  /** A client disconnected (forget what was bound to it). */
  clientGone?(clientId: string): void;
}

/** Options of {@link startEmbeddedBroker}. */
export interface EmbeddedBrokerOptions {
  /** Interface to listen on. Default 127.0.0.1; 0.0.0.0 for a LAN race. */
  host?: string;
  /** TCP port for MQTT. Default 1883; 0 picks a free port. */
  port?: number;
  /** An HTTP server to also accept MQTT over WebSocket on (path `/mqtt`), for browsers. */
  httpServer?: HttpServer;
  /** Refuse some connections and publishes (e.g. only the host may publish `state`). */
  access?: HubAccess;
  /** Called when the policy refuses a publish. */
  onRefused?: (clientId: string, topic: string, reason: string) => void;
  /** Called when the policy refuses a connection ({@link HubAccess.admit}). */
  onRefusedClient?: (clientId: string, reason: string) => void;
}

/** A running embedded hub. */
export interface EmbeddedBroker {
  /** `mqtt://host:port` to connect to. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Number of connected clients. */
  clients(): number;
  close(): Promise<void>;
}

/** Path of MQTT over WebSocket on the host's HTTP server. */
export const MQTT_WS_PATH = '/mqtt';

/**
 * Starts an MQTT 3.1.1 broker (aedes) in this process: TCP, and WebSocket when given an HTTP
 * server. A taken port is an {@link AppError} `PORT_IN_USE` that says what to do.
 */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const wantedPort = options.port ?? 1883;
  const usernames = new Map<string, string | undefined>();
  // The connection that owns each client id now. A new connection with the same id takes over
  // (MQTT), and the old one's disconnect comes after the new one was admitted: it must not undo
  // what the new one holds.
  const owners = new Map<string, Client>();
  const aedes = await Aedes.createBroker({
    authorizePublish: (
      client: Client | null,
      packet: PublishPacket,
      callback: (error?: Error | null) => void,
    ) => {
      const authorize = options.access?.authorizePublish;
      if (!client || !authorize) return callback(null);
      const reason = authorize({ id: client.id, username: usernames.get(client.id) }, packet.topic);
      if (reason) {
        options.onRefused?.(client.id, packet.topic, reason);
        return callback(new Error(reason));
      }
      callback(null);
    },
    authenticate: (client, username, password, callback) => {
      const secret = password === undefined ? undefined : Buffer.from(password).toString();
      const accepted = options.access?.authenticate?.(client.id, username, secret) ?? true;
      if (!accepted) {
        const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        return callback(error as unknown as Parameters<typeof callback>[0], false);
      }
      const will = (client as Client & { _will?: { topic: string; payload: Buffer } })._will;
      const refusal = options.access?.admit?.({
        id: client.id,
        username,
        will: will ? { topic: will.topic, payload: Buffer.from(will.payload) } : undefined,
      });
      if (refusal) {
        options.onRefusedClient?.(client.id, refusal);
        const error = Object.assign(new Error(refusal), { returnCode: 2 });
        return callback(error as unknown as Parameters<typeof callback>[0], false);
      }
      // A takeover keeps what the id held (the same client, reconnected); the old connection's
      // disconnect is then ignored.
      owners.set(client.id, client);
      usernames.set(client.id, username);
      callback(null, true);
    },
  });
  function forget(client: Client) {
    if (owners.get(client.id) !== client) return;
    owners.delete(client.id);
    usernames.delete(client.id);
    options.access?.clientGone?.(client.id);
  }
  aedes.on('clientDisconnect', (client: Client) => forget(client));
  const tcp: Server = createServer(aedes.handle as (socket: Duplex) => void);
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError(
            'PORT_IN_USE',
            `port ${wantedPort} on ${host} is already in use (another broker or gw2race-host?)`,
            {
              hint: `choose another with --port, or race on the broker already there with --broker mqtt://${host}:${wantedPort}`,
              cause: error,
            },
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new AppError('PORT_IN_USE', `not allowed to listen on port ${wantedPort}`, {
            hint: 'use a port above 1024 with --port',
            cause: error,
          }),
        );
      } else reject(listenAddressError(error, host) ?? error);
    });
    tcp.listen(wantedPort, host, () => resolve());
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : wantedPort;

  let wss: WebSocketServer | undefined;
  if (options.httpServer) {
    wss = new WebSocketServer({ noServer: true });
    const server = options.httpServer;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== MQTT_WS_PATH) return;
      wss?.handleUpgrade(request, socket, head, (websocket) => {
        const stream = createWebSocketStream(websocket);
        stream.on('error', () => stream.destroy());
        aedes.handle(stream, request);
      });
    });
  }

  return {
    url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    host,
    clients: () => aedes.connectedClients,
    close: async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
