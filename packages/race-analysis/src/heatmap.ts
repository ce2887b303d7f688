import type { WorldBounds } from './view-transform';

/**
 * A heatmap of where racers rode: a grid over the world plane counting how long racers spent in
 * each cell. Paths are walked segment by segment in half-cell steps, so a racer at 40 m/s
 * sampled at 10 Hz (4 m between samples) leaves a continuous line, not dots.
 */
export interface HeatGrid {
  /** Metres per cell. */
  readonly cellSize: number;
  /** World x of the grid's west edge and z of its north edge. */
  readonly west: number;
  readonly north: number;
  readonly cols: number;
  readonly rows: number;
  /** Row-major (north row first), seconds spent in each cell. */
  readonly values: Float32Array;
}

/** Makes an empty grid over `bounds` (padded by one cell), at most `maxCells` cells. */
export function createHeatGrid(
  bounds: WorldBounds,
  cellSize: number,
  maxCells = 1_000_000,
): HeatGrid {
  let size = Math.max(cellSize, 0.1);
  const span = (s: number) => [
    Math.ceil((bounds.maxX - bounds.minX) / s) + 3,
    Math.ceil((bounds.maxZ - bounds.minZ) / s) + 3,
  ];
  let [cols, rows] = span(size) as [number, number];
  while (cols * rows > maxCells) {
    size *= 1.5;
    [cols, rows] = span(size) as [number, number];
  }
  return {
    cellSize: size,
    west: bounds.minX - size,
    north: bounds.maxZ + size,
    cols,
    rows,
    values: new Float32Array(cols * rows),
  };
}

/** Index of the cell holding a world point, or -1 outside the grid. */
export function heatCellIndex(grid: HeatGrid, x: number, z: number): number {
  const col = Math.floor((x - grid.west) / grid.cellSize);
  const row = Math.floor((grid.north - z) / grid.cellSize);
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return -1;
  return row * grid.cols + col;
}

/** Adds `weight` to the cell of a point. */
export function addHeatPoint(grid: HeatGrid, x: number, z: number, weight = 1): void {
  const i = heatCellIndex(grid, x, z);
  if (i >= 0) grid.values[i] = (grid.values[i] as number) + weight;
}

/** Options of {@link addHeatPath}. */
export interface AddHeatPathOptions {
  /** Only count points for which this is true (e.g. near a checkpoint). */
  readonly where?: (x: number, z: number) => boolean;
  /** Segments longer than this (metres) are jumps (teleport, map change): not drawn. */
  readonly maxJump?: number;
}

/**
 * Adds a path, sampled at times `t` (s), spreading each segment's duration over the cells it
 * crosses. Non-finite samples break the path.
 */
export function addHeatPath(
  grid: HeatGrid,
  t: ArrayLike<number>,
  x: ArrayLike<number>,
  z: ArrayLike<number>,
  options: AddHeatPathOptions = {},
): void {
  const maxJump = options.maxJump ?? 200;
  const step = grid.cellSize / 2;
  for (let i = 1; i < t.length; i++) {
    const x0 = x[i - 1] as number;
    const z0 = z[i - 1] as number;
    const x1 = x[i] as number;
    const z1 = z[i] as number;
    const dt = (t[i] as number) - (t[i - 1] as number);
    if (![x0, z0, x1, z1, dt].every(Number.isFinite) || dt <= 0 || dt > 5) continue;
    const length = Math.hypot(x1 - x0, z1 - z0);
    if (length > maxJump) continue;
    const n = Math.max(1, Math.ceil(length / step));
    const weight = dt / n;
    for (let k = 0; k < n; k++) {
      const f = (k + 0.5) / n;
      const px = x0 + (x1 - x0) * f;
      const pz = z0 + (z1 - z0) * f;
      if (options.where && !options.where(px, pz)) continue;
      addHeatPoint(grid, px, pz, weight);
    }
  }
}

/** The largest value, and a robust top (the 99th percentile of non-empty cells) to scale colours by. */
export function heatRange(grid: HeatGrid): { max: number; top: number } {
  const nonEmpty: number[] = [];
  let max = 0;
  for (const v of grid.values) {
    if (v > 0) {
      nonEmpty.push(v);
      if (v > max) max = v;
    }
  }
  if (nonEmpty.length === 0) return { max: 0, top: 0 };
  nonEmpty.sort((a, b) => a - b);
  const top = nonEmpty[Math.min(nonEmpty.length - 1, Math.floor(nonEmpty.length * 0.99))] as number;
  return { max, top: Math.max(top, Number.MIN_VALUE) };
}

/**
 * Colour of a normalized intensity in [0, 1]: transparent, then blue → cyan → yellow → red, as
 * on a thermal camera. Returns `[r, g, b, a]` bytes.
 */
export function heatColor(intensity: number): [number, number, number, number] {
  const v = Math.min(Math.max(intensity, 0), 1);
  if (v === 0) return [0, 0, 0, 0];
  const stops: [number, number, number, number][] = [
    [0, 40, 90, 255],
    [0, 200, 255, 255],
    [255, 235, 60, 255],
    [255, 40, 30, 255],
  ];
  const pos = v * (stops.length - 1);
  const i = Math.min(Math.floor(pos), stops.length - 2);
  const f = pos - i;
  const a = stops[i] as [number, number, number, number];
  const b = stops[i + 1] as [number, number, number, number];
  const alpha = Math.round(90 + 165 * Math.min(1, v * 2));
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
    alpha,
  ];
}

/**
 * RGBA pixels of the grid (one pixel per cell, north row first), log-scaled so a line ridden
 * once still shows beside one ridden by everyone.
 */
export function heatPixels(grid: HeatGrid): Uint8ClampedArray {
  const { top } = heatRange(grid);
  const out = new Uint8ClampedArray(grid.cols * grid.rows * 4);
  if (top <= 0) return out;
  // log(1 + 100 v / top) / log(101): a hundredth of the busiest cell still gets a colour.
  const k = 100 / top;
  const scale = Math.log1p(100);
  for (let i = 0; i < grid.values.length; i++) {
    const v = grid.values[i] as number;
    if (v <= 0) continue;
    const [r, g, b, a] = heatColor(Math.min(1, Math.log1p(v * k) / scale));
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = a;
  }
  return out;
}
