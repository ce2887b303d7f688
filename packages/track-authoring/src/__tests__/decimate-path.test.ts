import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimatePath, type PathRow } from '../index';

/** Distance from row p to the segment between rows a and b, in metres. */
function offLine(p: PathRow, a: PathRow, b: PathRow): number {
  const d = [b[1] - a[1], b[2] - a[2], b[3] - a[3]] as const;
  const l2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
  const u =
    l2 === 0
      ? 0
      : Math.min(
          1,
          Math.max(0, ((p[1] - a[1]) * d[0] + (p[2] - a[2]) * d[1] + (p[3] - a[3]) * d[2]) / l2),
        );
  return Math.hypot(p[1] - a[1] - u * d[0], p[2] - a[2] - u * d[1], p[3] - a[3] - u * d[2]);
}

describe('decimatePath', () => {
  it('keeps the corners of a ridden path and a point every second on straights', () => {
    const rows: PathRow[] = [];
    // 25 Hz, 20 m/s: 5 s east, then 5 s north.
    for (let i = 0; i <= 250; i++) {
      const t = i / 25;
      rows.push(t <= 5 ? [t, t * 20, 0, 0] : [t, 100, 0, (t - 5) * 20]);
    }
    const kept = decimatePath(rows);
    expect(kept[0]).toEqual([0, 0, 0, 0]);
    expect(kept[kept.length - 1]).toEqual([10, 100, 0, 100]);
    expect(kept).toContainEqual([5, 100, 0, 0]);
    expect(kept.length).toBeGreaterThanOrEqual(11);
    expect(kept.length).toBeLessThanOrEqual(20);
    for (let i = 1; i < kept.length; i++)
      expect((kept[i] as PathRow)[0] - (kept[i - 1] as PathRow)[0]).toBeLessThanOrEqual(1);
  });

  it('never drops a point further than the tolerance from the line that replaces it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.01, max: 0.2, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: -1, max: 1, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
          ),
          { minLength: 0, maxLength: 300 },
        ),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (steps, tolerance) => {
          const rows: PathRow[] = [];
          let row: PathRow = [0, 0, 0, 0];
          for (const [dt, dx, dy, dz] of steps) {
            row = [row[0] + dt, row[1] + dx, row[2] + dy, row[3] + dz];
            rows.push(row);
          }
          const kept = decimatePath(rows, { tolerance, maxGapSeconds: 5 });
          if (rows.length === 0) {
            expect(kept).toEqual([]);
            return;
          }
          expect(kept[0]).toEqual(rows[0]);
          expect(kept[kept.length - 1]).toEqual(rows[rows.length - 1]);
          // Every dropped row lies within the tolerance of the kept segment around it.
          let segment = 0;
          for (const r of rows) {
            while (segment < kept.length - 2 && r[0] > (kept[segment + 1] as PathRow)[0]) segment++;
            const a = kept[segment] as PathRow;
            const b = (kept[segment + 1] ?? a) as PathRow;
            expect(offLine(r, a, b)).toBeLessThanOrEqual(tolerance + 1e-9);
          }
        },
      ),
    );
  });
});
