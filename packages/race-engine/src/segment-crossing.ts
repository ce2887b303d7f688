import { DEFAULT_GATE_HEIGHT } from '@gw2race/protocol';

/** A point in the MumbleLink frame, metres (Y up). */
export interface Point3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** A ball: centre and radius in metres. */
export interface Sphere extends Point3 {
  readonly r: number;
}

/**
 * A gate: the vertical plane between two pole bases `a` and `b`, from the lower base up to
 * `height` metres (default {@link DEFAULT_GATE_HEIGHT}) above the higher one.
 */
export interface Gate {
  readonly a: Point3;
  readonly b: Point3;
  readonly height?: number | undefined;
}

/**
 * Where a straight segment first touches a sphere (closed ball), at or after `uFrom`.
 *
 * The segment is `a + u (b - a)` for `u` in [0, 1]. Returns the smallest `u >= uFrom` whose point
 * is inside or on the sphere, or `undefined` if there is none. A point already inside at `uFrom`
 * returns `uFrom`; a tangent touch counts, so a grazing pass between two samples outside the
 * sphere is found.
 *
 * @example
 * segmentSphereEntry({ x: -10, y: 0, z: 0 }, { x: 10, y: 0, z: 0 }, { x: 0, y: 0, z: 0, r: 5 }); // 0.25
 */
export function segmentSphereEntry(
  a: Point3,
  b: Point3,
  sphere: Sphere,
  uFrom = 0,
): number | undefined {
  const u = sphereEntry(a, b, sphere.x, sphere.y, sphere.z, sphere.r * sphere.r, uFrom);
  return u < 0 ? undefined : u;
}

/**
 * Where a straight segment leaves a sphere for good, at or after `uFrom`: the last `u` in
 * [uFrom, 1) where the point is on the surface with the segment's end outside. `undefined` when
 * the segment ends inside or never touches the sphere after `uFrom`. Used for "the clock starts
 * when you leave the start" (time trials).
 */
export function segmentSphereExit(
  a: Point3,
  b: Point3,
  sphere: Sphere,
  uFrom = 0,
): number | undefined {
  const u = sphereExit(a, b, sphere.x, sphere.y, sphere.z, sphere.r * sphere.r, uFrom);
  return u < 0 ? undefined : u;
}

/**
 * Where a straight segment crosses a gate (in either direction), at or after `uFrom`, or
 * `undefined`. The crossing must fall between the poles and between the lower pole base and
 * `height` above the higher one. A segment moving along the gate's plane never crosses it.
 */
export function segmentGateCrossing(
  a: Point3,
  b: Point3,
  gate: Gate,
  uFrom = 0,
): number | undefined {
  const low = Math.min(gate.a.y, gate.b.y);
  const high = Math.max(gate.a.y, gate.b.y) + (gate.height ?? DEFAULT_GATE_HEIGHT);
  const u = gateCrossing(a, b, gate.a.x, gate.a.z, gate.b.x, gate.b.z, low, high, uFrom);
  return u < 0 ? undefined : u;
}

/** The point at `u` along the segment from `a` to `b`. */
export function lerpPoint(a: Point3, b: Point3, u: number): Point3 {
  return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u, z: a.z + (b.z - a.z) * u };
}

// The hot-path versions below take unpacked numbers and return -1 for "none", so the engine's
// per-sample loop allocates nothing.

/** @internal Smallest u >= uFrom with |a + u(b-a) - c|^2 <= r2, or -1. */
export function sphereEntry(
  a: Point3,
  b: Point3,
  cx: number,
  cy: number,
  cz: number,
  r2: number,
  uFrom: number,
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dz = b.z - a.z;
  const fx = a.x - cx;
  const fy = a.y - cy;
  const fz = a.z - cz;
  const qa = dx * dx + dy * dy + dz * dz;
  const qb = 2 * (fx * dx + fy * dy + fz * dz);
  const qc = fx * fx + fy * fy + fz * fz - r2;
  // Already inside (or on the surface) where the search starts.
  if ((qa * uFrom + qb) * uFrom + qc <= 0) return uFrom;
  if (qa === 0) return -1;
  const disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return -1;
  const first = smallerRoot(qa, qb, qc, disc);
  // Outside at uFrom: the first contact after it is the smaller root, if it lies ahead.
  return first >= uFrom && first <= 1 ? first : -1;
}

