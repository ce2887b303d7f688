import { RACE_RELATIVE_LIMIT } from '@gw2race/protocol';
import type { DecodedChunk } from './position-line';
import type { RacerTrack } from './replay';
import type { ReplayHeader } from './replay-header';

/** Grows one racer's columns as chunks arrive. */
export class TrackBuilder {
  private length = 0;
  private columns: Record<'t' | 'at' | 'x' | 'y' | 'z' | 'v' | 'mapId' | 'mount', Float64Array>;

  /** `capacity`: samples to make room for up front (growing the columns costs more than filling them). */
  constructor(
    private readonly playerId: string,
    capacity = 1024,
  ) {
    const size = Math.max(16, Math.ceil(capacity));
    const make = () => new Float64Array(size);
    this.columns = {
      t: make(),
      at: make(),
      x: make(),
      y: make(),
      z: make(),
      v: make(),
      mapId: make(),
      mount: make(),
    };
  }

  /** `t0`: the start instant race-relative `t` (below 1e9 s) count from, when known. */
  add(chunk: DecodedChunk, header: ReplayHeader, t0: number | null): void {
    const needed = this.length + chunk.n;
    if (needed > this.columns.t.length) {
      const size = Math.max(needed, this.columns.t.length * 2);
      for (const key of Object.keys(this.columns) as (keyof TrackBuilder['columns'])[]) {
        const grown = new Float64Array(size);
        grown.set(this.columns[key].subarray(0, this.length));
        this.columns[key] = grown;
      }
    }
    const { timeScale, positionScale, speedScale } = header.quantization;
    const { origin } = header;
    const { values, n } = chunk;
    const c = this.columns;
    const at0 = this.length;
    const start = t0 ?? 0;
    for (let k = 0; k < n; k++) {
      const t = values[chunk.t + k]!;
      const seconds = (origin + t) / timeScale;
      c.t[at0 + k] = seconds < RACE_RELATIVE_LIMIT ? start + seconds : seconds;
      c.at[at0 + k] = (origin + t + values[chunk.lag + k]!) / timeScale;
      c.x[at0 + k] = values[chunk.x + k]! / positionScale;
      c.y[at0 + k] = values[chunk.y + k]! / positionScale;
      c.z[at0 + k] = values[chunk.z + k]! / positionScale;
    }
    if (chunk.v >= 0) for (let k = 0; k < n; k++) c.v[at0 + k] = values[chunk.v + k]! / speedScale;
    else c.v.fill(Number.NaN, at0, needed);
    if (chunk.mapId >= 0) c.mapId.set(values.subarray(chunk.mapId, chunk.mapId + n), at0);
    else c.mapId.fill(Number.NaN, at0, needed);
    if (chunk.mount >= 0) c.mount.set(values.subarray(chunk.mount, chunk.mount + n), at0);
    else c.mount.fill(Number.NaN, at0, needed);
    this.length = needed;
  }

  /** Samples from event lines can interleave with a position line's: keep a track in time order. */
  private sortByTime(): void {
    const n = this.length;
    const t = this.columns.t;
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (t[k]! < t[k - 1]!) sorted = false;
    if (sorted) return;
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => t[a]! - t[b]! || a - b);
    for (const key of Object.keys(this.columns) as (keyof TrackBuilder['columns'])[]) {
      const column = this.columns[key];
      const copy = Float64Array.from(order, (k) => column[k]!);
      column.set(copy);
    }
  }

  finish(): RacerTrack {
    const n = this.length;
    const c = this.columns;
    this.sortByTime();
    // Views, not copies (the builder is dropped once finished), unless the room made up front
    // turned out much too large: then copies, so the tracks do not hold on to it.
    const cut =
      c.t.length > n * 1.25 + 1024
        ? (column: Float64Array) => column.slice(0, n)
        : (column: Float64Array) => column.subarray(0, n);
    return {
      playerId: this.playerId,
      length: n,
      t: cut(c.t),
      at: cut(c.at),
      x: cut(c.x),
      y: cut(c.y),
      z: cut(c.z),
      v: cut(c.v),
      mapId: cut(c.mapId),
      mount: cut(c.mount),
    };
  }
}
