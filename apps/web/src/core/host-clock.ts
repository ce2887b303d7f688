import type { OffsetEstimator, SampleVerdict } from '@gw2race/clock-sync';
import { HTTP_API_PATHS, parseHostTime } from '@gw2race/protocol';
import type { Fetch } from './host-info';

/**
 * One round trip to the host's clock (`GET /api/time`) as a clock-sync sample for `estimator`:
 * `t1` before the request, the host's `serverClock` as `t2` = `t3`, `t4` when the answer is
 * back. `undefined` when the host did not answer with a time.
 */
export async function sampleHostClock(
  estimator: OffsetEstimator,
  fetcher: Fetch = (input, init) => fetch(input, init),
): Promise<SampleVerdict | undefined> {
  const t1 = estimator.localNow();
  let response: Response;
  try {
    response = await fetcher(HTTP_API_PATHS.time, { cache: 'no-store' });
  } catch {
    return undefined;
  }
  // The host stamped the answer before sending it: it has left by the time its headers are here.
  const t4 = estimator.localNow();
  if (!response.ok) return undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  const parsed = parseHostTime(body);
  if (!parsed.ok) return undefined;
  const hostMs = parsed.value.serverClock * 1000;
  return estimator.addSample({ t1, t2: hostMs, t3: hostMs, t4, source: 'organizer' });
}

/** Options of {@link syncWithHost}. */
export interface SyncWithHostOptions {
  readonly fetcher?: Fetch;
  /** Round trips in a row at the start, 250 ms apart, for a good first estimate. Default 4. */
  readonly burst?: number;
  /** ms between round trips after that. Default 10 s. */
  readonly intervalMs?: number;
  /**
   * True once no more samples are wanted: the race is over and the host is about to shut its
   * server down (a request then would only fail in the console).
   */
  readonly done?: () => boolean;
}

/**
 * Keeps `estimator` synchronised with the host's clock for as long as the page shows a live
 * race: a few round trips at once, then one every `intervalMs`. Returns how to stop.
 */
export function syncWithHost(
  estimator: OffsetEstimator,
  options: SyncWithHostOptions = {},
): { stop(): void } {
  const burst = options.burst ?? 4;
  const intervalMs = options.intervalMs ?? 10_000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent = 0;
  const next = async () => {
    if (stopped || options.done?.()) return;
    await sampleHostClock(estimator, options.fetcher);
    sent++;
    if (!stopped) timer = setTimeout(next, sent < burst ? 250 : intervalMs);
  };
  void next();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
