/** A row of the ranking drawn on the map (screenshots, videos). */
export interface HudRow {
  readonly position: number;
  readonly name: string;
  readonly color: string;
  /** Right column: time, gap or status. */
  readonly value: string;
}

/** What the heads-up display shows. */
export interface Hud {
  readonly title: string;
  readonly clock: string;
  readonly rows: readonly HudRow[];
}

/**
 * Draws the race clock and ranking over the map, top right, as a broadcast would: what a
 * screenshot or an exported video needs to make sense on its own.
 */
export function drawHud(ctx: CanvasRenderingContext2D, width: number, hud: Hud, scale = 1): void {
  const rows = hud.rows.slice(0, 12);
  const pad = 10 * scale;
  const rowH = 24 * scale;
  const boxW = 280 * scale;
  const headH = 54 * scale;
  const x = width - boxW - 14 * scale;
  const y = 14 * scale;
  ctx.save();
  ctx.fillStyle = 'rgba(11,14,19,0.82)';
  ctx.fillRect(x, y, boxW, headH + rows.length * rowH + pad);
  ctx.fillStyle = '#9aa4b2';
  ctx.font = `600 ${12 * scale}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(hud.title.slice(0, 40), x + pad, y + pad);
  ctx.fillStyle = '#ffffff';
  ctx.font = `700 ${24 * scale}px ui-monospace, SFMono-Regular, Menlo, monospace`;
  ctx.fillText(hud.clock, x + pad, y + pad + 14 * scale);
  rows.forEach((row, i) => {
    const ry = y + headH + i * rowH;
    ctx.fillStyle = row.color;
    ctx.fillRect(x + pad, ry + 4 * scale, 4 * scale, rowH - 8 * scale);
    ctx.fillStyle = '#ffffff';
    ctx.font = `700 ${15 * scale}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillText(String(row.position), x + pad + 10 * scale, ry + rowH / 2);
    ctx.font = `500 ${15 * scale}px system-ui, sans-serif`;
    ctx.fillText(row.name.slice(0, 18), x + pad + 34 * scale, ry + rowH / 2);
    ctx.textAlign = 'right';
    ctx.font = `500 ${14 * scale}px ui-monospace, SFMono-Regular, Menlo, monospace`;
    ctx.fillText(row.value, x + boxW - pad, ry + rowH / 2);
  });
  ctx.restore();
}
