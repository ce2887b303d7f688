import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  curveGateCrossing,
  curveSphereEntry,
  curveSphereExit,
  curveThrough,
  lerpPoint,
  segmentGateCrossing,
  segmentSphereEntry,
  segmentSphereExit,
} from '../segment-crossing';

const origin = { x: 0, y: 0, z: 0, r: 5 };

describe('segmentSphereEntry', () => {
  it('finds the entry of a straight pass through the centre', () => {
    expect(segmentSphereEntry({ x: -10, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin)).toBe(0.25);
  });

  it('returns uFrom when the segment starts inside', () => {
    expect(segmentSphereEntry({ x: 1, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin)).toBe(0);
    expect(segmentSphereEntry({ x: -10, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin, 0.5)).toBe(
      0.5,
    );
  });

  it('detects a grazing pass whose ends are both outside', () => {
    // Passes 4.999 m from the centre: inside for a 0.2 m chord only.
    const u = segmentSphereEntry({ x: -10, y: 4.999, z: 0 }, { x: 10, y: 4.999, z: 0 }, origin);
    expect(u).toBeDefined();
    expect(u as number).toBeCloseTo(0.5 - Math.sqrt(25 - 4.999 ** 2) / 20, 12);
    // A tangent touch counts; passing 1 mm outside does not.
    expect(segmentSphereEntry({ x: -10, y: 5, z: 0 }, { x: 10, y: 5, z: 0 }, origin)).toBe(0.5);
    expect(
      segmentSphereEntry({ x: -10, y: 5.001, z: 0 }, { x: 10, y: 5.001, z: 0 }, origin),
    ).toBeUndefined();
  });

  it('ignores a sphere behind the search start or beyond the segment', () => {
    expect(
      segmentSphereEntry({ x: -10, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin, 0.8),
    ).toBeUndefined();
    expect(
      segmentSphereEntry({ x: -30, y: 0, z: 0 }, { x: -10, y: 0, z: 0 }, origin),
    ).toBeUndefined();
    expect(segmentSphereEntry({ x: 9, y: 0, z: 0 }, { x: 9, y: 0, z: 0 }, origin)).toBeUndefined();
  });

  it('returns the first point inside, never a later one (property)', () => {
    const coord = fc.double({ min: -50, max: 50, noNaN: true });
    const point = fc.record({ x: coord, y: coord, z: coord });
    fc.assert(
      fc.property(
        point,
        point,
        point,
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        (a, b, c, r) => {
          const sphere = { ...c, r };
          const u = segmentSphereEntry(a, b, sphere);
          const dist = (p: { x: number; y: number; z: number }) =>
            Math.hypot(p.x - c.x, p.y - c.y, p.z - c.z);
          if (u === undefined) {
            // Then no point of the segment is inside (checked on a fine grid).
            for (let k = 0; k <= 200; k++)
              expect(dist(lerpPoint(a, b, k / 200))).toBeGreaterThan(r - 1e-9);
            return;
          }
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThanOrEqual(1);
          expect(dist(lerpPoint(a, b, u))).toBeLessThanOrEqual(r + 1e-7);
          // Every earlier point on a grid is outside (or on the surface).
          for (let k = 0; k < 100; k++) {
            const v = (u * k) / 100;
            if (u - v > 1e-9) expect(dist(lerpPoint(a, b, v))).toBeGreaterThan(r - 1e-7);
          }
        },
      ),
    );
  });
});

describe('segmentSphereExit', () => {
  it('finds where a segment leaves the sphere', () => {
    expect(segmentSphereExit({ x: 0, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin)).toBe(0.5);
    expect(segmentSphereExit({ x: -10, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin)).toBe(0.75);
  });

  it('is undefined while the segment ends inside or never touches', () => {
    expect(segmentSphereExit({ x: -10, y: 0, z: 0 }, { x: 1, y: 0, z: 0 }, origin)).toBeUndefined();
    expect(
      segmentSphereExit({ x: -10, y: 9, z: 0 }, { x: 10, y: 9, z: 0 }, origin),
    ).toBeUndefined();
    expect(
      segmentSphereExit({ x: 0, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, origin, 0.6),
    ).toBeUndefined();
  });
});

describe('segmentGateCrossing', () => {
  const gate = { a: { x: 0, y: 0, z: -5 }, b: { x: 0, y: 2, z: 5 }, height: 10 };

  it('finds the crossing in either direction', () => {
    expect(segmentGateCrossing({ x: -4, y: 1, z: 0 }, { x: 4, y: 1, z: 0 }, gate)).toBe(0.5);
    expect(segmentGateCrossing({ x: 6, y: 1, z: 1 }, { x: -2, y: 1, z: 1 }, gate)).toBe(0.75);
  });

  it('requires the crossing between the poles and within the height', () => {
    expect(segmentGateCrossing({ x: -4, y: 1, z: 6 }, { x: 4, y: 1, z: 6 }, gate)).toBeUndefined();
    // From the lower base (0) to 10 m above the higher one (2): 12 is in, 12.5 is out.
    expect(segmentGateCrossing({ x: -4, y: 12, z: 0 }, { x: 4, y: 12, z: 0 }, gate)).toBe(0.5);
    expect(
      segmentGateCrossing({ x: -4, y: 12.5, z: 0 }, { x: 4, y: 12.5, z: 0 }, gate),
    ).toBeUndefined();
    expect(
      segmentGateCrossing({ x: -4, y: -0.5, z: 0 }, { x: 4, y: -0.5, z: 0 }, gate),
    ).toBeUndefined();
  });

  it('never crosses when moving along the gate or short of it', () => {
    expect(segmentGateCrossing({ x: 0, y: 1, z: -3 }, { x: 0, y: 1, z: 3 }, gate)).toBeUndefined();
    expect(segmentGateCrossing({ x: -4, y: 1, z: 0 }, { x: -1, y: 1, z: 0 }, gate)).toBeUndefined();
  });

  it('uses the default height of 20 m', () => {
    const low = { a: { x: 0, y: 0, z: -5 }, b: { x: 0, y: 0, z: 5 } };
    expect(segmentGateCrossing({ x: -4, y: 19.9, z: 0 }, { x: 4, y: 19.9, z: 0 }, low)).toBe(0.5);
    expect(
      segmentGateCrossing({ x: -4, y: 20.1, z: 0 }, { x: 4, y: 20.1, z: 0 }, low),
    ).toBeUndefined();
  });
});

describe('curved segments', () => {
  // Three samples on a circle of radius 50 at 30 m/s, 0.1 s apart.
  const R = 50;
  const at = (t: number) => ({
    t,
    x: R * Math.cos((30 / R) * t),
    y: 0,
    z: R * Math.sin((30 / R) * t),
  });

  it('passes through the three samples and stays close to the arc', () => {
    const c = curveThrough(at(0), at(0.1), at(0.2), 100);
    expect(c).toBeDefined();
    if (!c) return;
    // The chord's sagitta is about 2.25 cm; the parabola's error is orders of magnitude smaller.
    const mid = {
      x: c.a.x + 0.5 * (c.b.x - c.a.x) - 0.25 * c.wx,
      z: c.a.z + 0.5 * (c.b.z - c.a.z) - 0.25 * c.wz,
    };
    expect(Math.abs(Math.hypot(mid.x, mid.z) - R)).toBeLessThan(2e-4);
    expect(Math.abs(Math.hypot((c.a.x + c.b.x) / 2, (c.a.z + c.b.z) / 2) - R)).toBeGreaterThan(
      0.02,
    );
  });

  it('refuses uneven spacing and accelerations no turn explains', () => {
    expect(curveThrough(at(0), at(0.01), at(0.2), 100)).toBeUndefined();
    expect(
      curveThrough(
        { t: 0, x: 0, y: 0, z: 0 },
        { t: 0.1, x: 3, y: 0, z: 0 },
        { t: 0.2, x: 3, y: 0, z: 3 },
        100,
      ),
    ).toBeUndefined();
  });

  it('finds a sphere the chord misses but the arc touches', () => {
    const c = curveThrough(at(0), at(0.1), at(0.2), 100);
    if (!c) throw new Error('no curve');
    // A small sphere just outside the circle at the middle of the segment: the arc bulges to it.
    const angle = (30 / R) * 0.15;
    const sphere = { x: (R + 0.5) * Math.cos(angle), z: (R + 0.5) * Math.sin(angle), r: 0.505 };
    const linear = segmentSphereEntry(c.a, c.b, { ...sphere, y: 0 });
    const curved = curveSphereEntry(c, sphere.x, 0, sphere.z, sphere.r, 0);
    expect(linear).toBeUndefined();
    expect(curved).toBeGreaterThan(0.4);
    expect(curved).toBeLessThan(0.6);
  });

  it('finds where the curve leaves a sphere and crosses a gate', () => {
    const c = curveThrough(at(0), at(0.1), at(0.2), 100);
    if (!c) throw new Error('no curve');
    const exit = curveSphereExit(c, c.a.x, c.a.y, c.a.z, 1.5, 0);
    // Leaving a 1.5 m sphere around the segment start at 30 m/s: about 0.05 s into 0.1 s.
    expect(exit).toBeGreaterThan(0.45);
    expect(exit).toBeLessThan(0.55);
    // A radial gate at the angle of t = 0.15 s is crossed at u = 0.5.
    const angle = (30 / R) * 0.15;
    const u = curveGateCrossing(
      c,
      (R - 5) * Math.cos(angle),
      (R - 5) * Math.sin(angle),
      (R + 5) * Math.cos(angle),
      (R + 5) * Math.sin(angle),
      -1,
      10,
      0,
    );
    expect(u).toBeCloseTo(0.5, 3);
  });
});
