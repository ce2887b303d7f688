import type { GateCheckpoint, Track, TrackCheckpoint } from '@gw2race/protocol';
import { type View, worldToScreen } from '@gw2race/race-analysis';
import { type LabelBox, placeLabels } from './label-layout';

/** A racer marker. */
export interface RacerMark {
  readonly playerId: string;
  readonly x: number;
  readonly z: number;
  readonly color: string;
  readonly label: string;
  /** Drawn faded: the position is old (held) or the racer is out. */
  readonly faded?: boolean;
  /** Drawn as a hollow ghost marker (comparison of another recording). */
  readonly ghost?: boolean;
  /**
   * Ranking position (lower first): when labels would overlap, the better ranked keeps the place
   * beside its marker and the worst ranked is left out. Unranked marks come after ranked ones.
   */
  readonly rank?: number;
}

/** A polyline in the world (flat or columnar). */
export interface WorldLine {
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly z: ArrayLike<number>;
  /** Line width in CSS pixels. */
  readonly width?: number;
  readonly alpha?: number;
}

/** An image placed on the world (a map tile, the heatmap). */
export interface WorldImage {
  readonly image: CanvasImageSource;
  readonly west: number;
  readonly north: number;
  readonly east: number;
  readonly south: number;
  readonly alpha?: number;
  /** Smooth when scaled (tiles) or blocky (heatmap cells: false). */
  readonly smooth?: boolean;
}

/** Everything on the map at one instant. */
export interface Scene {
  readonly track: Track | null;
  readonly tiles?: readonly WorldImage[];
  readonly heat?: WorldImage | undefined;
  readonly ghosts?: readonly WorldLine[];
  readonly trails?: readonly WorldLine[];
  readonly racers: readonly RacerMark[];
}

/** How to draw. */
export interface DrawOptions {
  /** Fill colour, or null for a transparent background (the OBS overlay, the tile layer below). */
  readonly background: string | null;
  /** A metre grid and scale bar (the local-coordinates view). */
  readonly grid: boolean;
  readonly labels: boolean;
}

/** The map's colours: background, grid, text, course line, checkpoint roles, reference line. */
export const MAP_COLORS = {
  background: '#11151c',
  grid: 'rgba(255,255,255,0.06)',
  gridMajor: 'rgba(255,255,255,0.12)',
  text: '#e8ecf1',
  course: 'rgba(255,255,255,0.35)',
  checkpoint: '#ffb020',
  start: '#2ecc71',
  finish: '#ff4757',
  reference: 'rgba(120,180,255,0.35)',
} as const;

function niceStep(metresPerPixel: number, targetPx: number): number {
  const raw = metresPerPixel * targetPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function drawGrid(ctx: CanvasRenderingContext2D, view: View) {
  const step = niceStep(1 / view.scale, 80);
  const [x0, z0] = [
    view.centerX - view.width / 2 / view.scale,
    view.centerZ + view.height / 2 / view.scale,
  ];
  const [x1, z1] = [
    view.centerX + view.width / 2 / view.scale,
    view.centerZ - view.height / 2 / view.scale,
  ];
  ctx.lineWidth = 1;
  for (let x = Math.floor(x0 / step) * step; x <= x1; x += step) {
    const [sx] = worldToScreen(view, x, 0);
    ctx.strokeStyle = Math.round(x / step) % 5 === 0 ? MAP_COLORS.gridMajor : MAP_COLORS.grid;
    ctx.beginPath();
    ctx.moveTo(Math.round(sx) + 0.5, 0);
    ctx.lineTo(Math.round(sx) + 0.5, view.height);
    ctx.stroke();
  }
  for (let z = Math.floor(z1 / step) * step; z <= z0; z += step) {
    const [, sy] = worldToScreen(view, 0, z);
    ctx.strokeStyle = Math.round(z / step) % 5 === 0 ? MAP_COLORS.gridMajor : MAP_COLORS.grid;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(sy) + 0.5);
    ctx.lineTo(view.width, Math.round(sy) + 0.5);
    ctx.stroke();
  }
}

/** A scale bar and a north arrow in the bottom-left corner. */
export function drawScaleBar(ctx: CanvasRenderingContext2D, view: View): void {
  const metres = niceStep(1 / view.scale, 100);
  const px = metres * view.scale;
  const x = 16;
  const y = view.height - 18;
  ctx.save();
  ctx.strokeStyle = MAP_COLORS.text;
  ctx.fillStyle = MAP_COLORS.text;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, y - 5);
  ctx.lineTo(x, y);
  ctx.lineTo(x + px, y);
  ctx.lineTo(x + px, y - 5);
  ctx.stroke();
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  ctx.fillText(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, x + 4, y - 4);
  // North arrow.
  const ax = x + Math.max(px, 60) + 24;
  ctx.beginPath();
  ctx.moveTo(ax, y - 22);
  ctx.lineTo(ax - 5, y - 8);
  ctx.lineTo(ax + 5, y - 8);
  ctx.closePath();
  ctx.fill();
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  ctx.fillText('N', ax, y - 6);
  ctx.restore();
}

