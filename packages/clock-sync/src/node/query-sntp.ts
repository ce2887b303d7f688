import { type Clock, systemClock } from '../clock';
import { ClockSyncError } from '../errors';
import { exchangeSntp } from './exchange-sntp';
import { parseServer, type SntpServerAddress } from './parse-server';
import { lookupAll, resolveAddresses, type SntpLookup } from './resolve-addresses';
import type { SntpResult } from './sntp-result';

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
  const stamp = options.localNow ?? wallScale(clock);
  const lookup = options.lookup ?? lookupAll;
  const addresses = await resolveAddresses(host, { name, lookup, timeoutMs, signal, aborted });
  if (signal?.aborted) throw aborted();
  return exchangeSntp({
    name,
    port,
    addresses,
    timeoutMs,
    retries,
    maxRootDistanceMs: options.maxRootDistanceMs ?? 1500,
    stamp,
    localErrorMs: 2 * (clock.resolutionMs ?? 0),
    signal,
    aborted,
  });
}

/** The wall clock read once, carried on by the monotonic clock. */
function wallScale(clock: Clock): () => number {
  const wall = clock.wallMs();
  const mono = clock.monotonicMs();
  return () => wall + (clock.monotonicMs() - mono);
}
