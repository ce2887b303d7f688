import type { DeltaSeries } from '@gw2race/race-analysis';

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
  const left = 48;
  const right = 10;
  const top = 22;
  const bottom = 24;
  const w = width - left - right;
  const h = height - top - bottom;
  const n = series.delta.length;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#9aa4b2';
  if (n === 0 || series.length <= 0) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('no overlap between the two runs', width / 2, height / 2);
    ctx.restore();
    return;
  }
  let lo = 0;
  let hi = 0;
  for (const d of series.delta) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const span = Math.max(hi - lo, 0.2);
  lo -= span * 0.08;
  hi += span * 0.08;
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
  for (const v of [hi, 0, lo])
    ctx.fillText(`${v >= 0 ? '+' : ''}${v.toFixed(2)} s`, left - 4, sy(v));
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
    `${labels.compared} vs ${labels.reference}: final ${(series.delta[n - 1] as number) >= 0 ? '+' : ''}${(series.delta[n - 1] as number).toFixed(3)} s (above 0 = behind)`,
    left,
    4,
  );
  ctx.restore();
}
