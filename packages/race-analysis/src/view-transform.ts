/**
 * Where things go on the map. The world is MumbleLink's: metres, X east–west, Z north–south
 * (north is +Z), Y up, which a top-down map ignores. The screen has north up, so screen y grows
 * with −Z. GW2's continent coordinates (for map tiles) also have north up and y growing south,
 * so the two views differ only by a scale and an offset per axis.
 */

/** Inches per metre: the game's unit is the inch, MumbleLink's the metre. */
export const INCHES_PER_METRE = 39.3701;

/** A rectangle in the world plane (metres): x east, z north. */
export interface WorldBounds {
  readonly minX: number;
  readonly maxX: number;
  readonly minZ: number;
  readonly maxZ: number;
}

/** A view of the world: the world point at the centre of the canvas and the zoom. */
export interface View {
  /** World point at the centre of the canvas. */
  readonly centerX: number;
  readonly centerZ: number;
  /** Pixels per metre. */
  readonly scale: number;
  /** Canvas size in CSS pixels. */
  readonly width: number;
  readonly height: number;
}

/** Screen position (CSS pixels from the canvas's top left) of a world point. */
export function worldToScreen(view: View, x: number, z: number): [number, number] {
  return [
    (x - view.centerX) * view.scale + view.width / 2,
    (view.centerZ - z) * view.scale + view.height / 2,
  ];
}

/** World point under a screen position. */
export function screenToWorld(view: View, sx: number, sy: number): [number, number] {
  return [
    (sx - view.width / 2) / view.scale + view.centerX,
    view.centerZ - (sy - view.height / 2) / view.scale,
  ];
}

/** Bounds of a set of points (and circles around them); `undefined` when there are none. */
export function boundsOf(
  points: Iterable<{ readonly x: number; readonly z: number; readonly r?: number }>,
): WorldBounds | undefined {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minZ = Number.POSITIVE_INFINITY;
  let maxZ = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.z)) continue;
    const r = p.r ?? 0;
    minX = Math.min(minX, p.x - r);
    maxX = Math.max(maxX, p.x + r);
    minZ = Math.min(minZ, p.z - r);
    maxZ = Math.max(maxZ, p.z + r);
  }
  return minX <= maxX ? { minX, maxX, minZ, maxZ } : undefined;
}

/** The smallest bounds holding both. */
export function unionBounds(a: WorldBounds | undefined, b: WorldBounds | undefined) {
  if (!a) return b;
  if (!b) return a;
  return {
    minX: Math.min(a.minX, b.minX),
    maxX: Math.max(a.maxX, b.maxX),
    minZ: Math.min(a.minZ, b.minZ),
    maxZ: Math.max(a.maxZ, b.maxZ),
  };
}

/** The view that shows `bounds` whole in a canvas, with `padding` pixels around. */
export function fitView(bounds: WorldBounds, width: number, height: number, padding = 40): View {
  const w = Math.max(bounds.maxX - bounds.minX, 1);
  const h = Math.max(bounds.maxZ - bounds.minZ, 1);
  const usableW = Math.max(width - 2 * padding, 10);
  const usableH = Math.max(height - 2 * padding, 10);
  return {
    centerX: (bounds.minX + bounds.maxX) / 2,
    centerZ: (bounds.minZ + bounds.maxZ) / 2,
    scale: Math.min(usableW / w, usableH / h),
    width,
    height,
  };
}

/** Zooms by `factor` keeping the world point under (sx, sy) where it is. */
export function zoomAt(view: View, sx: number, sy: number, factor: number): View {
  const [wx, wz] = screenToWorld(view, sx, sy);
  const scale = Math.min(Math.max(view.scale * factor, 0.005), 500);
  const next = { ...view, scale };
  const [ax, az] = screenToWorld(next, sx, sy);
  return { ...next, centerX: view.centerX + (wx - ax), centerZ: view.centerZ + (wz - az) };
}

/** Moves the view by a drag of (dx, dy) pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return {
    ...view,
    centerX: view.centerX - dx / view.scale,
    centerZ: view.centerZ + dy / view.scale,
  };
}

/** The same view on a canvas of another size (the centre and zoom stay). */
export function resizeView(view: View, width: number, height: number): View {
  return { ...view, width, height };
}

/** A map's rectangles from the GW2 API (`/v2/maps/{id}`). */
export interface MapRects {
  /** Map coordinates (inches), south-west then north-east corner: y grows northwards. */
  readonly mapRect: readonly [readonly [number, number], readonly [number, number]];
  /** Continent coordinates, north-west then south-east corner: y grows southwards. */
  readonly continentRect: readonly [readonly [number, number], readonly [number, number]];
}

/** Continent coordinates of a world point (MumbleLink metres) on a map. */
export function worldToContinent(rects: MapRects, x: number, z: number): [number, number] {
  const [[mx1, my1], [mx2, my2]] = rects.mapRect;
  const [[cx1, cy1], [cx2, cy2]] = rects.continentRect;
  const ix = x * INCHES_PER_METRE;
  const iy = z * INCHES_PER_METRE;
  return [
    cx1 + ((ix - mx1) / (mx2 - mx1)) * (cx2 - cx1),
    cy1 + ((my2 - iy) / (my2 - my1)) * (cy2 - cy1),
  ];
}

/** World point (MumbleLink metres) of continent coordinates on a map. */
export function continentToWorld(rects: MapRects, cx: number, cy: number): [number, number] {
  const [[mx1, my1], [mx2, my2]] = rects.mapRect;
  const [[cx1, cy1], [cx2, cy2]] = rects.continentRect;
  const ix = mx1 + ((cx - cx1) / (cx2 - cx1)) * (mx2 - mx1);
  const iy = my2 - ((cy - cy1) / (cy2 - cy1)) * (my2 - my1);
  return [ix / INCHES_PER_METRE, iy / INCHES_PER_METRE];
}

