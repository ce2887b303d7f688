import { setTimeout as sleep } from 'node:timers/promises';
import { ClockSyncError, isClockSyncError } from '../errors';
import type { OffsetEstimate, OffsetEstimator } from '../estimator-types';
import { selectTruechimers } from '../select-truechimers';
import type { SyncSample } from '../sync-sample';
import { parseServer, type SntpServerAddress } from './parse-server';
import { querySntp, type SntpQueryOptions } from './query-sntp';
import type { SntpResult } from './sntp-result';

/**
 * Servers {@link pollSntp} asks by default: four different members of the NTP Pool, so a
 * falseticker is outvoted. Projects that ship to many users should ask the pool for a vendor zone.
 */
export const DEFAULT_SNTP_SERVERS: readonly string[] = [
  '0.pool.ntp.org',
  '1.pool.ntp.org',
  '2.pool.ntp.org',
  '3.pool.ntp.org',
];

/** Options of {@link pollSntp}. */
export interface SntpPollOptions extends Omit<SntpQueryOptions, 'localNow'> {
  /** Servers to ask, in parallel. Default {@link DEFAULT_SNTP_SERVERS}. */
  servers?: readonly (string | SntpServerAddress)[];
  /** Exchanges per server (the clock filter keeps the best). Default 4. */
  samplesPerServer?: number;
  /** Pause between two exchanges with the same server, ms (NTP's burst spacing). Default 2000. */
  intervalMs?: number;
  /** When given, its local time stamps the exchanges and the truechimers' samples are fed to it. */
  estimator?: OffsetEstimator;
}

/** What one server said during a poll. */
export interface SntpServerReport {
  /** The server as given. */
  readonly server: string;
  /** Its successful exchanges. */
  readonly results: readonly SntpResult[];
  /** Its failed exchanges. */
  readonly errors: readonly ClockSyncError[];
  /** Its exchange with the least bound, if any. */
  readonly best: SntpResult | undefined;
  /** True when its best interval agrees with the majority (Marzullo). */
  readonly truechimer: boolean;
}

/** The outcome of {@link pollSntp}. */
export interface SntpPoll {
  readonly servers: readonly SntpServerReport[];
  /** Every exchange of the truechimers, ready for an estimator. */
  readonly samples: readonly SyncSample[];
  /** Middle of the interval the majority agrees on, ms (server − local time scale). */
  readonly offsetMs: number;
  /** Half its width, ms. */
  readonly boundMs: number;
  /** The estimator's estimate after the samples were fed, when one was given. */
  readonly estimate: OffsetEstimate | undefined;
}

/** A kiss-o'-death or an unsynchronised answer: asking the same server again soon is pointless or rude. */
function stopsServer(error: ClockSyncError): boolean {
  return error.code === 'KISS_OF_DEATH' || error.code === 'UNSYNCHRONIZED';
}

async function pollOne(
  server: string | SntpServerAddress,
  options: SntpPollOptions,
  samples: number,
  intervalMs: number,
): Promise<SntpServerReport> {
  const { host, port } = parseServer(server, options.port ?? 123);
  const name = typeof server === 'string' ? server : `${host}:${port}`;
  const results: SntpResult[] = [];
  const errors: ClockSyncError[] = [];
  const { servers: _servers, estimator, samplesPerServer: _n, intervalMs: _i, ...query } = options;
  for (let i = 0; i < samples; i++) {
    if (i > 0 && intervalMs > 0) {
      try {
        await sleep(intervalMs, undefined, options.signal ? { signal: options.signal } : {});
      } catch (cause) {
        throw new ClockSyncError('ABORTED', 'SNTP poll aborted', { cause });
      }
    }
    try {
      results.push(
        await querySntp(server, {
          ...query,
          ...(estimator ? { localNow: estimator.localNow, clock: estimator.clock } : {}),
        }),
      );
    } catch (error) {
      if (!isClockSyncError(error)) throw error;
      if (error.code === 'ABORTED' || error.code === 'INVALID_ARGUMENT') throw error;
      errors.push(error);
      if (stopsServer(error)) break;
    }
  }
  let best: SntpResult | undefined;
  for (const r of results) if (!best || r.boundMs < best.boundMs) best = r;
  return { server: name, results, errors, best, truechimer: false };
}

/**
 * Asks several SNTP servers a few times each, in parallel, keeps each server's best exchange,
 * and lets the majority decide who is right (Marzullo's intersection, as NTP does): a server
 * that is off by more than its own error is left out. Feeds the truechimers' samples to the
 * estimator when one is given. Rejects with the servers' error when none answered, and with
 * `NO_MAJORITY` when the answers disagree with no majority.
 *
 * @example
 * const host = createOffsetEstimator();
 * const poll = await pollSntp({ estimator: host });   // ~6 s: 4 servers × 4 exchanges, 2 s apart
 * host.now();                                         // UTC epoch ms, within poll.estimate.boundMs
 */
export async function pollSntp(options: SntpPollOptions = {}): Promise<SntpPoll> {
  const servers = options.servers ?? DEFAULT_SNTP_SERVERS;
  const samplesPerServer = Math.floor(options.samplesPerServer ?? 4);
  const intervalMs = options.intervalMs ?? 2000;
  if (servers.length === 0 || !(samplesPerServer >= 1) || !(intervalMs >= 0)) {
    throw new ClockSyncError(
      'INVALID_ARGUMENT',
      'pollSntp needs at least one server, samplesPerServer >= 1 and intervalMs >= 0',
    );
  }
  const reports = await Promise.all(
    servers.map((server) => pollOne(server, options, samplesPerServer, intervalMs)),
  );
  const answering = reports.filter((r) => r.best !== undefined);
  if (answering.length === 0) {
    const errors = reports.flatMap((r) => r.errors);
    const first = errors[0];
    throw new ClockSyncError(
      first?.code ?? 'TIMEOUT',
      `no SNTP server answered: ${reports
        .map((r) => `${r.server}: ${r.errors[r.errors.length - 1]?.message ?? 'no answer'}`)
        .join('; ')}`,
      { cause: new AggregateError(errors, 'SNTP errors') },
    );
  }
  const selection = selectTruechimers(
    answering.map((r) => ({ offsetMs: r.best?.offsetMs ?? 0, boundMs: r.best?.boundMs ?? 0 })),
  );
  if (!selection) {
    throw new ClockSyncError(
      'NO_MAJORITY',
      `SNTP servers disagree and no majority agrees: ${answering
        .map((r) => `${r.server} ${r.best?.offsetMs.toFixed(1)} ± ${r.best?.boundMs.toFixed(1)} ms`)
        .join(', ')}`,
    );
  }
  const trusted = new Set(selection.truechimers.map((i) => answering[i]));
  const finalReports = reports.map((r) => ({ ...r, truechimer: trusted.has(r) }));
  const samples = finalReports
    .filter((r) => r.truechimer)
    .flatMap((r) => r.results.map((result) => result.sample))
    .sort((a, b) => a.t1 - b.t1);
  const { estimator } = options;
  if (estimator) for (const sample of samples) estimator.addSample(sample);
  return {
    servers: finalReports,
    samples,
    offsetMs: (selection.lowMs + selection.highMs) / 2,
    boundMs: (selection.highMs - selection.lowMs) / 2,
    estimate: estimator?.estimate(),
  };
}
