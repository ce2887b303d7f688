import type { TileLayerEnv } from '@gw2race/race-map';

/** The browser's HTTP, images and timers for the map's tile layer. */
export function browserTileEnv(): TileLayerEnv {
  return {
    async fetchJson(url, signal) {
      const response = await fetch(url, { signal, credentials: 'omit' });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return (await response.json()) as unknown;
    },
    loadImage(url, cors, done) {
      const image = new Image();
      if (cors) image.crossOrigin = 'anonymous';
      image.decoding = 'async';
      image.onload = () => done(true);
      image.onerror = () => done(false);
      image.src = url;
      return image;
    },
    schedule(fn, ms) {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}
