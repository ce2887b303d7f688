/** One offset measurement for {@link fitDrift}. */
export interface DriftPoint {
  /** Local time of the measurement, ms. */
  readonly timeMs: number;
  /** Measured offset, ms. */
  readonly offsetMs: number;
  /** Expected spread of this measurement, ms (its weight is `1 / sigmaMs²`). Must be > 0. */
  readonly sigmaMs: number;
}

/** The straight line through a window of offsets (see {@link fitDrift}). */
export interface DriftFit {
  /** How fast the offset changes: ms of offset per ms of local time (−50e-6 for a clock 50 ppm fast). */
  readonly slope: number;
  /** Standard error of `slope`, same unit. */
  readonly slopeStandardError: number;
  /** The line's offset at `timeMs`, ms. */
  readonly offsetMs: number;
  /** The weighted mean time of the points, where the line is pinned, ms. */
  readonly timeMs: number;
  /** Points the line rests on (after rejecting outliers). */
  readonly used: number;
  /** Time between the first and the last point used, ms. */
  readonly spanMs: number;
}

/** Standardised residual beyond which a point is left out of the second pass. */
const REJECT_Z = 4;

function weightedLine(points: readonly DriftPoint[]): DriftFit | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  let sw = 0;
  let st = 0;
  let so = 0;
  for (const p of points) {
    const w = 1 / (p.sigmaMs * p.sigmaMs);
    sw += w;
    st += w * p.timeMs;
    so += w * p.offsetMs;
  }
  const tMean = st / sw;
  const oMean = so / sw;
  let sxx = 0;
  let sxy = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    const w = 1 / (p.sigmaMs * p.sigmaMs);
    const dx = p.timeMs - tMean;
    sxx += w * dx * dx;
    sxy += w * dx * (p.offsetMs - oMean);
    first = Math.min(first, p.timeMs);
    last = Math.max(last, p.timeMs);
  }
  if (!(sxx > 0)) return undefined;
  const slope = sxy / sxx;
  let chi2 = 0;
  for (const p of points) {
    const r = (p.offsetMs - oMean - slope * (p.timeMs - tMean)) / p.sigmaMs;
    chi2 += r * r;
  }
  // The sigmas are a model of the noise; when the points scatter more than modelled, scale the
  // error up, but never trust a window that happens to look quieter than the model.
  const scale = Math.max(chi2 / (n - 2), 1);
  return {
    slope,
    slopeStandardError: Math.sqrt(scale / sxx),
    offsetMs: oMean,
    timeMs: tMean,
    used: n,
    spanMs: last - first,
  };
}

/**
 * Weighted least-squares line through offsets over time: its slope is the frequency error of the
 * local clock against the reference. A second pass leaves out points more than 4 standard
 * deviations off the first line (a congested round trip that slipped through, a popcorn spike),
 * as long as at least three quarters of the points remain. Returns `undefined` for fewer than
 * three points or when they all share one instant.
 */
export function fitDrift(points: readonly DriftPoint[]): DriftFit | undefined {
  const first = weightedLine(points);
  if (!first) return undefined;
  const limit = REJECT_Z * residualScale(points, first);
  const kept = points.filter(
    (p) =>
      Math.abs(p.offsetMs - first.offsetMs - first.slope * (p.timeMs - first.timeMs)) / p.sigmaMs <=
      limit,
  );
  if (kept.length === points.length || kept.length < Math.ceil(points.length * 0.75)) return first;
  return weightedLine(kept) ?? first;
}

/** Root-mean-square standardised residual of `points` around `line` (at least 1). */
function residualScale(points: readonly DriftPoint[], line: DriftFit): number {
  let chi2 = 0;
  for (const p of points) {
    const r = (p.offsetMs - line.offsetMs - line.slope * (p.timeMs - line.timeMs)) / p.sigmaMs;
    chi2 += r * r;
  }
  return Math.sqrt(Math.max(chi2 / Math.max(points.length - 2, 1), 1));
}
