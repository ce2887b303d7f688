import { describe, expect, it } from 'vitest';
import { cumulativeDistance, type Run, sliceRun, timeDelta } from '../time-delta';

/** A run along a polyline at constant speed, sampled at 10 Hz. */
function ride(points: [number, number][], speed: number, startDelay = 0): Run {
  const t: number[] = [];
  const x: number[] = [];
  const z: number[] = [];
  let clock = 0;
  for (let i = 1; i < points.length; i++) {
    const [ax, az] = points[i - 1] as [number, number];
    const [bx, bz] = points[i] as [number, number];
    const length = Math.hypot(bx - ax, bz - az);
    const steps = Math.ceil(length / speed / 0.1);
    for (let k = 0; k < steps; k++) {
      const f = k / steps;
      t.push(startDelay + clock + (f * length) / speed);
      x.push(ax + (bx - ax) * f);
      z.push(az + (bz - az) * f);
    }
    clock += length / speed;
  }
  const last = points[points.length - 1] as [number, number];
  t.push(startDelay + clock);
  x.push(last[0]);
  z.push(last[1]);
  return { t, x, z };
}

const course: [number, number][] = [
  [0, 0],
  [200, 0],
  [200, 150],
  [0, 150],
];

describe('time delta along the track', () => {
  it('measures cumulative distance', () => {
    const d = cumulativeDistance([0, 3, 3], [0, 4, 10]);
    expect([...d]).toEqual([0, 5, 11]);
  });

  it('is zero for the same run and grows linearly for a slower one', () => {
    const fast = ride(course, 30);
    expect(timeDelta(fast, fast).delta.every((d) => Math.abs(d) < 1e-9)).toBe(true);
    const slow = ride(course, 25);
    const series = timeDelta(fast, slow);
    expect(series.length).toBeCloseTo(550);
    const last = series.delta[series.delta.length - 1] as number;
    expect(last).toBeCloseTo(550 / 25 - 550 / 30, 1);
    // Half-way along, half the final delta.
    const mid = series.distance.findIndex((d) => d >= 275);
    expect(series.delta[mid]).toBeCloseTo(275 / 25 - 275 / 30, 1);
    // The distance only moves forward.
    for (let i = 1; i < series.distance.length; i++)
      expect(series.distance[i]).toBeGreaterThanOrEqual((series.distance[i - 1] as number) - 1e-9);
  });

  it('follows a line that passes near itself without jumping ahead', () => {
    // A hairpin: out along z = 0, back along z = 8.
    const hairpin: [number, number][] = [
      [0, 0],
      [300, 0],
      [300, 8],
      [0, 8],
    ];
    const a = ride(hairpin, 30);
    const b = ride(hairpin, 28);
    const series = timeDelta(a, b);
    for (let i = 1; i < series.distance.length; i++)
      expect(series.distance[i]).toBeGreaterThanOrEqual((series.distance[i - 1] as number) - 1);
    expect(series.delta[series.delta.length - 1]).toBeGreaterThan(0);
  });

  it('times a run from its own start (slices drop what is outside)', () => {
    const run = ride(course, 30, 5);
    const sliced = sliceRun(run, 5, 100, 5);
    expect(sliced.t[0]).toBe(0);
    expect(sliceRun({ t: [0, Number.NaN, 2], x: [0, 1, 2], z: [0, 0, 0] }, 0, 10).t).toEqual([
      0, 2,
    ]);
  });

  it('gives an empty series when a run is empty', () => {
    expect(timeDelta(ride(course, 30), { t: [], x: [], z: [] }).delta).toEqual([]);
  });
});
