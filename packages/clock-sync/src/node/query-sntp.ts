import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Clock, systemClock } from '../clock';
import { ClockSyncError } from '../errors';
import type { SyncSample } from '../sync-sample';
import {
  decodeSntpPacket,
  encodeSntpPacket,
  formatReferenceId,
  isZeroTimestamp,
  type NtpTimestamp,
  ntpTimestampToMs,
  referenceIdToAscii,
  ZERO_TIMESTAMP,
} from './sntp-packet';

/** An SNTP server: a name or address and a port. */
export interface SntpServerAddress {
  readonly host: string;
  /** UDP port. Default 123. */
  readonly port?: number;
}

/** Options of {@link querySntp}. */
export interface SntpQueryOptions {
  /** UDP port when the server does not name one. Default 123. */
  port?: number;
  /** How long to wait for an answer to each request, ms. Default 1500. */
  timeoutMs?: number;
  /** Requests sent again after a timeout. Default 2 (three requests in all). */
  retries?: number;
  /** The clock that times the round trip. Default {@link systemClock}. */
  clock?: Clock;
  /**
   * The local time scale `t1`/`t4` are stamped on, ms. Pass an estimator's `localNow` to feed
   * it the result's `sample`. Default: the wall clock read once when the query starts, carried on
   * by the monotonic clock, so `offsetMs` is how far the system clock is from the server.
   */
  localNow?: () => number;
  /** Stops the query, name lookup included; it then rejects with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Resolves a server name to its addresses; a retry goes to the next one. Default: every
   * address `node:dns` `lookup` gives (`all: true`). It gets `timeoutMs` to answer.
   */
  lookup?: SntpLookup;
  /**
   * Answers whose root distance (root delay / 2 + root dispersion) exceeds this are refused as
   * unsynchronised, ms. Default 1500 (NTP's MAXDIST).
   */
  maxRootDistanceMs?: number;
}

/** One address of a server name, as `node:dns` `lookup` gives it. */
export interface SntpLookupAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** Resolves a host name to its addresses (see {@link SntpQueryOptions.lookup}). */
export type SntpLookup = (host: string) => Promise<readonly SntpLookupAddress[]>;

const lookupAll: SntpLookup = (host) => lookup(host, { all: true });

/** One SNTP exchange that succeeded. */
export interface SntpResult {
  /** The server as asked (`host:port`). */
  readonly server: string;
  /** The address that answered. */
  readonly address: string;
  readonly port: number;
  /** Server clock minus local time scale, ms. */
  readonly offsetMs: number;
  /** Network round trip, ms. */
  readonly delayMs: number;
  /** The true offset to UTC lies within `offsetMs ± boundMs`: delay / 2 + root distance + precisions. */
  readonly boundMs: number;
  readonly stratum: number;
  readonly leap: 0 | 1 | 2;
  readonly version: number;
  /** The server clock's precision, ms. */
  readonly precisionMs: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  /** The server's reference: a clock name (`GPS`, `PPS`) at stratum 1, else an address. */
  readonly referenceId: string;
  /** The exchange, ready for {@link OffsetEstimator.addSample}. */
  readonly sample: SyncSample;
  /** Requests sent before this answer came. */
  readonly attempts: number;
}

/** Splits `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function parseServer(
  server: string | SntpServerAddress,
  defaultPort = 123,
): {
  host: string;
  port: number;
} {
  if (typeof server !== 'string') return { host: server.host, port: server.port ?? defaultPort };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (bracketed) {
    return { host: bracketed[1] ?? '', port: bracketed[2] ? Number(bracketed[2]) : defaultPort };
  }
  const colons = server.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port = ''] = server.split(':');
    return { host, port: /^\d+$/.test(port) ? Number(port) : Number.NaN };
  }
  return { host: server, port: defaultPort };
}

function timestampKey(ts: NtpTimestamp): string {
  return `${ts.seconds}.${ts.fraction}`;
}

/**
 * Every address of `host`, within `timeoutMs` and the signal: a resolver that hangs (no DNS
 * server reachable) must not hang the query. The lookup itself cannot be cancelled; its late
 * answer is dropped.
 */
