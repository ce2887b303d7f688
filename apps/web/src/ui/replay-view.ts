import { HTTP_API_PATHS, parseApiError, parseId, raceFilePath } from '@gw2race/protocol';
import {
  boundsOf,
  type CourseCounts,
  courseCounts,
  createPlayback,
  createReplayData,
  formatRaceTime,
  PLAYBACK_SPEEDS,
  type Playback,
  parsePlaybackSpeed,
  pathSlice,
  pausePlayback,
  playbackTime,
  type ReplayData,
  type ReplayFrame,
  rankingHasOrder,
  rankingValue,
  replayTimeText,
  seekPlayback,
  setPlaybackSpeed,
  settlePlayback,
  skipPlayback,
  stepPlaybackSpeed,
  stopPlayback,
  togglePlayback,
  unionBounds,
  type View,
  type WorldBounds,
} from '@gw2race/race-analysis';
import {
  checkpointCenter,
  createColorAssigner,
  drawHud,
  type Hud,
  type RacerMark,
  type Scene,
  type WorldLine,
} from '@gw2race/race-map';
import { openReplay, type Replay } from '@gw2race/replay-format';
import type { HostInfo } from '../core/host-info';
import { REPLAY_CHANNEL, type ReplayPosition } from '../core/replay-follow';
import { AnalysisPanel } from './analysis-panel';
import { ComparePanel } from './compare-panel';
import { createTabs, h, isTyping } from './dom';
import { ExportPanel } from './export-panel';
import { icon } from './icons';
import { MapView } from './map-view';
import { RankingTable } from './ranking-table';
import type { Layers, ReplaySession } from './replay-session';
import { hook } from './test-hook';

/** Options of the replay view. */
export interface ReplayViewOptions {
  readonly tiles: boolean;
}

/** Seconds of path drawn behind each racer. */
const TRAIL_SECONDS = 8;

