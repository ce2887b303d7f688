/**
 * What the page exposes on `window.__gw2race` for browser tests and for curious organizers in
 * the console: the state the views show, never a way to change it.
 */
export interface ViewerHook {
  view: 'live' | 'replay' | 'overlay' | 'standings' | 'loading';
  /** True once the view has drawn its first frame with data. */
  ready: boolean;
  raceId: string | undefined;
  /** Replay: playback position and range (race-time ms); live: race time now. */
  raceTimeMs: number | null;
  startMs: number | null;
  endMs: number | null;
  playing: boolean;
  speed: number;
  /** Racers drawn on the map: world position and where they are on the canvas (CSS px). */
  racers: {
    playerId: string;
    x: number;
    z: number;
    screenX: number;
    screenY: number;
    color: string;
  }[];
  /** The ranking shown. */
  ranking: { playerId: string; position: number; status: string }[];
  /** Live: the MQTT connection. */
  connection: string | undefined;
  /** The race's phase shown (waiting, countdown, racing, paused, finished, aborted). */
  phase: string | undefined;
  /** Live: the race's history from the recording, once fetched (lines in the log then). */
  history: { lines: number; error?: string } | null;
  /** Overlay of a recording: true once it follows a replay page of this browser. */
  following?: boolean;
  /** Racers' name labels drawn on the map (those left out of a bunch are not). */
  labels: { playerId: string; x: number; y: number; w: number; h: number }[];
  /**
   * Standings page and overlays: how many times what they show changed, the races with results,
   * whether the host has no tournament, and why the last poll failed.
   */
  standings?: { updates: number; done: string[]; none: boolean; error?: string };
  /** Frames drawn. */
  frames: number;
  /** Milliseconds the last seek (index lookup + frame) took. */
  lastSeekMs: number | null;
  /** Analysis, once computed. */
  analysis: {
    racers: number;
    sectors: number;
    theoreticalBest: number | null;
    deltaPoints: number;
    heatCells: number;
  } | null;
  /** The last export: what, how big, how long it took. */
  lastExport: {
    kind: string;
    bytes: number;
    ms: number;
    realTimeFactor?: number;
    mimeType?: string;
  } | null;
}

declare global {
  interface Window {
    __gw2race: ViewerHook;
  }
}

/** The page's hook object (one per page). */
export const hook: ViewerHook = {
  view: 'loading',
  ready: false,
  raceId: undefined,
  raceTimeMs: null,
  startMs: null,
  endMs: null,
  playing: false,
  speed: 1,
  racers: [],
  ranking: [],
  connection: undefined,
  phase: undefined,
  history: null,
  labels: [],
  frames: 0,
  lastSeekMs: null,
  analysis: null,
  lastExport: null,
};
window.__gw2race = hook;
