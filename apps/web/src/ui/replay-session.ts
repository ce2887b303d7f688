import type { ReplayData, ReplayFrame, View } from '@gw2race/race-analysis';
import type { Scene } from '@gw2race/race-map';
import type { Replay } from '@gw2race/replay-format';
import type { MapView } from './map-view';

/** What the map shows besides racers. */
export interface Layers {
  trails: boolean;
  ghosts: boolean;
  /** Players whose whole path is drawn when ghosts are on. */
  readonly ghostPlayers: Set<string>;
}

/**
 * What the replay's panels (analysis, compare, export) use of the session that shows them.
 * They depend on this, not on the session's class: the session imports the panels, so the
 * panels importing it back would make a cycle.
 */
export interface ReplaySession {
  readonly data: ReplayData;
  readonly replay: Replay;
  readonly mapView: MapView;
  readonly layersState: Layers;
  /** Names and colours of racers. */
  readonly look: {
    nameOf(playerId: string): string;
    colorOf(playerId: string): string;
  };
  /** Playback position now (race-time ms). */
  now(): number;
  redraw(): void;
  /** The analysis panel's inputs changed (heatmap, sectors shown): redraw with them. */
  analysisChanged(): void;
  /** What the map shows at a race time. */
  sceneAt(ms: number, frame?: ReplayFrame): Scene;
  /** Draws the clock and ranking at a race time over an export canvas. */
  drawHudOn(ctx: CanvasRenderingContext2D, width: number, ms: number, frame: ReplayFrame): void;
  /** Draws the map with the HUD onto any canvas (exports). */
  renderExport(
    ctx: CanvasRenderingContext2D,
    width: number,
    height: number,
    ms: number,
    withHud: boolean,
    view?: View,
  ): void;
}
