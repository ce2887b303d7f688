import {
  chooseTiles,
  type MapRects,
  type TilePyramid,
  type View,
  visibleTiles,
} from '@gw2race/race-analysis';
import type { WorldImage } from './map-renderer';

/** Where GW2's map data comes from (ArenaNet's public API). */
export const GW2_API = 'https://api.guildwars2.com/v2';
/** ArenaNet's map tile service (`/{continent}/{floor}/{zoom}/{x}/{y}.jpg`). */
export const GW2_TILES = 'https://tiles.guildwars2.com';

/** A map's placement on its continent, from the GW2 API. */
export interface MapPlacement {
  readonly mapId: number;
  readonly name: string;
  readonly rects: MapRects;
  readonly pyramid: TilePyramid;
}

type Pair = [number, number];
const isPair = (v: unknown): v is Pair =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
const isRect = (v: unknown): v is [Pair, Pair] =>
  Array.isArray(v) && v.length === 2 && isPair(v[0]) && isPair(v[1]);

/** Reads `/v2/maps/{id}` and `/v2/continents/{id}` answers; `undefined` when they do not fit. */
export function parseMapPlacement(
  mapJson: unknown,
  continentJson: unknown,
): MapPlacement | undefined {
  if (typeof mapJson !== 'object' || mapJson === null) return undefined;
  if (typeof continentJson !== 'object' || continentJson === null) return undefined;
  const map = mapJson as Record<string, unknown>;
  const continent = continentJson as Record<string, unknown>;
  if (!isRect(map.map_rect) || !isRect(map.continent_rect)) return undefined;
  if (typeof map.id !== 'number' || typeof map.continent_id !== 'number') return undefined;
  if (!isPair(continent.continent_dims)) return undefined;
  const minZoom = typeof continent.min_zoom === 'number' ? continent.min_zoom : 0;
  const maxZoom = typeof continent.max_zoom === 'number' ? continent.max_zoom : 7;
  const floor = typeof map.default_floor === 'number' ? map.default_floor : 1;
  const [m0, m1] = map.map_rect;
  const [c0, c1] = map.continent_rect;
  if (m1[0] === m0[0] || m1[1] === m0[1] || c1[0] === c0[0] || c1[1] === c0[1]) return undefined;
  return {
    mapId: map.id,
    name: typeof map.name === 'string' ? map.name : `map ${map.id}`,
    rects: { mapRect: map.map_rect, continentRect: map.continent_rect },
    pyramid: {
      continentId: map.continent_id,
      floor,
      minZoom,
      maxZoom,
      dims: continent.continent_dims,
    },
  };
}

/** How the tile layer stands. */
export type TileStatus = 'off' | 'probing' | 'on' | 'unavailable';

/**
 * What the tile layer needs from its host: HTTP, image loading and a timer. The package itself
 * never touches `fetch`, `Image`, `document`, `window` or timers; a browser passes thin wrappers
 * around them (the README shows one), a test passes fakes.
 */
export interface TileLayerEnv {
  /** GETs `url` and parses its JSON body; rejects on an HTTP error, a network failure or `signal`. */
  fetchJson(url: string, signal: AbortSignal): Promise<unknown>;
  /**
   * Starts loading an image (with an anonymous CORS request when `cors`), calls `done(true)` once
   * it loaded or `done(false)` when it failed, and returns it for drawing.
   */
  loadImage(url: string, cors: boolean, done: (loaded: boolean) => void): CanvasImageSource;
  /** Runs `fn` after `ms` milliseconds; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

interface TileEntry {
  readonly image: CanvasImageSource;
  loaded: boolean;
  failed: boolean;
  /** Resolves once the tile loaded or failed. */
  readonly settled: Promise<void>;
}

/** How waiting for an export's tiles went. */
export interface TilesReady {
  /** Tiles the view wants, and how many of them loaded in time. */
  readonly wanted: number;
  readonly loaded: number;
}

/**
 * GW2 map tiles behind the track. Probes the API once (a few seconds at most); offline, or with
 * `?tiles=off`, it stays out of the way: no request is made and nothing broken is ever shown,
 * because tiles are painted on the canvas only once they have loaded.
 *
 * Tiles are requested with CORS so the canvas stays exportable (PNG, video). If the tile server
 * refuses CORS, tiles are loaded plainly for display and left out of exports (`exportable`).
 * HTTP, images and timers come from the {@link TileLayerEnv} it is given.
 */
export class TileLayer {
  status: TileStatus = 'off';
  placement: MapPlacement | undefined;
  /** False when tiles had to be loaded without CORS: exports then leave them out. */
  exportable = true;
  private readonly cache = new Map<string, TileEntry>();
  private corsFailures = 0;
  private corsSuccesses = 0;
  private probing: Promise<TileStatus> | undefined;

  /**
   * @param env how to fetch, load images and wait ({@link TileLayerEnv})
   * @param onChange called whenever a redraw would show something new (status, a tile loaded)
   */
  constructor(
    private readonly env: TileLayerEnv,
    private readonly onChange: () => void,
  ) {}

  /** Looks the map up; resolves to the status. Never throws. */
  probe(mapId: number, timeoutMs = 5000): Promise<TileStatus> {
    this.probing = this.runProbe(mapId, timeoutMs);
    return this.probing;
  }

