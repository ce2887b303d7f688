import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import { type AddressCounter, createAddressCounter } from './address-counter';
import { HubError } from './errors';
import { useFifoQueues } from './fifo';
import { createHooks } from './hooks';
import { createOpenAccess, type HubAccess } from './hub-access';
import { emptyHubStats, type HubLimitEvent, type HubStats } from './hub-stats';
import { DEFAULT_HUB_LIMITS, type HubLimits } from './limits';
import { createPacketSizeGuard } from './packet-size-guard';
import { attachWebSocket } from './websocket';

/** Options of {@link startHub}. */
export interface HubOptions {
  /** Interface to listen on. Default 127.0.0.1; 0.0.0.0 for a LAN race. */
  host?: string;
  /** TCP port for MQTT. Default 1883; 0 picks a free port. */
  port?: number;
  /** An HTTP server to also accept MQTT over WebSocket on (path `/mqtt`), for browsers. */
  httpServer?: HttpServer;
  /** Origins besides the HTTP server's own that may open the WebSocket (`https://viewer.example`). */
  allowedOrigins?: readonly string[];
  /**
   * Serve MQTT over TLS (mqtts) on `port` instead of plain TCP, with this certificate and key
   * (PEM). A client that pins the certificate's SHA-256 needs no certificate authority.
   */
  tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Who may connect, publish and subscribe. Default {@link createOpenAccess} (everything but `$SYS`). */
  access?: HubAccess;
  /** Limits; each field defaults to {@link DEFAULT_HUB_LIMITS}. */
  limits?: Partial<HubLimits>;
  /**
   * Leaves the limits and the stack fix out: plain aedes with the access hooks only. For
   * benchmarks and tests that show what the limits change; never for a race.
   */
  unhardened?: boolean;
  /** Monotonic clock in ms for the rate limits. Default `performance.now`. */
  now?: () => number;
  /** The access rules or a size limit refused a publish (it was dropped). */
  onRefused?: (clientId: string, topic: string, reason: string) => void;
  /** A CONNECT was refused. */
  onRefusedClient?: (clientId: string, reason: string) => void;
  /** A limit was applied (once per connection and kind). */
  onLimit?: (event: HubLimitEvent) => void;
}

/** A running hub. */
export interface Hub {
  /** `mqtt://host:port` to connect to. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Number of connected clients. */
  clients(): number;
  /** What the hub refused or dropped so far. */
  stats(): HubStats;
  close(): Promise<void>;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): HubError {
  if (error.code === 'EADDRINUSE')
    return new HubError('PORT_IN_USE', `port ${port} on ${host} is already in use`, {
      cause: error,
    });
  if (error.code === 'EACCES')
    return new HubError('PORT_IN_USE', `not allowed to listen on port ${port}`, { cause: error });
  if (
    ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EINVAL'].includes(error.code ?? '')
  )
    return new HubError('BAD_ADDRESS', `cannot listen on ${host}: not an address of this machine`, {
      cause: error,
    });
  return new HubError('PORT_IN_USE', `cannot listen on ${host}:${port}: ${error.message}`, {
    cause: error,
  });
}

/**
 * Checks that the hub could listen on `host:port` now, by listening and closing at once, so a
 * program can report a taken port or a foreign address before it asks its user anything. The
 * errors are {@link startHub}'s (`PORT_IN_USE`, `BAD_ADDRESS`). Port 0 always passes.
 */
export async function probeListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listenTcp(probe, host, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

async function listenTcp(tcp: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    tcp.listen(port, host, () => resolve());
  });
  const address = tcp.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** Closes a connection as soon as it announces a packet over the limit, before it is buffered. */
function guardPackets(
  client: Client,
  limits: HubLimits,
  stats: HubStats,
  onLimit: HubOptions['onLimit'],
) {
  const parser = (client as unknown as { _parser?: { parse(buffer: Buffer): number } })._parser;
  if (!parser) throw new HubError('INVALID_OPTIONS', 'this aedes has no packet parser to guard');
  const guard = createPacketSizeGuard(limits.maxPacketBytes);
  const parse = parser.parse.bind(parser);
  parser.parse = (buffer: Buffer) => {
    const size = guard.feed(buffer);
    if (size === undefined) return parse(buffer);
    stats.oversizedPackets++;
    onLimit?.({
      kind: 'oversized',
      ...(client.id ? { clientId: client.id } : {}),
      detail: `a packet of ${size} bytes (limit ${limits.maxPacketBytes}): disconnected`,
    });
    (client.conn as Duplex).destroy();
    return 0;
  };
}

/**
 * The address a client on this machine connects to for a listen address `host`, ready for a URL:
 * a wildcard (`0.0.0.0`, a dual-stack `::` or `[::]`) is reached at 127.0.0.1, an IPv6 address
 * goes in brackets, anything else is unchanged.
 *
 * @example
 * clientAddressOf('0.0.0.0'); // '127.0.0.1'
 * clientAddressOf('fe80::1'); // '[fe80::1]'
 */