async function resolveAll(
  host: string,
  name: string,
  resolve: SntpLookup,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  aborted: () => ClockSyncError,
): Promise<readonly SntpLookupAddress[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ClockSyncError(
            'LOOKUP_FAILED',
            `cannot resolve ${host}: no answer in ${timeoutMs} ms`,
            {
              server: name,
            },
          ),
        ),
      timeoutMs,
    );
    onAbort = () => reject(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const found = await Promise.race([
      resolve(host).then(
        (addresses) => addresses,
        (cause: unknown) => {
          throw new ClockSyncError('LOOKUP_FAILED', `cannot resolve ${host}`, {
            server: name,
            cause,
          });
        },
      ),
      stop,
    ]);
    const usable = found.filter((a) => isIP(a.address) !== 0);
    if (usable.length === 0) {
      throw new ClockSyncError('LOOKUP_FAILED', `${host} has no address`, { server: name });
    }
    return usable.map((a) => ({ address: a.address, family: isIP(a.address) }));
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Asks one SNTP server for the time (RFC 4330 client, RFC 5905 packet). A name is resolved to
 * all its addresses (within `timeoutMs`, abortable) and each retry goes to the next one. Each
 * request carries a random transmit timestamp (the client's send time stays local) and only a
 * reply that echoes one of them, from the address it was sent to, is believed; that also lets a
 * late answer to an earlier attempt count. A kiss-o'-death or an unsynchronised server ends the
 * query at once; garbage (including a precision over a second) is skipped while waiting. Rejects with a {@link ClockSyncError}: `TIMEOUT`,
 * `INVALID_RESPONSE`, `KISS_OF_DEATH`, `UNSYNCHRONIZED`, `LOOKUP_FAILED`, `NETWORK` or `ABORTED`.
 *
 * @example
 * const { offsetMs, delayMs, stratum } = await querySntp('pool.ntp.org');
 */
export async function querySntp(
  server: string | SntpServerAddress,
  options: SntpQueryOptions = {},
): Promise<SntpResult> {
  const { host, port } = parseServer(server, options.port ?? 123);
  const name = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const timeoutMs = options.timeoutMs ?? 1500;
  const retries = Math.floor(options.retries ?? 2);
  const maxRootDistanceMs = options.maxRootDistanceMs ?? 1500;
  if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ClockSyncError('INVALID_ARGUMENT', `not a server address: ${JSON.stringify(server)}`);
  }
  if (!(timeoutMs > 0) || !(retries >= 0)) {
    throw new ClockSyncError('INVALID_ARGUMENT', 'timeoutMs must be > 0 and retries >= 0');
  }
  const { signal } = options;
  const aborted = () =>
    new ClockSyncError('ABORTED', `query to ${name} aborted`, {
      server: name,
      cause: signal?.reason,
    });
  if (signal?.aborted) throw aborted();

  const clock = options.clock ?? systemClock;
  let localNow = options.localNow;
  if (!localNow) {
    const wall = clock.wallMs();
    const mono = clock.monotonicMs();
    localNow = () => wall + (clock.monotonicMs() - mono);
  }
  const stamp = localNow;
  const localErrorMs = 2 * (clock.resolutionMs ?? 0);

  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await resolveAll(host, name, options.lookup ?? lookupAll, timeoutMs, signal, aborted);
  if (signal?.aborted) throw aborted();

  return new Promise<SntpResult>((resolve, reject) => {
    /** One socket per address family, opened when first needed. */
    const sockets = new Map<'udp4' | 'udp6', Socket>();
    /** Transmit timestamp of each request → local time it left, and where it went. */
    const sent = new Map<string, { readonly t1: number; readonly address: string }>();
    const askedAddresses = new Set<string>();
    let attempts = 0;
    let invalidReplies = 0;
    let lastProblem = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;

    const finish = (error: ClockSyncError | undefined, result?: SntpResult) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      for (const socket of sockets.values()) socket.close();
      if (error) reject(error);
      else if (result) resolve(result);
    };
    const onAbort = () => finish(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });

    const invalid = (problem: string) => {
      invalidReplies++;
      lastProblem = problem;
    };

    const onMessage = (message: Buffer, remote: RemoteInfo) => {
      const t4 = stamp();
      if (!askedAddresses.has(remote.address) || remote.port !== port) return; // not our server
      const decoded = decodeSntpPacket(
        new Uint8Array(message.buffer, message.byteOffset, message.byteLength),
      );
      if (!decoded.ok) {
        invalid(decoded.error.message);
        return;
      }
      const packet = decoded.value;
      const request = sent.get(timestampKey(packet.originTime));
      if (request === undefined) {
        invalid('its origin timestamp matches none of our requests');
        return;
      }
      // Our nonce, but from another of the server's addresses than the one it was sent to.
      if (request.address !== remote.address) return;
      const { t1, address } = request;
      if (packet.mode !== 4) {
        invalid(`mode ${packet.mode} instead of 4 (server)`);
        return;
      }
      if (packet.stratum === 0) {
        const kissCode = referenceIdToAscii(packet.referenceId) || '????';
        finish(
          new ClockSyncError(
            'KISS_OF_DEATH',
            `${name} refused the request with kiss code ${kissCode}${
              kissCode === 'RATE' ? ' (asked too often: wait longer between queries)' : ''
            }${kissCode === 'DENY' || kissCode === 'RSTR' ? ' (access denied: stop using this server)' : ''}`,
            { server: name, kissCode },
          ),
        );
        return;
      }
      if (packet.leap === 3 || packet.stratum >= 16) {
        finish(
          new ClockSyncError(
            'UNSYNCHRONIZED',
            `${name} says its clock is not synchronised (leap ${packet.leap}, stratum ${packet.stratum})`,
            { server: name },
          ),
        );
        return;
      }
      const rootDistanceMs = packet.rootDelayMs / 2 + packet.rootDispersionMs;
      if (rootDistanceMs > maxRootDistanceMs) {
        finish(
          new ClockSyncError(
            'UNSYNCHRONIZED',
            `${name} is too far from its reference (root distance ${rootDistanceMs.toFixed(0)} ms > ${maxRootDistanceMs} ms)`,
            { server: name },
          ),
        );
        return;
      }
      if (isZeroTimestamp(packet.receiveTime) || isZeroTimestamp(packet.transmitTime)) {
        invalid('its receive or transmit timestamp is zero');
        return;
      }
      if (packet.precision > 0) {
        invalid(`its precision 2^${packet.precision} s is over a second: not a working clock`);
        return;
      }
      const t2 = ntpTimestampToMs(packet.receiveTime);
      const t3 = ntpTimestampToMs(packet.transmitTime);
      const precisionMs = 2 ** packet.precision * 1000;
      const delayMs = t4 - t1 - (t3 - t2);
      if (t3 < t2 || delayMs < -(2 * precisionMs + localErrorMs)) {
        invalid(`its timestamps are impossible (delay ${delayMs.toFixed(3)} ms)`);
        return;
      }
      const referenceErrorMs = rootDistanceMs + 2 * precisionMs;
      const offsetMs = (t2 - t1 + (t3 - t4)) / 2;
      finish(undefined, {
        server: name,
        address,
        port,
        offsetMs,
        delayMs,
        boundMs: Math.max(delayMs, 0) / 2 + referenceErrorMs + localErrorMs,
        stratum: packet.stratum,
        leap: packet.leap as 0 | 1 | 2,
        version: packet.version,
        precisionMs,
        rootDelayMs: packet.rootDelayMs,
        rootDispersionMs: packet.rootDispersionMs,
        referenceId: formatReferenceId(packet.referenceId, packet.stratum),
        sample: { t1, t2, t3, t4, referenceErrorMs, source: name },
        attempts,
      });
    };

    const socketFor = (family: number): Socket => {
      const type = family === 6 ? 'udp6' : 'udp4';
      let socket = sockets.get(type);
      if (!socket) {
        socket = createSocket(type);
        socket.on('error', (cause) =>
          finish(
            new ClockSyncError('NETWORK', `socket error talking to ${name}`, {
              server: name,
              cause,
            }),
          ),
        );
        socket.on('message', onMessage);
        sockets.set(type, socket);
      }
      return socket;
    };

    const send = () => {
      if (done) return;
      if (attempts > retries) {
        finish(
          invalidReplies > 0
            ? new ClockSyncError(
                'INVALID_RESPONSE',
                `${name} sent ${invalidReplies} repl${invalidReplies === 1 ? 'y' : 'ies'} but no valid answer in ${attempts} attempt(s): ${lastProblem}`,
                { server: name },
              )
            : new ClockSyncError(
                'TIMEOUT',
                `no answer from ${name} in ${attempts} attempt(s) of ${timeoutMs} ms`,
                { server: name },
              ),
        );
        return;
      }
      // Each retry goes to the server's next address: one that is down does not sink the query.
      const target = addresses[attempts % addresses.length] ?? addresses[0];
      if (!target) return;
      attempts++;
      // A random transmit timestamp: the server echoes it, which proves the answer is to us.
      const nonce = randomBytes(8);
      const transmitTime = { seconds: nonce.readUInt32BE(0), fraction: nonce.readUInt32BE(4) };
      const packet = encodeSntpPacket({
        leap: 0,
        version: 4,
        mode: 3,
        stratum: 0,
        poll: 0,
        precision: 0,
        rootDelayMs: 0,
        rootDispersionMs: 0,
        referenceId: 0,
        referenceTime: ZERO_TIMESTAMP,
        originTime: ZERO_TIMESTAMP,
        receiveTime: ZERO_TIMESTAMP,
        transmitTime,
      });
      const { address } = target;
      askedAddresses.add(address);
      sent.set(timestampKey(transmitTime), { t1: stamp(), address });
      socketFor(target.family).send(packet, port, address, (cause) => {
        if (!cause || done) return;
        if (addresses.length > 1 && attempts <= retries) {
          // This address is unreachable (no IPv6 route, ...): try the next one now.
          lastProblem = `cannot send to ${address}: ${cause.message}`;
          if (timer) clearTimeout(timer);
          send();
          return;
        }
        finish(
          new ClockSyncError('NETWORK', `cannot send to ${name} (${address})`, {
            server: name,
            cause,
          }),
        );
      });
      timer = setTimeout(send, timeoutMs);
    };
    send();
  });
}
