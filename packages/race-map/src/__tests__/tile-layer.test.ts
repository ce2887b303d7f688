import { describe, expect, it } from 'vitest';
import { GW2_API, GW2_TILES, parseMapPlacement, TileLayer, type TileLayerEnv } from '../tile-layer';

describe('GW2 map placement', () => {
  const map = {
    id: 24,
    name: 'Gendarran Fields',
    continent_id: 1,
    default_floor: 1,
    map_rect: [
      [-1, -2],
      [3, 4],
    ],
    continent_rect: [
      [10, 20],
      [30, 40],
    ],
  };
  const continent = { id: 1, continent_dims: [81920, 114688], min_zoom: 0, max_zoom: 7 };
  it('reads the API answers', () => {
    expect(parseMapPlacement(map, continent)).toEqual({
      mapId: 24,
      name: 'Gendarran Fields',
      rects: { mapRect: map.map_rect, continentRect: map.continent_rect },
      pyramid: { continentId: 1, floor: 1, minZoom: 0, maxZoom: 7, dims: [81920, 114688] },
    });
  });
  it('refuses answers it cannot place a map with', () => {
    expect(
      parseMapPlacement(
        {
          ...map,
          map_rect: [
            [0, 0],
            [0, 4],
          ],
        },
        continent,
      ),
    ).toBeUndefined();
    expect(parseMapPlacement({ ...map, continent_rect: 'x' }, continent)).toBeUndefined();
    expect(parseMapPlacement(map, {})).toBeUndefined();
    expect(parseMapPlacement(null, continent)).toBeUndefined();
  });
});

describe('TileLayer with an injected environment', () => {
  const mapJson = {
    id: 24,
    name: 'Gendarran Fields',
    continent_id: 1,
    default_floor: 1,
    map_rect: [
      [-1000, -1000],
      [1000, 1000],
    ],
    continent_rect: [
      [10000, 10000],
      [12000, 12000],
    ],
  };
  const continentJson = { id: 1, continent_dims: [81920, 114688], min_zoom: 0, max_zoom: 7 };

  function fakeEnv(answers: Record<string, unknown>) {
    const images: { url: string; cors: boolean; done: (ok: boolean) => void }[] = [];
    const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
    const env: TileLayerEnv = {
      fetchJson: (url) =>
        url in answers ? Promise.resolve(answers[url]) : Promise.reject(new Error('404')),
      loadImage(url, cors, done) {
        images.push({ url, cors, done });
        return { url } as unknown as CanvasImageSource;
      },
      schedule(fn, ms) {
        const timer = { fn, ms, cancelled: false };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    };
    return { env, images, timers };
  }
  const view = { centerX: 0, centerZ: 0, scale: 1, width: 200, height: 200 };

  it('probes the API, requests tiles through the loader, draws only loaded ones', async () => {
    const { env, images, timers } = fakeEnv({
      [`${GW2_API}/maps/24`]: mapJson,
      [`${GW2_API}/continents/1`]: continentJson,
    });
    let changes = 0;
    const layer = new TileLayer(env, () => changes++);
    expect(await layer.probe(24)).toBe('on');
    expect(layer.placement?.name).toBe('Gendarran Fields');
    expect(timers[0]?.ms).toBe(5000);
    expect(timers[0]?.cancelled).toBe(true);
    expect(layer.tiles(view)).toEqual([]);
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((i) => i.cors && i.url.startsWith(`${GW2_TILES}/1/1/`))).toBe(true);
    const before = changes;
    images[0]?.done(true);
    expect(changes).toBe(before + 1);
    const drawn = layer.tiles(view);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.image).toEqual({ url: images[0]?.url });
  });

  it('goes unavailable offline, and stops asking for CORS when the server refuses it', async () => {
    const offline = new TileLayer(fakeEnv({}).env, () => {});
    expect(await offline.probe(24)).toBe('unavailable');

    const { env, images } = fakeEnv({
      [`${GW2_API}/maps/24`]: mapJson,
      [`${GW2_API}/continents/1`]: continentJson,
    });
    const layer = new TileLayer(env, () => {});
    await layer.probe(24);
    layer.tiles(view);
    const first = images.length;
    expect(first).toBeGreaterThanOrEqual(4);
    for (const image of images.slice(0, 4)) image.done(false);
    expect(layer.exportable).toBe(false);
    expect(layer.tiles(view, true)).toEqual([]);
    layer.tiles(view);
    expect(images.slice(first).some((i) => !i.cors)).toBe(true);
  });

  it('whenLoaded waits for the wanted tiles, or the injected timeout', async () => {
    const { env, images, timers } = fakeEnv({
      [`${GW2_API}/maps/24`]: mapJson,
      [`${GW2_API}/continents/1`]: continentJson,
    });
    const layer = new TileLayer(env, () => {});
    await layer.probe(24);
    const ready = layer.whenLoaded(view, 1234);
    await Promise.resolve();
    const timer = timers.find((t) => t.ms === 1234);
    images[0]?.done(true);
    timer?.fn();
    const result = await ready;
    expect(result.wanted).toBe(images.length);
    expect(result.loaded).toBe(1);
    expect(timer?.cancelled).toBe(true);
  });
});