/** Reads a dropped or picked file. */
async function readFile(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Opens recording bytes; the error message when they are not a recording. */
export function openRecording(bytes: Uint8Array): { data: ReplayData } | { error: string } {
  const opened = openReplay(bytes);
  if (!opened.ok) return { error: opened.error.message };
  return { data: createReplayData(opened.value) };
}

/**
 * The replay page: open a recording (served by the host, picked or dropped), then play it like a
 * video: play/pause/stop, skip, speeds, a timeline that seeks through the recording's index,
 * keyboard shortcuts; analysis, comparison and exports in the side panel.
 */
export function startReplayView(
  app: HTMLElement,
  info: HostInfo | undefined,
  options: ReplayViewOptions,
) {
  hook.view = 'replay';
  const title = h('span', { class: 'name' }, 'Replay');
  const sub = h('span', { class: 'sub' }, 'open a recording');
  const clock = h('div', { class: 'clock', 'data-testid': 'clock' }, '–');
  const header = h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'gw2race'),
    h(
      'div',
      { class: 'title' },
      h('span', {}, title, h('span', { class: 'badge replay' }, 'replay')),
      sub,
    ),
    h('div', { class: 'spacer' }),
    clock,
    h(
      'nav',
      {},
      info?.mode === 'live' ? h('a', { href: '/' }, 'Live') : null,
      h('a', { href: '/overlay', target: '_blank', rel: 'noopener' }, 'Overlay'),
    ),
  );
  const fileInput = h('input', {
    type: 'file',
    accept: '.gz,.jsonl,application/gzip',
    'data-testid': 'file-input',
  });
  const dropMessage = h('p', { class: 'hint' });
  const dropzone = h(
    'div',
    { class: 'dropzone', 'data-testid': 'dropzone' },
    h('h2', {}, 'Open a race recording'),
    h('p', {}, 'Drop a ', h('code', {}, 'race_*.replay.jsonl.gz'), ' file here, or pick one:'),
    fileInput,
    info?.recording
      ? h(
          'p',
          {},
          h(
            'button',
            { onclick: () => void loadFromHost(HTTP_API_PATHS.recording, 'the host’s recording') },
            'Load the host’s recording',
          ),
        )
      : null,
    dropMessage,
  );
  const body = h('main', { class: 'body' }, dropzone);
  // A file that cannot be opened while a recording is shown: said above it, the recording stays.
  const bannerText = h('span', {});
  const banner = h(
    'div',
    { class: 'notice error banner', role: 'alert', hidden: true, 'data-testid': 'open-error' },
    bannerText,
    h(
      'button',
      { class: 'link', 'aria-label': 'dismiss', onclick: () => (banner.hidden = true) },
      '×',
    ),
  );
  app.replaceChildren(header, banner, body);

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void loadFile(file);
  });
  // Drag and drop anywhere on the page (replaces the recording shown).
  let dragDepth = 0;
  window.addEventListener('dragenter', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    dragDepth++;
    document.body.classList.add('dragging');
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) document.body.classList.remove('dragging');
  });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    document.body.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file) void loadFile(file);
  });

  let session: ReplayScreen | undefined;
  let shownLabel = '';
  const fail = (text: string) => {
    dropMessage.textContent = text;
    dropMessage.className = 'notice error';
    if (session) {
      bannerText.textContent = `${text} (still showing ${shownLabel})`;
      banner.hidden = false;
    } else body.replaceChildren(dropzone);
  };
  const show = (bytes: Uint8Array, label: string) => {
    const opened = openRecording(bytes);
    if ('error' in opened) {
      fail(`${label} is not a readable recording: ${opened.error}`);
      return;
    }
    banner.hidden = true;
    dropMessage.textContent = '';
    dropMessage.className = 'hint';
    session?.dispose();
    shownLabel = label;
    session = new ReplayScreen(opened.data, { body, title, sub, clock, options, label });
  };
  async function loadFile(file: File) {
    dropMessage.textContent = `reading ${file.name}…`;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      fail(`could not read ${file.name}: ${(error as Error).message}`);
      return;
    }
    show(bytes, file.name);
  }
  async function loadFromHost(path: string, label: string) {
    dropMessage.textContent = `loading ${label} from the host…`;
    try {
      const response = await fetch(path, { cache: 'no-store' });
      if (!response.ok)
        throw new Error(
          parseApiError(await response.json().catch(() => null)) ?? `HTTP ${response.status}`,
        );
      show(new Uint8Array(await response.arrayBuffer()), label);
    } catch (error) {
      fail(`could not load ${label} from the host: ${(error as Error).message}`);
    }
  }
  const params = new URLSearchParams(location.search);
  // A race of the tournament (`?race=ID`, from the standings page): a valid id only.
  const race = params.get('race');
  if (race !== null) {
    const id = parseId('race id', race);
    if (id.ok)
      void loadFromHost(raceFilePath(id.value, 'recording'), `the recording of ${id.value}`);
    else fail(id.error.message);
  } else if (info?.recording && (info.mode === 'replay' || params.get('src') === 'host'))
    void loadFromHost(HTTP_API_PATHS.recording, 'the host’s recording');
}

interface SessionParts {
  readonly body: HTMLElement;
  readonly title: HTMLElement;
  readonly sub: HTMLElement;
  readonly clock: HTMLElement;
  readonly options: ReplayViewOptions;
  readonly label: string;
}

/** One opened recording on screen. */
class ReplayScreen implements ReplaySession {
  private playback: Playback;
  private readonly map: MapView;
  private readonly ranking: RankingTable;
  private readonly slider: HTMLInputElement;
  private readonly timeText: HTMLElement;
  private readonly raceTimeText: HTMLElement;
  private readonly durationText: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly markers: HTMLElement;
  private readonly colors = createColorAssigner(() => this.data.field);
  private readonly layers: Layers = { trails: true, ghosts: false, ghostPlayers: new Set() };
  private readonly analysis: AnalysisPanel;
  private readonly compare: ComparePanel;
  private readonly exports: ExportPanel;
  private readonly events: HTMLElement;
  private frameCache: ReplayFrame | undefined;
  private lastDrawnMs = Number.NaN;
  private raf = 0;
  private disposed = false;
  private analysed = false;
  private selected: string | undefined;
  private readonly onKey = (e: KeyboardEvent) => this.key(e);
  /** Overlays of this browser follow the instant shown (see `core/replay-follow`). */
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(REPLAY_CHANNEL);
  private lastPosted = { at: Number.NEGATIVE_INFINITY, playing: false, speed: 0, ms: 0 };
  private readonly counts: CourseCounts | undefined;