/** Continent units per metre along x (the same along y on every real map, up to rounding). */
export function continentUnitsPerMetre(rects: MapRects): number {
  const [[mx1], [mx2]] = rects.mapRect;
  const [[cx1], [cx2]] = rects.continentRect;
  return Math.abs((cx2 - cx1) / (mx2 - mx1)) * INCHES_PER_METRE;
}

/** A continent's tile pyramid (from `/v2/continents/{id}`). */
export interface TilePyramid {
  readonly continentId: number;
  readonly floor: number;
  readonly minZoom: number;
  readonly maxZoom: number;
  /** Continent size in continent units (the pixels of the deepest zoom). */
  readonly dims: readonly [number, number];
}

/** One 256-pixel tile to draw and where, in world metres. */
export interface TileRef {
  readonly zoom: number;
  readonly tx: number;
  readonly ty: number;
  /** The tile's north-west and south-east corners in the world. */
  readonly west: number;
  readonly north: number;
  readonly east: number;
  readonly south: number;
}

/** The tile zoom whose pixels are closest to (and not coarser than) the screen's. */
export function tileZoomFor(view: View, rects: MapRects, pyramid: TilePyramid): number {
  const screenPxPerUnit = view.scale / continentUnitsPerMetre(rects);
  const zoom = Math.ceil(pyramid.maxZoom + Math.log2(screenPxPerUnit));
  return Math.min(Math.max(zoom, pyramid.minZoom), pyramid.maxZoom);
}

/** The tiles that cover the view, at the zoom that suits it; at most `limit` of them. */
export function visibleTiles(
  view: View,
  rects: MapRects,
  pyramid: TilePyramid,
  limit = 256,
): TileRef[] {
  const zoom = tileZoomFor(view, rects, pyramid);
  const unitsPerTile = 256 * 2 ** (pyramid.maxZoom - zoom);
  const corners = [screenToWorld(view, 0, 0), screenToWorld(view, view.width, view.height)].map(
    ([x, z]) => worldToContinent(rects, x, z),
  );
  const [nw, se] = corners as [[number, number], [number, number]];
  const maxTx = Math.ceil(pyramid.dims[0] / unitsPerTile) - 1;
  const maxTy = Math.ceil(pyramid.dims[1] / unitsPerTile) - 1;
  const x0 = Math.max(0, Math.floor(Math.min(nw[0], se[0]) / unitsPerTile));
  const x1 = Math.min(maxTx, Math.floor(Math.max(nw[0], se[0]) / unitsPerTile));
  const y0 = Math.max(0, Math.floor(Math.min(nw[1], se[1]) / unitsPerTile));
  const y1 = Math.min(maxTy, Math.floor(Math.max(nw[1], se[1]) / unitsPerTile));
  const tiles: TileRef[] = [];
  for (let ty = y0; ty <= y1; ty++) {
    for (let tx = x0; tx <= x1; tx++) {
      if (tiles.length >= limit) return tiles;
      tiles.push(tileAt(rects, pyramid, zoom, tx, ty));
    }
  }
  return tiles;
}

/** A tile of the pyramid and where it lies in the world. */
export function tileAt(
  rects: MapRects,
  pyramid: TilePyramid,
  zoom: number,
  tx: number,
  ty: number,
): TileRef {
  const unitsPerTile = 256 * 2 ** (pyramid.maxZoom - zoom);
  const [west, north] = continentToWorld(rects, tx * unitsPerTile, ty * unitsPerTile);
  const [east, south] = continentToWorld(rects, (tx + 1) * unitsPerTile, (ty + 1) * unitsPerTile);
  return { zoom, tx, ty, west, north, east, south };
}

/**
 * The tiles to draw for the tiles a view wants, given which are loaded: each wanted tile itself
 * when loaded, else the nearest loaded zoom that covers its place — its parent one zoom coarser
 * (drawn scaled up), else its loaded children one zoom finer, else an ancestor further up. A
 * place nothing loaded covers is left out (the background shows). Coarser tiles come first, so
 * finer ones are drawn over them; none is listed twice.
 */
export function chooseTiles(
  wanted: readonly TileRef[],
  isLoaded: (zoom: number, tx: number, ty: number) => boolean,
  rects: MapRects,
  pyramid: TilePyramid,
): TileRef[] {
  const chosen = new Map<string, TileRef>();
  const add = (tile: TileRef) => chosen.set(`${tile.zoom}/${tile.tx}/${tile.ty}`, tile);
  for (const tile of wanted) {
    if (isLoaded(tile.zoom, tile.tx, tile.ty)) {
      add(tile);
      continue;
    }
    const parentAt = (d: number) => {
      const zoom = tile.zoom - d;
      if (zoom < pyramid.minZoom) return false;
      const tx = Math.floor(tile.tx / 2 ** d);
      const ty = Math.floor(tile.ty / 2 ** d);
      if (!isLoaded(zoom, tx, ty)) return false;
      add(tileAt(rects, pyramid, zoom, tx, ty));
      return true;
    };
    if (parentAt(1)) continue;
    if (tile.zoom + 1 <= pyramid.maxZoom) {
      let any = false;
      for (const [i, j] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const tx = tile.tx * 2 + i;
        const ty = tile.ty * 2 + j;
        if (isLoaded(tile.zoom + 1, tx, ty)) {
          add(tileAt(rects, pyramid, tile.zoom + 1, tx, ty));
          any = true;
        }
      }
      if (any) continue;
    }
    for (let d = 2; tile.zoom - d >= pyramid.minZoom; d++) if (parentAt(d)) break;
  }
  return [...chosen.values()].sort((a, b) => a.zoom - b.zoom);
}
