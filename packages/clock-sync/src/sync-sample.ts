/**
 * One request/response exchange with a reference clock, in milliseconds. `t1` and `t4` are on
 * the local time scale of the estimator that takes the sample ({@link OffsetEstimator.localNow});
 * `t2` and `t3` are on the reference clock (an SNTP server, the organizer's host).
 */
export interface SyncSample {
  /** Local time the request left. */
  readonly t1: number;
  /** Reference time the request arrived. */
  readonly t2: number;
  /** Reference time the answer left. */
  readonly t3: number;
  /** Local time the answer arrived. */
  readonly t4: number;
  /**
   * How far the reference's own timestamps may be from the time it stands for, in ms, beyond
   * what the round trip explains: for SNTP the server's root distance plus twice its precision;
   * for the organizer's clock, which is the race's reference by definition, twice the resolution
   * of its stamps (the pong's `precisionMs`). Default 0.
   */
  readonly referenceErrorMs?: number;
  /** Where the sample came from (a server name, `organizer`), for diagnostics. */
  readonly source?: string;
}

/** What one exchange says by itself (see {@link computeOffsetDelay}). */
export interface OffsetDelay {
  /** Reference minus local clock, ms: `((t2 − t1) + (t3 − t4)) / 2`. */
  readonly offsetMs: number;
  /** Round trip spent on the network, ms: `(t4 − t1) − (t3 − t2)`. */
  readonly delayMs: number;
}

/**
 * The NTP on-wire formulas (RFC 5905 §8). With one-way delays `a` (out) and `b` (back), the
 * measured offset is the true offset plus `(a − b) / 2`, and the delay is `a + b`; since neither
 * delay is negative, the true offset lies within `delayMs / 2` of the measured one, whatever the
 * network does. That is the whole basis of the error bound.
 *
 * @example
 * // The host's clock is 1 000 ms ahead; 10 ms out, 30 ms back, 5 ms in the host.
 * computeOffsetDelay({ t1: 0, t2: 1_010, t3: 1_015, t4: 45 });
 * // { offsetMs: 990, delayMs: 40 }: 10 ms off (half the 20 ms asymmetry), within 40 / 2.
 */
export function computeOffsetDelay(sample: SyncSample): OffsetDelay {
  const { t1, t2, t3, t4 } = sample;
  return { offsetMs: (t2 - t1 + (t3 - t4)) / 2, delayMs: t4 - t1 - (t3 - t2) };
}
