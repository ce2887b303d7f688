import type { View } from '@gw2race/race-analysis';
import { formatBytes, formatRaceTime } from '@gw2race/race-analysis';
import { encodeResultsCsv, encodeSplitsCsv } from '@gw2race/race-engine';
import { encodeCheckpointsCsv, encodeJsonExport, encodePositionsCsv } from '@gw2race/replay-format';
import { download, exportName, h } from './dom';
import type { ReplaySession } from './replay-session';
import { hook } from './test-hook';
import { exportVideo } from './video-export';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

const SIZES: Record<string, [number, number] | null> = {
  view: null,
  '720p': [1280, 720],
  '1080p': [1920, 1080],
};

/**
 * Exports: results, splits, positions and checkpoint reports as CSV or JSON; the map as PNG; the
 * replay as a video (WebCodecs, faster than real time where the browser has it).
 */
export class ExportPanel {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly size: HTMLSelectElement;
  private readonly hud: HTMLInputElement;
  private readonly container: HTMLSelectElement;
  private readonly videoSpeed: HTMLSelectElement;
  private readonly range: HTMLSelectElement;
  private readonly progress: HTMLProgressElement;
  private readonly videoButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly dataButtons: HTMLButtonElement[] = [];
  private abort: AbortController | undefined;