  constructor(
    readonly data: ReplayData,
    private readonly parts: SessionParts,
  ) {
    const replay = data.replay;
    const now = performance.now();
    this.playback = createPlayback(data.startMs, data.endMs, now);
    const track = data.track;
    this.counts = track
      ? courseCounts(track, { laps: replay.header.state?.laps, circuit: track.circuit })
      : undefined;
    parts.title.textContent = replay.header.track?.name ?? track?.name ?? 'Replay';
    parts.sub.textContent = `race ${replay.header.raceId} · ${parts.label}${replay.complete ? '' : ' · unfinished recording'}`;
    hook.raceId = replay.header.raceId;
    hook.startMs = data.startMs;
    hook.endMs = data.endMs;

    this.map = new MapView({ tiles: parts.options.tiles });
    this.ranking = new RankingTable(this.look, (playerId) => this.select(playerId));
    this.analysis = new AnalysisPanel(this);
    this.compare = new ComparePanel(this);
    this.exports = new ExportPanel(this);
    this.events = h('div', { class: 'log', 'data-testid': 'events' }, 'analysing…');

    // Transport.
    this.playButton = h(
      'button',
      {
        title: 'play / pause (space)',
        'aria-label': 'play / pause (space)',
        'data-testid': 'play',
        onclick: () => this.act((p, t) => togglePlayback(p, t)),
      },
      icon('play'),
    );
    this.speedSelect = h(
      'select',
      {
        title: 'speed (↑ ↓)',
        'data-testid': 'speed',
        onchange: () =>
          this.act((p, t) =>
            setPlaybackSpeed(p, parsePlaybackSpeed(this.speedSelect.value) ?? 1, t),
          ),
      },
      ...PLAYBACK_SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `${s}x`)),
    );
    this.slider = h('input', {
      type: 'range',
      min: data.startMs,
      max: data.endMs,
      step: 10,
      value: data.startMs,
      'aria-label': 'timeline',
      'data-testid': 'timeline',
    });
    this.slider.addEventListener('input', () =>
      this.act((p, t) => seekPlayback(p, Number(this.slider.value), t), true),
    );
    this.markers = h('div', { class: 'timeline-markers' });
    this.raceTimeText = h('span', {
      'data-testid': 'race-time',
      title: 'race time (negative before the start)',
    });
    this.durationText = h('span', {
      class: 'duration',
      'data-testid': 'duration',
      title: 'played / total duration of the recording',
    });
    this.timeText = h(
      'span',
      { class: 'time', 'data-testid': 'time' },
      this.raceTimeText,
      ' · ',
      this.durationText,
    );
    const transport = h(
      'div',
      { class: 'transport' },
      h(
        'button',
        {
          title: 'stop (back to the start)',
          'aria-label': 'stop (back to the start)',
          'data-testid': 'stop',
          onclick: () => this.act((p, t) => stopPlayback(p, t), true),
        },
        icon('stop'),
      ),
      h(
        'button',
        {
          title: 'rewind 10 s (← 5 s)',
          'aria-label': 'rewind 10 s (← 5 s)',
          'data-testid': 'rewind',
          onclick: () => this.act((p, t) => skipPlayback(p, -10_000, t), true),
        },
        icon('rewind'),
      ),
      this.playButton,
      h(
        'button',
        {
          title: 'fast-forward 10 s (→ 5 s)',
          'aria-label': 'fast-forward 10 s (→ 5 s)',
          'data-testid': 'forward',
          onclick: () => this.act((p, t) => skipPlayback(p, 10_000, t), true),
        },
        icon('forward'),
      ),
      this.speedSelect,
      h('div', { class: 'timeline' }, this.markers, this.slider),
      this.timeText,
    );

    const tools = this.mapTools();
    const mapWrap = h('div', { class: 'map-wrap' }, tools, this.map.element, transport);
    const side = this.sidePanel();
    parts.body.replaceChildren(mapWrap, side);

    const bounds = this.initialBounds();
    this.map.setBounds(bounds);
    this.map.useMap(replay.header.mapId ?? track?.mapId ?? undefined);
    document.addEventListener('keydown', this.onKey);
    this.raf = requestAnimationFrame(() => this.loop());
    // The heavy part (decode everything, judge with the engine) once the first frame is up.
    setTimeout(() => this.analyse(), 30);
  }

  /** Names and colours of racers. */
  readonly look = {
    nameOf: (playerId: string) => this.data.names.get(playerId) ?? playerId,
    colorOf: (playerId: string) => this.colors.colorOf(playerId, this.data.colors.get(playerId)),
    counts: () => this.counts,
  };

  get replay(): Replay {
    return this.data.replay;
  }

  get mapView(): MapView {
    return this.map;
  }

  /** Playback position now (race-time ms). */
  now(): number {
    return playbackTime(this.playback, performance.now());
  }

  dispose(): void {
    this.disposed = true;
    this.channel?.close();
    cancelAnimationFrame(this.raf);
    document.removeEventListener('keydown', this.onKey);
  }

  private initialBounds(): WorldBounds | undefined {
    const track = this.data.track;
    const cps =
      track?.checkpoints.map((cp) => ({
        ...checkpointCenter(cp),
        r: cp.kind === 'gate' ? 10 : cp.r,
      })) ?? [];
    let bounds = boundsOf(cps);
    // Racers' positions around the start and at a few instants, without decoding the whole file.
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const t = this.data.startMs + (this.data.endMs - this.data.startMs) * f;
      bounds = unionBounds(bounds, boundsOf(this.data.frame(t).racers));
    }
    return bounds;
  }

  private mapTools(): HTMLElement {
    const check = (
      label: string,
      checked: boolean,
      change: (on: boolean) => void,
      testid: string,
    ) => {
      const box = h('input', { type: 'checkbox', checked, 'data-testid': testid });
      box.addEventListener('change', () => {
        change(box.checked);
        this.redraw();
      });
      return h('label', {}, box, label);
    };
    return h(
      'div',
      { class: 'map-tools' },
      h(
        'button',
        { onclick: () => this.map.fit(), title: 'show the whole track (double-click the map)' },
        'Fit',
      ),
      check(
        'Names',
        true,
        (on) => {
          this.map.labels = on;
        },
        'labels',
      ),
      check(
        'Trails',
        true,
        (on) => {
          this.layers.trails = on;
        },
        'trails',
      ),
      check(
        'Ghosts',
        false,
        (on) => {
          this.layers.ghosts = on;
        },
        'ghosts',
      ),
      h(
        'button',
        {
          onclick: () => void this.exports.screenshot(),
          title: 'save the map as PNG',
          'data-testid': 'screenshot',
        },
        icon('camera'),
        'PNG',
      ),
    );
  }

  private sidePanel(): HTMLElement {
    const tabs: [string, HTMLElement][] = [
      [
        'Ranking',
        h(
          'div',
          {},
          this.ranking.element,
          h(
            'p',
            { class: 'hint' },
            'The ranking the host published at this moment of the race. Click a racer to follow their ghost.',
          ),
        ),
      ],
      ['Analysis', this.analysis.element],
      ['Compare', this.compare.element],
      ['Export', this.exports.element],
      ['Events', this.events],
    ];
    return createTabs(tabs);
  }

  /** Changes playback; `seeking` measures the seek (index lookup + frame). */
  act(change: (p: Playback, now: number) => Playback, seeking = false): void {
    const now = performance.now();
    this.playback = change(this.playback, now);
    if (seeking) {
      const started = performance.now();
      this.frameCache = this.data.frame(playbackTime(this.playback, now));
      hook.lastSeekMs = performance.now() - started;
    }
    this.redraw();
  }

  /** Jumps to a race time (ms). */
  seekTo(ms: number): void {
    this.act((p, t) => seekPlayback(p, ms, t), true);
  }

  redraw(): void {
    this.lastDrawnMs = Number.NaN;
    this.map.invalidate();
  }

  private select(playerId: string) {
    this.selected = this.selected === playerId ? undefined : playerId;
    this.ranking.select(this.selected);
    if (this.selected) {
      this.layers.ghostPlayers.clear();
      this.layers.ghostPlayers.add(this.selected);
      this.layers.ghosts = true;
    }
    this.analysis.syncGhosts();
    this.redraw();
  }

  get layersState(): Layers {
    return this.layers;
  }

  private key(e: KeyboardEvent) {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    // Space on a focused button would also click it: the shortcut wins, the button lets go.
    if (e.target instanceof HTMLButtonElement) e.target.blur();
    const small = e.shiftKey ? 1000 : 5000;
    switch (e.key) {
      case ' ':
        this.act((p, t) => togglePlayback(p, t));
        break;
      case 'ArrowLeft':
        this.act((p, t) => skipPlayback(p, -small, t), true);
        break;
      case 'ArrowRight':
        this.act((p, t) => skipPlayback(p, small, t), true);
        break;
      case 'ArrowUp':
        this.act((p, t) => stepPlaybackSpeed(p, 1, t));
        break;
      case 'ArrowDown':
        this.act((p, t) => stepPlaybackSpeed(p, -1, t));
        break;
      case ',':
        this.act((p, t) => skipPlayback(pausePlayback(p, t), -100, t), true);
        break;
      case '.':
        this.act((p, t) => skipPlayback(pausePlayback(p, t), 100, t), true);
        break;
      case 'Home':
        this.act((p, t) => stopPlayback(p, t), true);
        break;
      case 'End':
        this.act((p, t) => seekPlayback(p, p.endMs, t), true);
        break;
      case 'f':
        this.map.fit();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private analyse() {
    if (this.disposed) return;
    const started = performance.now();
    const results = this.data.results;
    this.analysed = true;
    const names = [...this.data.paths.keys()];
    for (const id of names) this.layers.ghostPlayers.add(id);
    this.analysis.build();
    this.compare.build();
    this.exports.build();
    this.buildEvents();
    this.buildMarkers();
    console.info(
      `gw2race: analysed the recording in ${(performance.now() - started).toFixed(0)} ms (${names.length} racers, ${results?.racers.length ?? 0} judged)`,
    );
    this.redraw();
  }

  /** Something the map draws from the analysis changed. */
  analysisChanged(): void {
    this.redraw();
  }

  get isAnalysed(): boolean {
    return this.analysed;
  }

  private buildMarkers() {
    const { startMs, endMs } = this.data;
    const span = Math.max(1, endMs - startMs);
    const place = (ms: number, color: string, title: string) =>
      h('div', {
        class: 'marker',
        title,
        style: `left:${((ms - startMs) / span) * 100}%;background:${color}`,
      });
    const items: HTMLElement[] = [];
    if (this.replay.t0 !== null) items.push(place(0, '#2ecc71', 'start'));
    for (const racer of this.data.results?.racers ?? []) {
      if (racer.finishAt !== null)
        items.push(
          place(
            this.replay.raceTimeMs(racer.finishAt),
            this.look.colorOf(racer.playerId),
            `${this.look.nameOf(racer.playerId)} finished`,
          ),
        );
    }
    this.markers.replaceChildren(...items);
  }

  private buildEvents() {
    const lines: { ms: number; line: HTMLElement }[] = [];
    const at = (epoch: number, text: string, level = '') => {
      const ms = this.replay.raceTimeMs(epoch);
      lines.push({
        ms,
        line: h(
          'div',
          { class: level },
          h(
            'button',
            { class: 'link', onclick: () => this.seekTo(ms), title: 'go there' },
            formatRaceTime(ms / 1000, 1),
          ),
          ' ',
          text,
        ),
      });
    };
    for (const entry of this.data.entries) {
      if (entry.kind === 'control') {
        const m = entry.message;
        if (m.cmd === 'MSG') at(entry.at, `message: ${m.text}`);
        else if (m.cmd === 'RULING')
          at(entry.at, `ruling: ${this.look.nameOf(m.playerId)} ${m.action}`, 'warning');
        else if (m.cmd !== 'SYNC_T0') at(entry.at, m.cmd, 'important');
      } else if (entry.kind === 'flag') {
        at(
          entry.message.t,
          `flag ${entry.message.kind} ${this.look.nameOf(entry.message.playerId)}: ${entry.message.message}`,
          entry.message.severity === 'critical' ? 'important' : 'warning',
        );
      }
    }
    for (const racer of this.data.results?.racers ?? []) {
      if (racer.finishAt !== null)
        at(
          racer.finishAt,
          `${this.look.nameOf(racer.playerId)} finished in ${formatRaceTime(racer.time)}`,
        );
    }
    lines.sort((a, b) => a.ms - b.ms);
    this.events.replaceChildren(
      ...(lines.length
        ? lines.map((l) => l.line)
        : [h('p', { class: 'hint' }, 'No events recorded.')]),
    );
  }

  /** The frame at a race time (cached for the instant shown). */
  frameAt(ms: number): ReplayFrame {
    if (this.frameCache?.raceTimeMs === ms) return this.frameCache;
    this.frameCache = this.data.frame(ms);
    return this.frameCache;
  }

  /** The scene at a race time: the track, layers, and racers where the recording puts them. */
  sceneAt(ms: number, frame: ReplayFrame = this.frameAt(ms)): Scene {
    const time = this.replay.timeOf(ms);
    const entries = frame.ranking?.entries ?? [];
    const ranks = rankingHasOrder(entries)
      ? new Map(entries.map((e) => [e.playerId, e.position]))
      : new Map<string, number>();
    const racers: RacerMark[] = frame.racers.map((r) => ({
      ...(ranks.has(r.playerId) ? { rank: ranks.get(r.playerId) as number } : {}),
      playerId: r.playerId,
      x: r.x,
      z: r.z,
      color: this.look.colorOf(r.playerId),
      label: this.look.nameOf(r.playerId),
      faded: r.ageS > 1,
    }));
    const trails: WorldLine[] = [];
    const ghosts: WorldLine[] = [];
    if (this.analysed) {
      if (this.layers.trails) {
        for (const [playerId, path] of this.data.paths) {
          const line = pathSlice(path, time - TRAIL_SECONDS, time);
          if (line)
            trails.push({ ...line, color: this.look.colorOf(playerId), width: 3, alpha: 0.7 });
        }
      }
      if (this.layers.ghosts) {
        for (const playerId of this.layers.ghostPlayers) {
          const path = this.data.paths.get(playerId);
          if (path)
            ghosts.push({
              x: path.x,
              z: path.z,
              color: this.look.colorOf(playerId),
              width: 2,
              alpha: 0.55,
            });
        }
      }
      const other = this.compare.ghostAt(ms);
      if (other) {
        racers.push(other.mark);
        if (other.line) ghosts.push(other.line);
      }
    }
    return {
      track: this.data.track,
      heat: this.analysis.heatImage(),
      ghosts,
      trails,
      racers,
    };
  }

  /** The HUD (clock and ranking) at a race time, for screenshots and videos. */
  hudAt(ms: number, frame: ReplayFrame = this.frameAt(ms)): Hud {
    return {
      title: `${this.data.track?.name ?? 'race'} · ${this.replay.header.raceId}`,
      clock: formatRaceTime(ms / 1000, 1),
      rows: (frame.ranking?.entries ?? []).map((e, _, all) => ({
        position: e.position,
        name: e.name ?? this.look.nameOf(e.playerId),
        color: this.look.colorOf(e.playerId),
        value: rankingValue(e, rankingHasOrder(all), this.counts),
      })),
    };
  }

  /** Draws the clock and ranking at a race time over an export canvas. */
  drawHudOn(ctx: CanvasRenderingContext2D, width: number, ms: number, frame: ReplayFrame): void {
    drawHud(ctx, width, this.hudAt(ms, frame), Math.max(1, width / 1280));
  }

  /** Draws the map with the HUD onto any canvas (exports). */
  renderExport(
    ctx: CanvasRenderingContext2D,
    width: number,
    height: number,
    ms: number,
    withHud: boolean,
    view?: View,
  ) {
    const frame = this.frameAt(ms);
    this.map.renderTo(ctx, width, height, this.sceneAt(ms, frame), view);
    if (withHud) drawHud(ctx, width, this.hudAt(ms, frame), Math.max(1, width / 1280));
  }

  /**
   * Tells overlays of this browser where the replay is: on play, pause, a change of speed or a
   * jump, and once a second while playing (so they never drift).
   */
  private postPosition(ms: number, now: number) {
    if (!this.channel) return;
    const { playing, speed } = this.playback;
    const last = this.lastPosted;
    const expected = last.playing ? last.ms + (now - last.at) * last.speed : last.ms;
    const changed =
      playing !== last.playing || speed !== last.speed || Math.abs(ms - expected) > 250;
    if (!changed && !(playing && now - last.at >= 1000)) return;
    this.lastPosted = { at: now, playing, speed, ms };
    const position: ReplayPosition = {
      type: 'gw2race-replay-position',
      raceId: this.replay.header.raceId,
      raceTimeMs: ms,
      playing,
      speed,
    };
    this.channel.postMessage(position);
  }

  private loop() {
    if (this.disposed) return;
    const now = performance.now();
    this.playback = settlePlayback(this.playback, now);
    const ms = playbackTime(this.playback, now);
    this.postPosition(ms, now);
    const dirty = this.map.takeDirty();
    if (ms !== this.lastDrawnMs || dirty) {
      this.lastDrawnMs = ms;
      const frame = this.frameAt(ms);
      this.map.render(this.sceneAt(ms, frame));
      this.ranking.update(frame.ranking);
      this.slider.value = String(ms);
      this.parts.clock.textContent = formatRaceTime(ms / 1000, 1);
      const time = replayTimeText(ms, this.data.startMs, this.data.endMs);
      this.raceTimeText.textContent = time.raceTime;
      this.durationText.textContent = `${time.elapsed} / ${time.total}`;
      this.timeText.title = `race time ${time.raceTime}; ${time.elapsed} played of ${time.total} (the recording runs from ${formatRaceTime(this.data.startMs / 1000)} to ${formatRaceTime(this.data.endMs / 1000)} of race time)`;
      if (this.playButton.dataset.state !== String(this.playback.playing)) {
        this.playButton.dataset.state = String(this.playback.playing);
        this.playButton.replaceChildren(icon(this.playback.playing ? 'pause' : 'play'));
      }
      if (this.speedSelect.value !== String(this.playback.speed))
        this.speedSelect.value = String(this.playback.speed);
      hook.raceTimeMs = ms;
      hook.playing = this.playback.playing;
      hook.speed = this.playback.speed;
      hook.racers = frame.racers.map((r) => {
        const [screenX, screenY] = this.map.toScreen(r.x, r.z);
        return {
          playerId: r.playerId,
          x: r.x,
          z: r.z,
          screenX,
          screenY,
          color: this.look.colorOf(r.playerId),
        };
      });
      hook.ranking = (frame.ranking?.entries ?? []).map((e) => ({
        playerId: e.playerId,
        position: e.position,
        status: e.status,
      }));
      hook.frames++;
      hook.ready = true;
    }
    this.raf = requestAnimationFrame(() => this.loop());
  }
}
