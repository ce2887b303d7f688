import type { SyncSample } from '../sync-sample';

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