/** @internal Last exit u in [uFrom, 1) with the end outside, or -1. */
export function sphereExit(
  a: Point3,
  b: Point3,
  cx: number,
  cy: number,
  cz: number,
  r2: number,
  uFrom: number,
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dz = b.z - a.z;
  const fx = a.x - cx;
  const fy = a.y - cy;
  const fz = a.z - cz;
  const qa = dx * dx + dy * dy + dz * dz;
  if (qa === 0) return -1;
  const qb = 2 * (fx * dx + fy * dy + fz * dz);
  const qc = fx * fx + fy * fy + fz * fz - r2;
  if (qa + qb + qc <= 0) return -1; // ends inside: not left yet
  const disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return -1;
  const first = smallerRoot(qa, qb, qc, disc);
  // Product of the roots is qc/qa; the larger root follows from the smaller one without the
  // cancellation of (-b + sqrt(disc)) / 2a.
  const last = first === 0 ? -qb / qa : qc / (qa * first);
  return last >= uFrom && last < 1 ? last : -1;
}

function smallerRoot(qa: number, qb: number, qc: number, disc: number): number {
  const sq = Math.sqrt(disc);
  // Numerically stable pair of roots: q/qa and qc/q.
  const q = qb >= 0 ? -0.5 * (qb + sq) : -0.5 * (qb - sq);
  if (q === 0) return 0;
  const r1 = q / qa;
  const r2 = qc / q;
  return Math.min(r1, r2);
}

/** @internal Gate crossing u in [uFrom, 1], or -1. */
export function gateCrossing(
  a: Point3,
  b: Point3,
  gx1: number,
  gz1: number,
  gx2: number,
  gz2: number,
  low: number,
  high: number,
  uFrom: number,
): number {
  const dx = b.x - a.x;
  const dz = b.z - a.z;
  const ex = gx2 - gx1;
  const ez = gz2 - gz1;
  const den = dx * ez - dz * ex;
  // Parallel (or no horizontal movement): the path never passes through the plane.
  if (Math.abs(den) <= 1e-12 * (Math.abs(dx) + Math.abs(dz)) * (Math.abs(ex) + Math.abs(ez))) {
    return -1;
  }
  const wx = gx1 - a.x;
  const wz = gz1 - a.z;
  const u = (wx * ez - wz * ex) / den;
  if (u < uFrom || u > 1) return -1;
  const s = (wx * dz - wz * dx) / den;
  if (s < 0 || s > 1) return -1;
  const y = a.y + (b.y - a.y) * u;
  return y >= low && y <= high ? u : -1;
}

/**
 * A segment bent into the parabola through the sample before it: `p(u) = a + u d + u(u-1) w` for
 * `u` in [0, 1], where `d = b - a` and `w` is the curvature term. With `w = 0` it is the chord.
 * The parabola passes exactly through the previous sample, `a` and `b`, so on a turn it follows
 * the racer's arc instead of cutting the corner.
 */
export interface CurvedSegment {
  readonly a: Point3;
  readonly b: Point3;
  readonly wx: number;
  readonly wy: number;
  readonly wz: number;
  /** |w|, metres: the curve strays at most |w|/4 from the chord. */
  readonly bend: number;
}

/** Below this stray from the chord (m) a piece of curve is treated as straight: 0.1 mm. */
const FLAT = 1e-4;

/**
 * The curved segment through `prior`, `a`, `b` (strictly increasing times), or undefined when a
 * parabola would not be trustworthy: sample spacing too uneven, or an implied acceleration above
 * `maxAcceleration` (m/s², a bounce or a jump rather than a turn).
 */
export function curveThrough(
  prior: Point3 & { readonly t: number },
  a: Point3 & { readonly t: number },
  b: Point3 & { readonly t: number },
  maxAcceleration: number,
): CurvedSegment | undefined {
  const h0 = a.t - prior.t;
  const h = b.t - a.t;
  if (!(h0 > 0) || !(h > 0) || h0 > 4 * h || h > 4 * h0) return undefined;
  const span = b.t - prior.t;
  // Second divided difference: half the acceleration of the parabola.
  const ax = ((b.x - a.x) / h - (a.x - prior.x) / h0) / span;
  const ay = ((b.y - a.y) / h - (a.y - prior.y) / h0) / span;
  const az = ((b.z - a.z) / h - (a.z - prior.z) / h0) / span;
  const half = Math.sqrt(ax * ax + ay * ay + az * az);
  if (2 * half > maxAcceleration) return undefined;
  const h2 = h * h;
  return { a, b, wx: ax * h2, wy: ay * h2, wz: az * h2, bend: half * h2 };
}

/** The point of a curved segment at `u`. */
export function curveAt(c: CurvedSegment, u: number): Point3 {
  const k = u * (u - 1);
  return {
    x: c.a.x + u * (c.b.x - c.a.x) + k * c.wx,
    y: c.a.y + u * (c.b.y - c.a.y) + k * c.wy,
    z: c.a.z + u * (c.b.z - c.a.z) + k * c.wz,
  };
}

