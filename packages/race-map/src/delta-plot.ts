import type { DeltaSeries } from '@gw2race/race-analysis';

/** A value label of the plot's y axis. */
export interface AxisLabel {
  readonly value: number;
  readonly text: string;
  /** Screen y of its centre. */
  readonly y: number;
}

/** `+1.32 s`, `-17.88 s`, `+0.00 s`: the sign always shown. */
export function formatDelta(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? '-' : '+'}${text} s`;
}

/**
 * The y-axis labels to draw: zero first, then the top and bottom of the range, each dropped when
 * it would overlap one already placed (closer than `minGap` px), so `+0.00 s` and `-1.32 s` never
 * print over each other.
 *
 * @param sy - value to screen y
 */
export function axisLabels(
  lo: number,
  hi: number,
  sy: (value: number) => number,
  minGap = 14,
): AxisLabel[] {
  const placed: AxisLabel[] = [];
  for (const value of [0, hi, lo]) {
    const y = sy(value);
    if (placed.some((label) => Math.abs(label.y - y) < minGap)) continue;
    placed.push({ value, text: formatDelta(value), y });
  }
  return placed;
}

/** Draws a time-delta plot: distance along the reference run (x) against the delta (y). */
export function drawDeltaPlot(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  series: DeltaSeries,
  labels: { reference: string; compared: string; color: string },
): void {
  ctx.save();
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  const n = series.delta.length;
  const range = deltaRange(series.delta);
  // The left margin fits the widest label (sign included): nothing is clipped by the edge.
  const widest = Math.max(
    ...[range.lo, 0, range.hi].map((v) => ctx.measureText(formatDelta(v)).width),
  );
  const left = Math.ceil(widest) + 10;
  const right = 10;
  const top = 22;
  const bottom = 24;
  const w = width - left - right;
  const h = height - top - bottom;
  ctx.fillStyle = '#9aa4b2';
  if (n === 0 || series.length <= 0) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('no overlap between the two runs', width / 2, height / 2);
    ctx.restore();
    return;
  }
  const { lo, hi } = range;
  const sx = (d: number) => left + (d / series.length) * w;
  const sy = (v: number) => top + ((hi - v) / (hi - lo)) * h;
  // Axes and the zero line.
  ctx.strokeStyle = 'rgba(255,255,255,0.15)';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, w, h);
  ctx.strokeStyle = 'rgba(255,255,255,0.45)';
  ctx.beginPath();
  ctx.moveTo(left, sy(0));
  ctx.lineTo(left + w, sy(0));
  ctx.stroke();
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const label of axisLabels(lo, hi, sy)) ctx.fillText(label.text, left - 4, label.y);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('0 m', left, top + h + 6);
  ctx.fillText(
    `${Math.round(series.length)} m along ${labels.reference}`,
    left + w / 2,
    top + h + 6,
  );
  // The delta: above zero the compared racer is behind.
  ctx.strokeStyle = labels.color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  series.delta.forEach((d, i) => {
    const x = sx(series.distance[i] as number);
    const y = sy(d);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.fillStyle = '#e8ecf1';
  ctx.fillText(
    `${labels.compared} vs ${labels.reference}: final ${formatDelta(series.delta[n - 1] as number, 3)} (above 0 = behind)`,
    left,
    4,
  );
  ctx.restore();
}

/** The plot's value range: the deltas and zero, with 8 % of room above and below. */
function deltaRange(delta: ArrayLike<number>): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < delta.length; i++) {
    lo = Math.min(lo, delta[i] as number);
    hi = Math.max(hi, delta[i] as number);
  }
  const span = Math.max(hi - lo, 0.2);
  return { lo: lo - span * 0.08, hi: hi + span * 0.08 };
}
