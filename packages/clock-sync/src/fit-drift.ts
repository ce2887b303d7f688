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

/** One offset measurement for {@link fitEnvelope}. */
export interface EnvelopePoint {
  /** Local time of the measurement, ms. */
  readonly timeMs: number;
  /** Measured offset, ms. */
  readonly offsetMs: number;
  /**
   * How far the offset may be from the line because of this sample's own jitter, ms (>= 0): half
   * its round trip beyond the least one seen.
   */
  readonly halfWidthMs: number;
}

/** The line through the lower envelope of the delays (see {@link fitEnvelope}). */
export interface EnvelopeFit {
  /** ms of offset per ms of local time (−50e-6 for a clock 50 ppm fast). */
  readonly slope: number;
  /** The line's offset at `timeMs` 0, ms. */
  readonly offsetMs: number;
  /** Least common widening of the intervals for one line to meet them all, ms. */
  readonly slackMs: number;
  /** The slopes that need no more widening than `slope` does (the fit is their middle). */
  readonly slopeLow: number;
  readonly slopeHigh: number;
}

/** The widening every interval needs for a line of `slope` to meet them all, and that line's offset at 0. */
function envelopeSlack(
  points: readonly EnvelopePoint[],
  slope: number,
): { slackMs: number; offsetMs: number } {
  let top = Number.NEGATIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  for (const p of points) {
    const atZero = p.offsetMs - slope * p.timeMs;
    top = Math.max(top, atZero - p.halfWidthMs);
    bottom = Math.min(bottom, atZero + p.halfWidthMs);
  }
  return { slackMs: Math.max((top - bottom) / 2, 0), offsetMs: (top + bottom) / 2 };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;
/** Search steps: 0.618^56 of a 400 ppm range is below 10⁻⁵ ppm. */
const SEARCH_STEPS = 56;

/**
 * The line that meets every interval `offsetMs ± halfWidthMs` with the least common widening
 * (a Chebyshev fit with additive slack, slope within `±maxSlope`). Queueing only ever adds
 * delay, and given a sample's round trip its offset error is spread over half its excess delay
 * either way; so the intervals are the shape of the noise, and the line rests on the few samples
 * that came through fastest each way (the lower envelope of the one-way delays) instead of
 * letting every congested sample pull, as least squares does. When several slopes need no
 * widening at all (the intervals leave room), it takes the middle of them. Returns `undefined`
 * for fewer than three points or a non-positive `maxSlope`.
 */
export function fitEnvelope(
  points: readonly EnvelopePoint[],
  maxSlope: number,
): EnvelopeFit | undefined {
  const origin = points[0];
  if (!origin || points.length < 3 || !(maxSlope > 0)) return undefined;
  // Offsets relative to the first one: the search then does not depend on where the reference
  // clock happens to be (a shifted reference gives the same slope).
  const centred = points.map((p) => ({ ...p, offsetMs: p.offsetMs - origin.offsetMs }));
  const slack = (slope: number) => envelopeSlack(centred, slope).slackMs;
  // The widening is a maximum of linear functions of the slope: convex, so a golden-section
  // search finds its least value, and bisection the edges of the slopes that share it.
  let a = -maxSlope;
  let b = maxSlope;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = slack(c);
  let fd = slack(d);
  for (let i = 0; i < SEARCH_STEPS; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = slack(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = slack(d);
    }
  }
  const best = (a + b) / 2;
  let scale = 0;
  for (const p of centred) scale = Math.max(scale, Math.abs(p.offsetMs), p.halfWidthMs);
  const level = slack(best) + 1e-12 * scale;
  const edge = (outside: number) => {
    if (slack(outside) <= level) return outside;
    let inside = best;
    let out = outside;
    for (let i = 0; i < SEARCH_STEPS; i++) {
      const middle = (inside + out) / 2;
      if (slack(middle) <= level) inside = middle;
      else out = middle;
    }
    return inside;
  };
  const slopeLow = edge(-maxSlope);
  const slopeHigh = edge(maxSlope);
  const slope = (slopeLow + slopeHigh) / 2;
  const line = envelopeSlack(centred, slope);
  return {
    slope,
    offsetMs: line.offsetMs + origin.offsetMs,
    slackMs: line.slackMs,
    slopeLow,
    slopeHigh,
  };
}
