import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseTiles,
  continentToWorld,
  fitView,
  INCHES_PER_METRE,
  type MapRects,
  panBy,
  screenToWorld,
  tileAt,
  tileZoomFor,
  type View,
  visibleTiles,
  worldToContinent,
  worldToScreen,
  zoomAt,
} from '../view-transform';

const view: View = { centerX: 100, centerZ: -50, scale: 2, width: 800, height: 600 };
// A map placement shaped as /v2/maps/{id} gives it (illustrative numbers, same aspect on both rects).
const gendarran: MapRects = {
  mapRect: [
    [-43008, -27648],
    [43008, 30720],
  ],
  continentRect: [
    [9856, 11648],
    [13440, 14080],
  ],
};
const tyria = { continentId: 1, floor: 1, minZoom: 0, maxZoom: 7, dims: [81920, 114688] as const };

describe('world and screen', () => {
  it('puts north up: a point further north (+Z) is higher on the screen', () => {
    const [, north] = worldToScreen(view, 100, 0);
    const [, south] = worldToScreen(view, 100, -100);
    expect(north).toBeLessThan(south);
    expect(worldToScreen(view, 100, -50)).toEqual([400, 300]);
    const [east] = worldToScreen(view, 200, -50);
    expect(east).toBe(600);
  });

  it('screenToWorld undoes worldToScreen', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e5, max: 1e5, noNaN: true }),
        fc.double({ min: -1e5, max: 1e5, noNaN: true }),
        (x, z) => {
          const [sx, sy] = worldToScreen(view, x, z);
          const [x2, z2] = screenToWorld(view, sx, sy);
          expect(x2).toBeCloseTo(x, 6);
          expect(z2).toBeCloseTo(z, 6);
        },
      ),
    );
  });

  it('fits bounds inside the canvas with padding', () => {
    const fitted = fitView({ minX: -100, maxX: 300, minZ: 0, maxZ: 100 }, 800, 600, 40);
    expect(fitted.scale).toBeCloseTo(720 / 400);
    const [left] = worldToScreen(fitted, -100, 50);
    const [right] = worldToScreen(fitted, 300, 50);
    expect(left).toBeCloseTo(40);
    expect(right).toBeCloseTo(760);
  });

  it('zooms around the pointer and pans with the drag', () => {
    const zoomed = zoomAt(view, 123, 456, 2);
    expect(screenToWorld(zoomed, 123, 456)[0]).toBeCloseTo(screenToWorld(view, 123, 456)[0]);
    expect(screenToWorld(zoomed, 123, 456)[1]).toBeCloseTo(screenToWorld(view, 123, 456)[1]);
    expect(zoomed.scale).toBe(4);
    const panned = panBy(view, 20, -10);
    expect(worldToScreen(panned, 100, -50)).toEqual([420, 290]);
  });
});

describe('continent coordinates', () => {
  it('maps the map rectangle onto the continent rectangle, north-west to north-west', () => {
    const [[mx1, my1], [mx2, my2]] = gendarran.mapRect;
    const nw = worldToContinent(gendarran, mx1 / INCHES_PER_METRE, my2 / INCHES_PER_METRE);
    const se = worldToContinent(gendarran, mx2 / INCHES_PER_METRE, my1 / INCHES_PER_METRE);
    expect(nw[0]).toBeCloseTo(9856);
    expect(nw[1]).toBeCloseTo(11648);
    expect(se[0]).toBeCloseTo(13440);
    expect(se[1]).toBeCloseTo(14080);
  });

  it('continentToWorld undoes worldToContinent', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -700, max: 700, noNaN: true }),
        (x, z) => {
          const [cx, cy] = worldToContinent(gendarran, x, z);
          const [x2, z2] = continentToWorld(gendarran, cx, cy);
          expect(x2).toBeCloseTo(x, 6);
          expect(z2).toBeCloseTo(z, 6);
        },
      ),
    );
  });

  it('picks the tile zoom whose pixels match the screen and lists the tiles in view', () => {
    // 1 continent unit per screen pixel: the deepest zoom.
    const unitsPerMetre = (3584 / 86016) * INCHES_PER_METRE;
    const oneToOne = { ...view, centerX: 0, centerZ: 0, scale: unitsPerMetre };
    expect(tileZoomFor(oneToOne, gendarran, tyria)).toBe(7);
    expect(tileZoomFor({ ...oneToOne, scale: unitsPerMetre / 4 }, gendarran, tyria)).toBe(5);
    const tiles = visibleTiles(oneToOne, gendarran, tyria);
    // 800×600 px at 256 px per tile: 4 to 5 tiles across, 3 to 4 down.
    expect(tiles.length).toBeGreaterThanOrEqual(12);
    expect(tiles.length).toBeLessThanOrEqual(20);
    for (const tile of tiles) {
      expect(tile.zoom).toBe(7);
      expect(tile.east).toBeGreaterThan(tile.west);
      expect(tile.north).toBeGreaterThan(tile.south);
    }
    // The map's centre is inside one of them.
    const [cx, cy] = worldToContinent(gendarran, 0, 0);
    expect(tiles.some((t) => Math.floor(cx / 256) === t.tx && Math.floor(cy / 256) === t.ty)).toBe(
      true,
    );
  });
});

