import { describe, expect, it } from 'vitest';
import {
  addHeatPath,
  addHeatPoint,
  createHeatGrid,
  heatCellIndex,
  heatColor,
  heatPixels,
  heatRange,
} from '../heatmap';

const bounds = { minX: 0, maxX: 100, minZ: 0, maxZ: 50 };

describe('heatmap binning', () => {
  it('lays a grid over the bounds with a cell of margin, north row first', () => {
    const grid = createHeatGrid(bounds, 10);
    expect(grid.cols).toBe(13);
    expect(grid.rows).toBe(8);
    expect(heatCellIndex(grid, -10, 60)).toBe(0);
    expect(heatCellIndex(grid, 0, 50)).toBe(1 * grid.cols + 1);
    expect(heatCellIndex(grid, 1000, 0)).toBe(-1);
  });

  it('grows the cells rather than exceeding the cell budget', () => {
    const grid = createHeatGrid({ minX: 0, maxX: 10_000, minZ: 0, maxZ: 10_000 }, 1, 10_000);
    expect(grid.cols * grid.rows).toBeLessThanOrEqual(10_000);
    expect(grid.cellSize).toBeGreaterThan(1);
  });

  it('spreads a segment’s time over every cell it crosses (no gaps at speed)', () => {
    const grid = createHeatGrid(bounds, 1);
    // 40 m/s at 10 Hz: 4 m between samples, along z = 25.
    const t = [0, 0.1, 0.2];
    const x = [10, 14, 18];
    const z = [25, 25, 25];
    addHeatPath(grid, t, x, z);
    for (let cx = 10; cx < 18; cx++)
      expect(grid.values[heatCellIndex(grid, cx + 0.5, 25)]).toBeGreaterThan(0);
    const total = grid.values.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(0.2, 5);
  });

  it('skips jumps (teleports) and long gaps, and honours a filter', () => {
    const grid = createHeatGrid(bounds, 1);
    addHeatPath(grid, [0, 0.1], [0, 90], [0, 0], { maxJump: 50 });
    addHeatPath(grid, [0, 30], [0, 1], [0, 0]);
    expect(grid.values.every((v) => v === 0)).toBe(true);
    addHeatPath(grid, [0, 1], [0, 100], [10, 10], { where: (px) => px > 50 });
    expect(grid.values[heatCellIndex(grid, 20, 10)]).toBe(0);
    expect(grid.values[heatCellIndex(grid, 80, 10)]).toBeGreaterThan(0);
  });

  it('colours by a log scale: rare cells visible, busy ones hot', () => {
    const grid = createHeatGrid(bounds, 10);
    addHeatPoint(grid, 5, 5, 100);
    addHeatPoint(grid, 55, 5, 1);
    expect(heatRange(grid).max).toBe(100);
    const pixels = heatPixels(grid);
    const at = (x: number, z: number) => heatCellIndex(grid, x, z) * 4;
    expect(pixels[at(5, 5) + 3]).toBe(255);
    expect(pixels[at(55, 5) + 3]).toBeGreaterThan(0);
    expect(pixels[at(95, 45) + 3]).toBe(0);
    // Hot is red, cold is blue.
    expect(pixels[at(5, 5)]).toBeGreaterThan(pixels[at(5, 5) + 2] as number);
    expect(heatColor(0)).toEqual([0, 0, 0, 0]);
    expect(heatColor(0.05)[2]).toBeGreaterThan(heatColor(0.05)[0]);
  });
});
