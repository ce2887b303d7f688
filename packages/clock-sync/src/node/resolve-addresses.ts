import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ClockSyncError } from '../errors';

/** One address of a server name, as `node:dns` `lookup` gives it. */
export interface SntpLookupAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** Resolves a host name to its addresses (see {@link SntpQueryOptions.lookup}). */
export type SntpLookup = (host: string) => Promise<readonly SntpLookupAddress[]>;

/** The default {@link SntpLookup}: every address `node:dns` `lookup` gives. */
export const lookupAll: SntpLookup = (host) => lookup(host, { all: true });

/** How {@link resolveAddresses} looks a name up. */
export interface ResolveAddressesOptions {
  /** The server as asked (`host:port`), for the errors. */
  readonly name: string;
  readonly lookup: SntpLookup;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** The error an abort rejects with. */
  readonly aborted: () => ClockSyncError;
}

/**
 * Every address of `host`, within `timeoutMs` and the signal: a resolver that hangs (no DNS
 * server reachable) must not hang the query. The lookup itself cannot be cancelled; its late
 * answer is dropped. An IP address is its own answer.
 */
export async function resolveAddresses(
  host: string,
  options: ResolveAddressesOptions,
): Promise<readonly SntpLookupAddress[]> {
  if (isIP(host)) return [{ address: host, family: isIP(host) }];
  const { name, timeoutMs, signal } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `cannot resolve ${host}: no answer in ${timeoutMs} ms`;
      reject(new ClockSyncError('LOOKUP_FAILED', message, { server: name }));
    }, timeoutMs);
    onAbort = () => reject(options.aborted());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const found = await Promise.race([
      options.lookup(host).then(
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
