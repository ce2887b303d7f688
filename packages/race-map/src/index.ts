export type { ColorAssigner } from './colors';
export { createColorAssigner, hexToRgb, isCssHexColor, RACER_PALETTE } from './colors';
export { drawDeltaPlot } from './delta-plot';
export type { Hud, HudRow } from './hud';
export { drawHud } from './hud';
export type { DrawOptions, RacerMark, Scene, WorldImage, WorldLine } from './map-renderer';
export {
  checkpointCenter,
  drawScaleBar,
  drawScene,
  MAP_COLORS,
  MARKER_RADIUS,
} from './map-renderer';
export type { MapPlacement, TileLayerEnv, TileStatus, TilesReady } from './tile-layer';
export { GW2_API, GW2_TILES, parseMapPlacement, TileLayer } from './tile-layer';