/**
 * @internal First u in [uFrom, 1] where the curved segment is inside the sphere, or -1: prune
 * with the chord against a sphere grown by the curve's largest stray, halve until flat.
 */
export function curveSphereEntry(
  c: CurvedSegment,
  cx: number,
  cy: number,
  cz: number,
  r: number,
  uFrom: number,
): number {
  if (c.bend * 0.25 <= FLAT) return sphereEntry(c.a, c.b, cx, cy, cz, r * r, uFrom);
  return curveEntryBetween(c, cx, cy, cz, r, uFrom, 1, curveAt(c, uFrom), curveAt(c, 1));
}

/**
 * @internal Last u in [uFrom, 1) where the curved segment leaves the sphere with its end
 * outside, or -1 (the end is inside, or it never touches).
 */
export function curveSphereExit(
  c: CurvedSegment,
  cx: number,
  cy: number,
  cz: number,
  r: number,
  uFrom: number,
): number {
  if (c.bend * 0.25 <= FLAT) return sphereExit(c.a, c.b, cx, cy, cz, r * r, uFrom);
  const end = c.b;
  if ((end.x - cx) ** 2 + (end.y - cy) ** 2 + (end.z - cz) ** 2 <= r * r) return -1;
  // Search backwards from the end: q(1 - v) = b - v d + v(v - 1) w.
  const reversed: CurvedSegment = { ...c, a: c.b, b: c.a };
  const v = curveEntryBetween(
    reversed,
    cx,
    cy,
    cz,
    r,
    0,
    1 - uFrom,
    reversed.a,
    curveAt(reversed, 1 - uFrom),
  );
  return v < 0 ? -1 : 1 - v;
}

function curveEntryBetween(
  c: CurvedSegment,
  cx: number,
  cy: number,
  cz: number,
  r: number,
  u0: number,
  u1: number,
  p0: Point3,
  p1: Point3,
): number {
  const span = u1 - u0;
  const stray = c.bend * span * span * 0.25;
  if (stray <= FLAT) {
    const s = sphereEntry(p0, p1, cx, cy, cz, r * r, 0);
    return s < 0 ? -1 : u0 + s * span;
  }
  const grown = r + stray;
  const s = sphereEntry(p0, p1, cx, cy, cz, grown * grown, 0);
  if (s < 0) return -1;
  const mid = u0 + span / 2;
  const pm = curveAt(c, mid);
  const left = curveEntryBetween(c, cx, cy, cz, r, u0, mid, p0, pm);
  return left >= 0 ? left : curveEntryBetween(c, cx, cy, cz, r, mid, u1, pm, p1);
}

/**
 * @internal Where the curved segment crosses a gate in u in [uFrom, 1], or -1. The parabola
 * meets the gate's vertical plane where a quadratic in u vanishes, solved exactly.
 */
export function curveGateCrossing(
  c: CurvedSegment,
  gx1: number,
  gz1: number,
  gx2: number,
  gz2: number,
  low: number,
  high: number,
  uFrom: number,
): number {
  const ex = gx2 - gx1;
  const ez = gz2 - gz1;
  const dx = c.b.x - c.a.x;
  const dz = c.b.z - c.a.z;
  // cross(p(u) - g1, e) = A u² + B u + C with p(u) = a + u d + u(u-1) w.
  const cw = c.wx * ez - c.wz * ex;
  const qa = cw;
  const qb = dx * ez - dz * ex - cw;
  const qc = (c.a.x - gx1) * ez - (c.a.z - gz1) * ex;
  const roots: number[] = [];
  if (Math.abs(qa) < 1e-12 * (Math.abs(qb) + Math.abs(qc) + 1e-300)) {
    if (qb !== 0) roots.push(-qc / qb);
  } else {
    const disc = qb * qb - 4 * qa * qc;
    if (disc < 0) return -1;
    const sq = Math.sqrt(disc);
    const q = qb >= 0 ? -0.5 * (qb + sq) : -0.5 * (qb - sq);
    roots.push(q / qa);
    if (q !== 0) roots.push(qc / q);
  }
  roots.sort((x, y) => x - y);
  const e2 = ex * ex + ez * ez;
  for (const u of roots) {
    if (u < uFrom || u > 1) continue;
    const p = curveAt(c, u);
    const s = ((p.x - gx1) * ex + (p.z - gz1) * ez) / e2;
    if (s >= 0 && s <= 1 && p.y >= low && p.y <= high) return u;
  }
  return -1;
}
