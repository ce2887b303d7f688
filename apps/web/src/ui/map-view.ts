import {
  boundsOf,
  fitView,
  panBy,
  resizeView,
  type View,
  type WorldBounds,
  worldToScreen,
  zoomAt,
} from '@gw2race/race-analysis';
import {
  type DrawOptions,
  drawScene,
  MAP_COLORS,
  type Scene,
  TileLayer,
  type TilesReady,
} from '@gw2race/race-map';
import { browserTileEnv } from '../render/tile-env';
import { h, sizeCanvas } from './dom';
import { hook } from './test-hook';

/** Options of the map view. */
export interface MapViewOptions {
  /** Transparent background (the OBS overlay). */
  readonly transparent?: boolean;
  /** `?tiles=off` (or no map id): never request GW2 tiles. */
  readonly tiles: boolean;
  /** Draw the metre grid when there are no tiles (default true; off on the overlay). */
  readonly grid?: boolean;
}

/**
 * The map: a canvas of our own (so screenshots and videos are the same drawing), with GW2 tiles
 * on a canvas below it. Drag to pan, wheel to zoom, double-click to fit.
 */
export class MapView {
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  private readonly tileCanvas: HTMLCanvasElement;
  readonly tiles: TileLayer;
  view: View = { centerX: 0, centerZ: 0, scale: 1, width: 300, height: 200 };
  labels = true;
  private bounds: WorldBounds | undefined;
  private moved = false;
  private dirty = true;
  private readonly status: HTMLDivElement;

  constructor(private readonly options: MapViewOptions) {
    this.canvas = h('canvas', { class: 'map-canvas', 'aria-label': 'race map' });
    this.tileCanvas = h('canvas', { class: 'map-tiles', 'aria-hidden': 'true' });
    this.status = h('div', { class: 'map-status' });
    this.element = h('div', { class: 'map' }, this.tileCanvas, this.canvas, this.status);
    this.tiles = new TileLayer(browserTileEnv(), () => {
      this.dirty = true;
      this.showStatus();
    });
    this.attachInput();
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** Asks for a redraw on the next frame. */
  invalidate(): void {
    this.dirty = true;
  }

  /** True once since the last call when something asked for a redraw. */
  takeDirty(): boolean {
    const d = this.dirty;
    this.dirty = false;
    return d;
  }

  /** Uses GW2 tiles of a map, if tiles are allowed; probes the API once. */
  useMap(mapId: number | undefined): void {
    if (!this.options.tiles || mapId === undefined) {
      this.showStatus();
      return;
    }
    void this.tiles.probe(mapId);
  }

  private showStatus() {
    const s = this.tiles.status;
    const text =
      s === 'probing'
        ? 'loading GW2 map…'
        : s === 'unavailable'
          ? 'GW2 map tiles unavailable (offline?): local coordinates'
          : s === 'on'
            ? `${this.tiles.placement?.name ?? ''} · map © ArenaNet${this.tiles.exportable ? '' : ' (not in exports)'}`
            : this.options.tiles
              ? 'local coordinates (metres)'
              : 'local coordinates (metres) · tiles off';
    this.status.textContent = text;
  }

  /** Sets what "fit" shows; fits now unless the user moved the map. */
  setBounds(bounds: WorldBounds | undefined): void {
    this.bounds = bounds;
    if (!this.moved && bounds) this.fit();
  }

  /** Shows the whole track and racers. */
  fit(): void {
    this.moved = false;
    if (this.bounds) this.view = fitView(this.bounds, this.view.width, this.view.height);
    this.dirty = true;
  }

  private resize() {
    const rect = this.element.getBoundingClientRect();
    const width = Math.max(50, Math.round(rect.width));
    const height = Math.max(50, Math.round(rect.height));
    if (width === this.view.width && height === this.view.height) return;
    this.view = resizeView(this.view, width, height);
    if (!this.moved && this.bounds) this.view = fitView(this.bounds, width, height);
    this.dirty = true;
  }

  private attachInput() {
    let drag: { x: number; y: number; id: number } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      this.view = panBy(this.view, e.clientX - drag.x, e.clientY - drag.y);
      drag = { ...drag, x: e.clientX, y: e.clientY };
      this.moved = true;
      this.dirty = true;
    });
    const end = () => {
      drag = undefined;
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = this.canvas.getBoundingClientRect();
        this.view = zoomAt(
          this.view,
          e.clientX - rect.left,
          e.clientY - rect.top,
          Math.exp(-e.deltaY * 0.0015),
        );
        this.moved = true;
        this.dirty = true;
      },
      { passive: false },
    );
    this.canvas.addEventListener('dblclick', () => this.fit());
  }

  private drawOptions(transparent: boolean): DrawOptions {
    return {
      background: transparent ? null : MAP_COLORS.background,
      grid: this.tiles.status !== 'on' && this.options.grid !== false,
      labels: this.labels,
    };
  }

  /** Draws a scene now. */
  render(scene: Scene): void {
    const { width, height } = this.view;
    const tiles = this.tiles.tiles(this.view);
    const bg = sizeCanvas(this.tileCanvas, width, height);
    bg.clearRect(0, 0, width, height);
    if (!this.options.transparent) {
      bg.fillStyle = MAP_COLORS.background;
      bg.fillRect(0, 0, width, height);
    }
    if (tiles.length > 0) {
      drawScene(
        bg,
        this.view,
        { track: null, tiles, racers: [] },
        { background: null, grid: false, labels: false },
      );
    }
    const ctx = sizeCanvas(this.canvas, width, height);
    const boxes = drawScene(ctx, this.view, scene, { ...this.drawOptions(true), background: null });
    hook.labels = scene.racers.flatMap((racer, i) => {
      const box = boxes[i];
      return box ? [{ playerId: racer.playerId, x: box.x, y: box.y, w: box.w, h: box.h }] : [];
    });
  }

  /**
   * The scene drawn on a new canvas of the given size (the same view, refitted if the size
   * differs), with tiles when they may be exported: for PNG screenshots and video frames.
   */
  renderTo(
    ctx: CanvasRenderingContext2D,
    width: number,
    height: number,
    scene: Scene,
    view?: View,
  ): View {
    const v = view ?? this.exportView(width, height);
    const tiles = this.tiles.tiles(v, true);
    drawScene(ctx, v, { ...scene, tiles }, this.drawOptions(Boolean(this.options.transparent)));
    return v;
  }

  /**
   * Loads the tiles an export view needs (PNG, video) before it is drawn, waiting at most
   * `timeoutMs`; resolves at once when tiles are off, unavailable or not exportable.
   */
  prepareExport(view: View, timeoutMs = 5000): Promise<TilesReady> {
    if (!this.options.tiles) return Promise.resolve({ wanted: 0, loaded: 0 });
    return this.tiles.whenLoaded(view, timeoutMs);
  }

  /** The current view scaled to another canvas size (same centre, same area shown). */
  exportView(width: number, height: number): View {
    const factor = Math.min(width / this.view.width, height / this.view.height);
    return { ...this.view, width, height, scale: this.view.scale * factor };
  }

  /** Screen position of a world point in the visible canvas (CSS pixels). */
  toScreen(x: number, z: number): [number, number] {
    return worldToScreen(this.view, x, z);
  }
}

export { boundsOf };