function drawImage(ctx: CanvasRenderingContext2D, view: View, image: WorldImage) {
  const [x0, y0] = worldToScreen(view, image.west, image.north);
  const [x1, y1] = worldToScreen(view, image.east, image.south);
  ctx.save();
  ctx.globalAlpha = image.alpha ?? 1;
  ctx.imageSmoothingEnabled = image.smooth ?? true;
  // Tiles overlap by a fraction of a pixel so no seam shows between them.
  const pad = image.smooth === false ? 0 : 0.5;
  ctx.drawImage(image.image, x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
  ctx.restore();
}

function drawLine(ctx: CanvasRenderingContext2D, view: View, line: WorldLine) {
  const n = Math.min(line.x.length, line.z.length);
  if (n < 2) return;
  ctx.save();
  ctx.strokeStyle = line.color;
  ctx.globalAlpha = line.alpha ?? 1;
  ctx.lineWidth = line.width ?? 2;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < n; i++) {
    const x = line.x[i] as number;
    const z = line.z[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(z)) {
      pen = false;
      continue;
    }
    const [sx, sy] = worldToScreen(view, x, z);
    if (pen) ctx.lineTo(sx, sy);
    else ctx.moveTo(sx, sy);
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** Centre of a checkpoint (a gate's middle). */
export function checkpointCenter(cp: TrackCheckpoint): { x: number; z: number } {
  return cp.kind === 'gate' ? { x: (cp.a.x + cp.b.x) / 2, z: (cp.a.z + cp.b.z) / 2 } : cp;
}

function roleOf(track: Track, index: number): 'start' | 'finish' | 'checkpoint' {
  const cp = track.checkpoints[index] as TrackCheckpoint;
  if (cp.role) return cp.role;
  if (index === 0) return 'start';
  return index === track.checkpoints.length - 1 && !track.circuit ? 'finish' : 'checkpoint';
}

/** A gate: the line between its poles (dashed black and white at the finish), a dot on each pole; returns its middle. */
function drawGate(
  ctx: CanvasRenderingContext2D,
  view: View,
  cp: GateCheckpoint,
  finish: boolean,
): [number, number] {
  const [ax, ay] = worldToScreen(view, cp.a.x, cp.a.z);
  const [bx, by] = worldToScreen(view, cp.b.x, cp.b.z);
  ctx.lineWidth = 4;
  if (finish) ctx.setLineDash([6, 6]);
  ctx.beginPath();
  ctx.moveTo(ax, ay);
  ctx.lineTo(bx, by);
  ctx.stroke();
  if (finish) {
    ctx.strokeStyle = '#ffffff';
    ctx.lineDashOffset = 6;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  for (const [px, py] of [
    [ax, ay],
    [bx, by],
  ] as const) {
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, Math.PI * 2);
    ctx.fill();
  }
  return [(ax + bx) / 2, (ay + by) / 2];
}

/** One checkpoint: a sphere (circle, alternatives dashed) or a gate (line between its poles), and its label. */
function drawCheckpoint(
  ctx: CanvasRenderingContext2D,
  view: View,
  track: Track,
  index: number,
  labels: boolean,
) {
  const cp = track.checkpoints[index] as TrackCheckpoint;
  const role = roleOf(track, index);
  const color =
    role === 'start'
      ? MAP_COLORS.start
      : role === 'finish'
        ? MAP_COLORS.finish
        : MAP_COLORS.checkpoint;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  let labelX: number;
  let labelY: number;
  if (cp.kind === 'gate') {
    [labelX, labelY] = drawGate(ctx, view, cp, role === 'finish');
  } else {
    const [sx, sy] = worldToScreen(view, cp.x, cp.z);
    const r = Math.max(cp.r * view.scale, 4);
    ctx.globalAlpha = 0.16;
    ctx.beginPath();
    ctx.arc(sx, sy, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = role === 'checkpoint' ? 2 : 3;
    ctx.stroke();
    for (const alt of cp.alternatives ?? []) {
      const [axs, ays] = worldToScreen(view, alt.x, alt.z);
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.arc(axs, ays, Math.max(alt.r * view.scale, 4), 0, Math.PI * 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    labelX = sx;
    labelY = sy;
  }
  if (labels) {
    const text =
      role === 'start'
        ? track.circuit
          ? 'START/FINISH'
          : 'START'
        : role === 'finish'
          ? 'FINISH'
          : String(cp.id);
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(0,0,0,0.75)';
    ctx.strokeText(text, labelX, labelY);
    ctx.fillStyle = '#ffffff';
    ctx.fillText(text, labelX, labelY);
  }
  ctx.restore();
}

function drawTrack(ctx: CanvasRenderingContext2D, view: View, track: Track, labels: boolean) {
  if (track.referenceLine && track.referenceLine.length > 1) {
    drawLine(ctx, view, {
      color: MAP_COLORS.reference,
      x: track.referenceLine.map((r) => r[1]),
      z: track.referenceLine.map((r) => r[3]),
      width: 3,
    });
  }
  const centers = track.checkpoints.map(checkpointCenter);
  if (track.circuit && centers[0]) centers.push(centers[0]);
  ctx.save();
  ctx.setLineDash([6, 6]);
  drawLine(ctx, view, {
    color: MAP_COLORS.course,
    x: centers.map((c) => c.x),
    z: centers.map((c) => c.z),
    width: 1.5,
  });
  ctx.restore();
  for (const reset of track.resets ?? []) {
    const [sx, sy] = worldToScreen(view, reset.x, reset.z);
    ctx.save();
    ctx.strokeStyle = 'rgba(200,200,200,0.6)';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(sx - 4, sy - 4);
    ctx.lineTo(sx + 4, sy + 4);
    ctx.moveTo(sx + 4, sy - 4);
    ctx.lineTo(sx - 4, sy + 4);
    ctx.stroke();
    ctx.restore();
  }
  for (let index = 0; index < track.checkpoints.length; index++) {
    drawCheckpoint(ctx, view, track, index, labels);
  }
}

/** Radius of a racer marker, CSS pixels. */
export const MARKER_RADIUS = 7;

const LABEL_FONT = '600 12px system-ui, sans-serif';

/** Every racer's label box, placed so that none covers another (see {@link placeLabels}). */
function layoutLabels(
  ctx: CanvasRenderingContext2D,
  view: View,
  racers: readonly RacerMark[],
): (LabelBox | null)[] {
  ctx.save();
  ctx.font = LABEL_FONT;
  const requests = racers.map((racer, i) => {
    const [sx, sy] = worldToScreen(view, racer.x, racer.z);
    const rank = (racer.rank ?? 1e6) + (racer.faded ? 1e7 : 0) + i / 1e3;
    return { sx, sy, width: ctx.measureText(racer.label).width, rank };
  });
  ctx.restore();
  return placeLabels(requests, MARKER_RADIUS);
}

function drawRacerLabel(
  ctx: CanvasRenderingContext2D,
  view: View,
  racer: RacerMark,
  box: LabelBox,
) {
  ctx.save();
  ctx.globalAlpha = racer.faded ? 0.45 : 1;
  if (box.moved) {
    // A label moved off its marker's line keeps a thin leader to it.
    const [sx, sy] = worldToScreen(view, racer.x, racer.z);
    const toX = box.x > sx ? box.x : box.x + box.w;
    ctx.strokeStyle = racer.color;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(sx, sy);
    ctx.lineTo(toX, box.y + box.h / 2);
    ctx.stroke();
  }
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = 'rgba(11,14,19,0.78)';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  ctx.fillStyle = racer.color;
  ctx.fillRect(box.x, box.y, 2, box.h);
  ctx.fillStyle = '#ffffff';
  ctx.fillText(racer.label, box.x + 4, box.y + box.h / 2);
  ctx.restore();
}

function drawRacerMarker(ctx: CanvasRenderingContext2D, view: View, racer: RacerMark) {
  const [sx, sy] = worldToScreen(view, racer.x, racer.z);
  ctx.save();
  ctx.globalAlpha = racer.faded ? 0.45 : 1;
  ctx.beginPath();
  ctx.arc(sx, sy, MARKER_RADIUS, 0, Math.PI * 2);
  if (racer.ghost) {
    ctx.lineWidth = 3;
    ctx.strokeStyle = racer.color;
    ctx.stroke();
  } else {
    ctx.fillStyle = racer.color;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#0b0e13';
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * Draws the map: background, tiles, grid, heatmap, ghost paths, the track, trails and racers, in
 * that order (later on top). `ctx` is in CSS pixels (scale it for the device pixel ratio first).
 * Returns where each racer's name label went (`null`: left out of a bunch, or labels off), in
 * the order of `scene.racers`.
 */
export function drawScene(
  ctx: CanvasRenderingContext2D,
  view: View,
  scene: Scene,
  options: DrawOptions,
): (LabelBox | null)[] {
  let boxes: (LabelBox | null)[] = scene.racers.map(() => null);
  ctx.save();
  if (options.background === null) ctx.clearRect(0, 0, view.width, view.height);
  else {
    ctx.fillStyle = options.background;
    ctx.fillRect(0, 0, view.width, view.height);
  }
  for (const tile of scene.tiles ?? []) drawImage(ctx, view, tile);
  if (options.grid) drawGrid(ctx, view);
  if (scene.heat) drawImage(ctx, view, scene.heat);
  for (const ghost of scene.ghosts ?? []) drawLine(ctx, view, ghost);
  if (scene.track) drawTrack(ctx, view, scene.track, options.labels);
  for (const trail of scene.trails ?? []) drawLine(ctx, view, trail);
  // Labels first, markers over them: a racer is never hidden behind another's name.
  if (options.labels) {
    boxes = layoutLabels(ctx, view, scene.racers);
    scene.racers.forEach((racer, i) => {
      const box = boxes[i];
      if (box) drawRacerLabel(ctx, view, racer, box);
    });
  }
  for (const racer of scene.racers) drawRacerMarker(ctx, view, racer);
  drawScaleBar(ctx, view);
  ctx.restore();
  return boxes;
}