  constructor(private readonly session: ReplaySession) {
    this.status = h('div', { class: 'hint', 'data-testid': 'export-status', role: 'status' });
    this.size = h(
      'select',
      { 'data-testid': 'export-size' },
      h('option', { value: '720p' }, '1280×720'),
      h('option', { value: '1080p' }, '1920×1080'),
      h('option', { value: 'view' }, 'as on screen'),
    );
    this.hud = h('input', { type: 'checkbox', checked: true });
    this.container = h(
      'select',
      { 'data-testid': 'video-format' },
      h('option', { value: 'webm' }, 'WebM'),
      h('option', { value: 'mp4' }, 'MP4'),
    );
    this.videoSpeed = h(
      'select',
      { 'data-testid': 'video-speed' },
      ...[1, 2, 4].map((s) => h('option', { value: s }, `${s}x`)),
    );
    this.range = h(
      'select',
      { 'data-testid': 'video-range' },
      h('option', { value: 'race' }, 'the race (start to last finish)'),
      h('option', { value: 'all' }, 'the whole recording'),
      h('option', { value: 'here' }, 'from here to the end'),
    );
    this.progress = h('progress', {
      max: 1,
      value: 0,
      hidden: true,
      'data-testid': 'video-progress',
    });
    this.videoButton = h(
      'button',
      { class: 'primary', 'data-testid': 'export-video', onclick: () => void this.video() },
      'Render video',
    );
    this.cancelButton = h('button', { hidden: true, onclick: () => this.abort?.abort() }, 'Cancel');
    const dataButton = (label: string, testid: string, run: () => Promise<void>) => {
      const button = h(
        'button',
        { 'data-testid': testid, disabled: true, onclick: () => void this.guard(label, run) },
        label,
      );
      this.dataButtons.push(button);
      return button;
    };
    this.element = h(
      'div',
      {},
      h('h3', {}, 'Results'),
      h(
        'div',
        { class: 'row' },
        dataButton('Results CSV', 'export-results-csv', () =>
          this.text('results', 'csv', encodeResultsCsv(this.results())),
        ),
        dataButton('Results JSON', 'export-results-json', () =>
          this.text('results', 'json', `${JSON.stringify(this.results(), null, 2)}\n`),
        ),
        dataButton('Splits CSV', 'export-splits-csv', () =>
          this.text('splits', 'csv', encodeSplitsCsv(this.results())),
        ),
      ),
      h(
        'p',
        { class: 'hint' },
        'The race engine’s judgement of this recording: the same as gw2race-host results FILE.',
      ),
      h('h3', {}, 'Recorded data'),
      h(
        'div',
        { class: 'row' },
        dataButton('Positions CSV', 'export-positions-csv', async () =>
          this.text(
            'positions',
            'csv',
            await collect(encodePositionsCsv(this.session.data.entries)),
          ),
        ),
        dataButton('Checkpoint reports CSV', 'export-checkpoints-csv', async () =>
          this.text(
            'checkpoints',
            'csv',
            await collect(encodeCheckpointsCsv(this.session.data.entries)),
          ),
        ),
        dataButton('Everything JSON', 'export-json', async () => {
          const json = await encodeJsonExport(this.session.data.entries, {
            header: this.session.replay.header,
          });
          await this.text('export', 'json', JSON.stringify(json));
        }),
      ),
      h('h3', {}, 'Picture and video'),
      h(
        'div',
        { class: 'row' },
        'Size ',
        this.size,
        h('label', { class: 'check' }, this.hud, 'clock and ranking'),
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { 'data-testid': 'export-png', onclick: () => void this.screenshot() },
          'Screenshot PNG',
        ),
      ),
      h('div', { class: 'row' }, 'Video of ', this.range),
      h(
        'div',
        { class: 'row' },
        'at ',
        this.videoSpeed,
        ' as ',
        this.container,
        this.videoButton,
        this.cancelButton,
      ),
      this.progress,
      this.status,
    );
  }

  /** Enables the data exports once the recording is analysed. */
  build(): void {
    for (const b of this.dataButtons) b.disabled = false;
    if (!this.session.data.results) {
      for (const b of this.dataButtons.slice(0, 3)) {
        b.disabled = true;
        b.title = 'this recording has no track to judge it with';
      }
    }
  }

  private results() {
    const results = this.session.data.results;
    if (!results) throw new Error('this recording has no track: no results');
    return results;
  }

  private name(what: string, extension: string) {
    return exportName(this.session.replay.header.raceId, what, extension);
  }

  private async guard(label: string, run: () => Promise<void>) {
    try {
      await run();
    } catch (error) {
      this.say(`${label} failed: ${(error as Error).message}`, 'error');
    }
  }

  private say(text: string, kind: 'ok' | 'error' | 'info' = 'info') {
    this.status.textContent = text;
    this.status.className = kind === 'info' ? 'hint' : `notice ${kind}`;
  }

  private async text(what: string, extension: string, text: string) {
    const started = performance.now();
    const blob = new Blob([text], {
      type: extension === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
    });
    const name = this.name(what, extension);
    download(blob, name);
    hook.lastExport = {
      kind: `${what}.${extension}`,
      bytes: blob.size,
      ms: performance.now() - started,
    };
    this.say(`${name}: ${formatBytes(blob.size)}`, 'ok');
  }

  private size_(): [number, number] {
    const chosen = SIZES[this.size.value];
    if (chosen) return chosen;
    const { width, height } = this.session.mapView.view;
    const dpr = window.devicePixelRatio || 1;
    return [Math.round(width * dpr), Math.round(height * dpr)];
  }

  /** Saves the map at the instant shown as PNG. */
  async screenshot(): Promise<void> {
    const started = performance.now();
    const [width, height] = this.size_();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const ms = this.session.now();
    const view = this.session.mapView.exportView(width, height);
    await this.loadTiles(view);
    this.session.renderExport(ctx, width, height, ms, this.hud.checked, view);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) {
      this.say('the browser could not encode the PNG', 'error');
      return;
    }
    const name = this.name(`map_${formatRaceTime(ms / 1000, 1).replace(/[:.]/g, '-')}`, 'png');
    download(blob, name);
    hook.lastExport = {
      kind: 'png',
      bytes: blob.size,
      ms: performance.now() - started,
      mimeType: 'image/png',
    };
    this.say(`${name}: ${width}×${height}, ${formatBytes(blob.size)}`, 'ok');
  }

  /** Loads the map tiles of an export view first (a few seconds at most). */
  private async loadTiles(view: View) {
    const tiles = this.session.mapView.tiles;
    if (tiles.status !== 'on' && tiles.status !== 'probing') return;
    this.say('loading the map tiles of the export…');
    const ready = await this.session.mapView.prepareExport(view);
    if (ready.loaded < ready.wanted)
      console.info(
        `gw2race: ${ready.wanted - ready.loaded} of ${ready.wanted} map tiles not loaded in time: drawn from the nearest loaded zoom`,
      );
  }

  private videoRange(): [number, number] {
    const { data } = this.session;
    if (this.range.value === 'here') return [this.session.now(), data.endMs];
    if (this.range.value === 'race' && data.replay.t0 !== null) {
      const finishes = (data.results?.racers ?? [])
        .map((r) => r.finishAt)
        .filter((t): t is number => t !== null);
      const last =
        finishes.length > 0 ? data.replay.raceTimeMs(Math.max(...finishes)) + 3000 : data.endMs;
      return [Math.max(data.startMs, -3000), Math.min(data.endMs, last)];
    }
    return [data.startMs, data.endMs];
  }

  private async video() {
    const [width, height] = this.size_();
    const [fromMs, toMs] = this.videoRange();
    const speed = Number(this.videoSpeed.value) || 1;
    this.abort = new AbortController();
    this.videoButton.disabled = true;
    this.cancelButton.hidden = false;
    this.progress.hidden = false;
    this.progress.value = 0;
    const withHud = this.hud.checked;
    const view = this.session.mapView.exportView(width, height);
    try {
      await this.loadTiles(view);
      const result = await exportVideo({
        width,
        height,
        fps: 30,
        fromMs,
        toMs,
        speed,
        container: this.container.value === 'mp4' ? 'mp4' : 'webm',
        signal: this.abort.signal,
        renderFrame: (ctx, ms) => {
          const frame = this.session.data.frame(ms);
          this.session.mapView.renderTo(ctx, width, height, this.session.sceneAt(ms, frame), view);
          if (withHud) this.session.drawHudOn(ctx, width, ms, frame);
        },
        onProgress: (fraction, note) => {
          this.progress.value = fraction;
          this.say(`${Math.round(fraction * 100)}% · ${note}`);
        },
      });
      const name = this.name(`replay_${speed}x`, result.extension);
      download(result.blob, name);
      const factor = result.videoMs / result.elapsedMs;
      hook.lastExport = {
        kind: 'video',
        bytes: result.blob.size,
        ms: result.elapsedMs,
        realTimeFactor: factor,
        mimeType: result.mimeType,
      };
      this.say(
        `${name}: ${formatBytes(result.blob.size)}, ${(result.videoMs / 1000).toFixed(1)} s of video in ${(result.elapsedMs / 1000).toFixed(1)} s (${factor.toFixed(1)}× real time, ${result.method}, ${result.codec})`,
        'ok',
      );
    } catch (error) {
      const cancelled = (error as Error).name === 'AbortError';
      this.say(
        cancelled ? 'video export cancelled' : `video export failed: ${(error as Error).message}`,
        cancelled ? 'info' : 'error',
      );
    } finally {
      this.videoButton.disabled = false;
      this.cancelButton.hidden = true;
      this.progress.hidden = true;
      this.abort = undefined;
    }
  }
}