  private async runProbe(mapId: number, timeoutMs: number): Promise<TileStatus> {
    if (this.placement?.mapId === mapId && this.status === 'on') return this.status;
    this.status = 'probing';
    this.onChange();
    const controller = new AbortController();
    const cancel = this.env.schedule(() => controller.abort(), timeoutMs);
    try {
      const get = (url: string) => this.env.fetchJson(url, controller.signal);
      const map = await get(`${GW2_API}/maps/${mapId}`);
      const continentId = (map as { continent_id?: unknown }).continent_id;
      if (typeof continentId !== 'number') throw new Error('no continent');
      const continent = await get(`${GW2_API}/continents/${continentId}`);
      this.placement = parseMapPlacement(map, continent);
      this.status = this.placement ? 'on' : 'unavailable';
    } catch {
      this.status = 'unavailable';
    } finally {
      cancel();
    }
    this.onChange();
    return this.status;
  }

  /** Turns tiles off (nothing more is requested). */
  disable(): void {
    this.status = 'off';
    this.onChange();
  }

  private url(zoom: number, tx: number, ty: number): string {
    const p = this.placement?.pyramid;
    return `${GW2_TILES}/${p?.continentId}/${p?.floor}/${zoom}/${tx}/${ty}.jpg`;
  }

  private load(key: string, url: string): TileEntry {
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const cors = this.exportable;
    const entry: { image?: CanvasImageSource; loaded: boolean; failed: boolean } = {
      loaded: false,
      failed: false,
    };
    const done = (loaded: boolean) => {
      settle();
      if (loaded) {
        entry.loaded = true;
        if (cors) this.corsSuccesses++;
        this.onChange();
        return;
      }
      entry.failed = true;
      if (cors) this.corsFailed();
    };
    const image = this.env.loadImage(url, cors, done);
    const tile: TileEntry = Object.assign(entry, { image, settled });
    this.cache.set(key, tile);
    return tile;
  }

  /** Every CORS request failing while none worked: the server does not allow CORS. */
  private corsFailed(): void {
    this.corsFailures++;
    if (this.corsFailures >= 4 && this.corsSuccesses === 0) {
      this.exportable = false;
      for (const [k, e] of this.cache) if (e.failed) this.cache.delete(k);
      this.onChange();
    }
  }

  /** Requests the tiles a view wants (those not asked for yet) and returns their entries. */
  private request(view: View): TileEntry[] {
    if (!this.placement) return [];
    const entries: TileEntry[] = [];
    for (const tile of visibleTiles(view, this.placement.rects, this.placement.pyramid)) {
      const key = `${tile.zoom}/${tile.tx}/${tile.ty}`;
      entries.push(this.cache.get(key) ?? this.load(key, this.url(tile.zoom, tile.tx, tile.ty)));
    }
    return entries;
  }

  /**
   * The loaded tiles covering the view (and requests the missing ones). Where a tile of the
   * view's zoom has not loaded yet, the nearest loaded zoom is drawn there instead, scaled
   * ({@link chooseTiles}): zooming, or an export bigger than the screen, shows the coarser
   * picture rather than a hole.
   */
  tiles(view: View, forExport = false): WorldImage[] {
    if (this.status !== 'on' || !this.placement) return [];
    if (forExport && !this.exportable) return [];
    const { rects, pyramid } = this.placement;
    this.request(view);
    const entryOf = (zoom: number, tx: number, ty: number) => this.cache.get(`${zoom}/${tx}/${ty}`);
    const out: WorldImage[] = [];
    const wanted = visibleTiles(view, rects, pyramid);
    for (const tile of chooseTiles(
      wanted,
      (z, x, y) => entryOf(z, x, y)?.loaded === true,
      rects,
      pyramid,
    )) {
      const entry = entryOf(tile.zoom, tile.tx, tile.ty);
      if (entry?.loaded) out.push({ image: entry.image, ...tile, smooth: true });
    }
    if (this.cache.size > 600) {
      for (const [key, entry] of this.cache) {
        if (this.cache.size <= 400) break;
        if (entry.loaded || entry.failed) this.cache.delete(key);
      }
    }
    return out;
  }

  /**
   * Waits (at most `timeoutMs`) until the tiles an export view wants have loaded or failed,
   * after the map probe if it is still running: a PNG or the first video frame then has its
   * tiles, not only those the screen happened to load. Whatever is missing at the timeout is
   * drawn from the nearest loaded zoom, or left out. Never throws.
   */
  async whenLoaded(view: View, timeoutMs = 5000): Promise<TilesReady> {
    let cancel = () => {};
    const timeout = new Promise<'timeout'>((resolve) => {
      cancel = this.env.schedule(() => resolve('timeout'), timeoutMs);
    });
    try {
      if (this.status === 'probing' && this.probing) await Promise.race([this.probing, timeout]);
      if (this.status !== 'on' || !this.exportable) return { wanted: 0, loaded: 0 };
      const entries = this.request(view);
      await Promise.race([Promise.all(entries.map((e) => e.settled)), timeout]);
      return { wanted: entries.length, loaded: entries.filter((e) => e.loaded).length };
    } finally {
      cancel();
    }
  }
}
