/** One row of a ridden path: seconds, then x, y, z in metres (the track's `referenceLine` rows). */
export type PathRow = [number, number, number, number];

/** Options of {@link decimatePath}. */
export interface DecimateOptions {
  /**
   * Largest distance, in metres, a dropped point may lie from the line that replaces it
   * (default 0.5). Checkpoints are 3 m and more: half a metre never changes what the line touches,
   * and it is below what a rider holds a line to anyway.
   */
  tolerance?: number;
  /**
   * Longest time, in seconds, between two kept points (default 1), so the line keeps the pace it
   * was ridden at (accelerations, slow corners) and not only its shape: at 30 m/s that is a
   * point every 30 m on a straight.
   */
  maxGapSeconds?: number;
}

/**
 * Thins a ridden path (the game writes ~25 positions a second) to the points that carry its shape
 * and pace: Douglas–Peucker in 3D with `tolerance`, also splitting any stretch longer than
 * `maxGapSeconds`. The first and last rows are always kept; rows keep their order.
 */
export function decimatePath(rows: readonly PathRow[], options: DecimateOptions = {}): PathRow[] {
  const tolerance = options.tolerance ?? 0.5;
  const maxGap = options.maxGapSeconds ?? 1;
  if (rows.length <= 2) return rows.map((row) => [...row] as PathRow);
  const keep = new Uint8Array(rows.length);
  keep[0] = 1;
  keep[rows.length - 1] = 1;
  // Explicit stack: a long ride would overflow recursion.
  const stack: [number, number][] = [[0, rows.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    if (last - first < 2) continue;
    const a = rows[first] as PathRow;
    const b = rows[last] as PathRow;
    let worst = -1;
    let worstAt = first;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(rows[i] as PathRow, a, b);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    let split: number | undefined;
    if (worst > tolerance) split = worstAt;
    else if (b[0] - a[0] > maxGap) split = middleInTime(rows, first, last);
    if (split === undefined) continue;
    keep[split] = 1;
    stack.push([first, split], [split, last]);
  }
  const out: PathRow[] = [];
  rows.forEach((row, i) => {
    if (keep[i]) out.push([...row] as PathRow);
  });
  return out;
}

function middleInTime(rows: readonly PathRow[], first: number, last: number): number {
  const half = ((rows[first] as PathRow)[0] + (rows[last] as PathRow)[0]) / 2;
  let at = first + 1;
  while (at < last - 1 && (rows[at] as PathRow)[0] < half) at++;
  return at;
}

function distanceToSegment(p: PathRow, a: PathRow, b: PathRow): number {
  const dx = b[1] - a[1];
  const dy = b[2] - a[2];
  const dz = b[3] - a[3];
  const length2 = dx * dx + dy * dy + dz * dz;
  const u =
    length2 === 0
      ? 0
      : Math.min(
          1,
          Math.max(0, ((p[1] - a[1]) * dx + (p[2] - a[2]) * dy + (p[3] - a[3]) * dz) / length2),
        );
  return Math.hypot(p[1] - (a[1] + u * dx), p[2] - (a[2] + u * dy), p[3] - (a[3] + u * dz));
}
