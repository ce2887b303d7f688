export type { ColorAssigner } from './colors';
export { createColorAssigner, hexToRgb, isCssHexColor, RACER_PALETTE, racerColor } from './colors';
export type { AxisLabel } from './delta-plot';
export { axisLabels, drawDeltaPlot, formatDelta } from './delta-plot';
export type { Hud, HudRow } from './hud';
export { drawHud } from './hud';
export type { LabelBox, LabelRequest } from './label-layout';
export { LABEL_HEIGHT, placeLabels } from './label-layout';
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