export function clientAddressOf(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Starts the embedded MQTT 3.1.1 hub (aedes) in this process: TCP, and WebSocket on `/mqtt` when
 * given an HTTP server. Access is checked at the door (CONNECT, each publish and subscription),
 * packets and rates are limited, and `$SYS` is the host's. A taken port is a {@link HubError}
 * `PORT_IN_USE`.
 *
 * @example
 * const hub = await startHub({ port: 0, access: createRaceAccess({ raceId: 'r1', hostToken }) });
 * // mqtt.connect(hub.url) …
 * await hub.close();
 */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const host = options.host ?? '127.0.0.1';
  const limits: HubLimits = { ...DEFAULT_HUB_LIMITS, ...options.limits };
  const stats = emptyHubStats();
  const hardened = !options.unhardened;
  const brokerId = `gw2race-hub-${Math.random().toString(36).slice(2, 10)}`;
  const hooks = createHooks({
    access: options.access ?? createOpenAccess(),
    limits: hardened
      ? limits
      : {
          ...limits,
          rates: {},
          otherRate: { perSecond: Infinity, burst: Infinity },
          maxQueuedBytes: Infinity,
          maxBufferedBytes: Infinity,
        },
    stats,
    now: options.now ?? (() => performance.now()),
    dropTopic: `$SYS/${brokerId}/gw2race/dropped`,
    ...(options.onRefused ? { onRefused: options.onRefused } : {}),
    ...(options.onRefusedClient ? { onRefusedClient: options.onRefusedClient } : {}),
    ...(options.onLimit ? { onLimit: options.onLimit } : {}),
  });
  const aedesOptions: AedesOptions = {
    id: brokerId,
    connectTimeout: limits.connectTimeoutMs,
    authenticate: hooks.authenticate as NonNullable<AedesOptions['authenticate']>,
    authorizePublish: hooks.authorizePublish,
    authorizeSubscribe: hooks.authorizeSubscribe,
    authorizeForward: hooks.authorizeForward as NonNullable<AedesOptions['authorizeForward']>,
  };
  const aedes = await Aedes.createBroker(aedesOptions);
  aedes.on('clientDisconnect', (client: Client) => hooks.disconnected(client));
  if (hardened) {
    // O(1) queues: mqemitter's Array#shift copied its whole queue per message under load.
    useFifoQueues((aedes as unknown as { mq?: unknown }).mq);
    // mqemitter finishes a message nobody listens to (or only synchronous listeners: aedes'
    // own $SYS handlers) synchronously, then starts the next queued one from inside that call:
    // with its queue full (100 messages in flight by default), a run of such messages recurses
    // until `RangeError: Maximum call stack size exceeded`. A listener on everything that
    // answers on the next turn makes every message finish asynchronously.
    aedes.subscribe(
      '#',
      (_packet, done) => setImmediate(done),
      () => {},
    );
  }
  const addresses: AddressCounter = hardened
    ? createAddressCounter(limits.maxConnectionsPerAddress, limits.exemptAddresses)
    : createAddressCounter(Number.POSITIVE_INFINITY, []);
  const handle = (
    stream: Duplex,
    address: string | undefined,
    request?: import('node:http').IncomingMessage,
  ) => {
    const client = aedes.handle(stream, request);
    if (hardened) guardPackets(client, limits, stats, options.onLimit);
    stream.once('close', () => addresses.close(address));
  };
  const serverOptions = hardened ? { highWaterMark: limits.maxBufferedBytes } : {};
  const accept = (socket: Socket) => {
    if (!addresses.open(socket.remoteAddress)) {
      stats.addressCapped++;
      options.onLimit?.({
        kind: 'address-cap',
        ...(socket.remoteAddress ? { address: socket.remoteAddress } : {}),
        detail: `more than ${limits.maxConnectionsPerAddress} connections from one address: refused`,
      });
      socket.destroy();
      return;
    }
    handle(socket, socket.remoteAddress);
  };
  const tcp: Server = options.tls
    ? createTlsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, accept)
    : createServer(serverOptions, accept);
  const wantedPort = options.port ?? 1883;
  const port = await listenTcp(tcp, host, wantedPort);
  const ws = options.httpServer
    ? attachWebSocket(options.httpServer, {
        hardened,
        limits,
        stats,
        addresses,
        allowedOrigins: options.allowedOrigins ?? [],
        handle,
        ...(options.onLimit ? { onLimit: options.onLimit } : {}),
      })
    : undefined;

  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://${clientAddressOf(host)}:${port}`,
    port,
    host,
    clients: () => aedes.connectedClients,
    stats: () => ({ ...stats }),
    close: async () => {
      ws?.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