describe('which tiles to draw while some are still loading', () => {
  const unitsPerMetre = (3584 / 86016) * INCHES_PER_METRE;
  // An export view at 1 continent unit per pixel (zoom 7), as a 1280×720 PNG would ask.
  const exportView = { centerX: 0, centerZ: 0, scale: unitsPerMetre, width: 1280, height: 720 };
  const wanted = visibleTiles(exportView, gendarran, tyria);
  const key = (z: number, x: number, y: number) => `${z}/${x}/${y}`;
  const loadedOf = (keys: Iterable<string>) => {
    const set = new Set(keys);
    return (z: number, x: number, y: number) => set.has(key(z, x, y));
  };
  const keys = (tiles: { zoom: number; tx: number; ty: number }[]) =>
    tiles.map((t) => key(t.zoom, t.tx, t.ty));

  it('draws the wanted tiles when all are loaded', () => {
    const chosen = chooseTiles(wanted, loadedOf(keys(wanted)), gendarran, tyria);
    expect(keys(chosen).sort()).toEqual(keys(wanted).sort());
  });

  it('falls back to the parent tile one zoom coarser, scaled over the same place', () => {
    // Only what the on-screen map (half the size: zoom 6) has loaded.
    const parents = new Set(wanted.map((t) => key(6, t.tx >> 1, t.ty >> 1)));
    const chosen = chooseTiles(wanted, loadedOf(parents), gendarran, tyria);
    expect(new Set(keys(chosen))).toEqual(parents);
    for (const tile of chosen) {
      const same = tileAt(gendarran, tyria, 6, tile.tx, tile.ty);
      expect(tile).toEqual(same);
      // A parent covers its four children exactly.
      const child = tileAt(gendarran, tyria, 7, tile.tx * 2, tile.ty * 2);
      expect(child.west).toBeCloseTo(tile.west, 6);
      expect(child.north).toBeCloseTo(tile.north, 6);
    }
  });

  it('keeps the loaded wanted tiles and fills the holes, coarser ones first (drawn under)', () => {
    const [first, ...rest] = wanted;
    if (!first) throw new Error('no tiles');
    const loaded = [key(7, first.tx, first.ty), ...rest.map((t) => key(6, t.tx >> 1, t.ty >> 1))];
    const chosen = chooseTiles(wanted, loadedOf(loaded), gendarran, tyria);
    expect(keys(chosen)).toContain(key(7, first.tx, first.ty));
    expect(chosen.map((t) => t.zoom)).toEqual([...chosen.map((t) => t.zoom)].sort((a, b) => a - b));
    expect(chosen.at(-1)?.zoom).toBe(7);
    expect(new Set(keys(chosen)).size).toBe(chosen.length);
  });

  it('uses loaded finer tiles, then ancestors further up, and leaves uncovered places out', () => {
    const tile = wanted[0];
    if (!tile) throw new Error('no tiles');
    const zoom6 = visibleTiles({ ...exportView, scale: unitsPerMetre / 2 }, gendarran, tyria);
    const coarse = zoom6[0];
    if (coarse?.zoom !== 6) throw new Error('expected zoom 6 tiles');
    const child = key(7, coarse.tx * 2 + 1, coarse.ty * 2);
    expect(keys(chooseTiles([coarse], loadedOf([child]), gendarran, tyria))).toEqual([child]);
    const grand = key(5, tile.tx >> 2, tile.ty >> 2);
    expect(keys(chooseTiles([tile], loadedOf([grand]), gendarran, tyria))).toEqual([grand]);
    expect(chooseTiles(wanted, () => false, gendarran, tyria)).toEqual([]);
  });
});
