import {
  courseDifferences,
  createReplayData,
  type DeltaSeries,
  formatGap,
  formatRaceTime,
  positionOnPath,
  type RacerRun,
  type ReplayData,
  racerRuns,
  runOf,
  timeDelta,
} from '@gw2race/race-analysis';
import type { RacerMark, WorldLine } from '@gw2race/race-map';
import { drawDeltaPlot } from '@gw2race/race-map';
import { openReplay } from '@gw2race/replay-format';
import { h, sizeCanvas } from './dom';
import type { ReplaySession } from './replay-session';
import { hook } from './test-hook';

/**
 * Comparison: two racers of this recording, or a racer of this one against a racer of another
 * recording (another race on the same course, or another attempt), with the time delta along the
 * reference's line. The other recording's racer rides along on the map as a hollow ghost, started
 * at the same instant as the reference.
 */
export class ComparePanel {
  readonly element: HTMLElement;
  private readonly refSelect: HTMLSelectElement;
  private readonly otherSelect: HTMLSelectElement;
  private readonly sourceSelect: HTMLSelectElement;
  private readonly fileInput: HTMLInputElement;
  private readonly plot: HTMLCanvasElement;
  private readonly summary: HTMLElement;
  private readonly courseWarning: HTMLElement;
  private runs: RacerRun[] = [];
  private otherRuns: RacerRun[] = [];
  private otherLabel = '';
  private series: DeltaSeries | undefined;
  private ghost: { reference: RacerRun; other: RacerRun } | undefined;

  constructor(private readonly session: ReplaySession) {
    this.refSelect = h('select', { 'data-testid': 'compare-a', onchange: () => this.compute() });
    this.otherSelect = h('select', { 'data-testid': 'compare-b', onchange: () => this.compute() });
    this.sourceSelect = h(
      'select',
      { 'data-testid': 'compare-source', onchange: () => this.sourceChanged() },
      h('option', { value: 'same' }, 'this recording'),
      h('option', { value: 'other' }, 'another recording…'),
    );
    this.fileInput = h('input', {
      type: 'file',
      accept: '.gz,application/gzip',
      hidden: true,
      'data-testid': 'compare-file',
    });
    this.summary = h('div', { class: 'hint', role: 'status', 'data-testid': 'compare-summary' });
    this.fileInput.addEventListener('change', () => void this.loadOther());
    this.plot = h('canvas', { class: 'plot', 'data-testid': 'delta-plot' });
    this.courseWarning = h('div', {
      class: 'notice warning',
      role: 'alert',
      hidden: true,
      'data-testid': 'compare-course',
    });
    this.element = h(
      'div',
      {},
      h('h3', {}, 'Compare two runs'),
      h('div', { class: 'row' }, 'Reference ', this.refSelect),
      h('div', { class: 'row' }, 'against a racer of ', this.sourceSelect, this.fileInput),
      h('div', { class: 'row' }, 'Racer ', this.otherSelect),
      this.courseWarning,
      this.plot,
      this.summary,
      h(
        'p',
        { class: 'hint' },
        'The delta is how much later (above zero) or earlier the compared racer reached each point of the reference’s line, each timed from their own start. Runs of another recording ride along on the map as hollow ghosts.',
      ),
    );
  }

  /** Fills the racer lists once the recording is analysed. */
  build(): void {
    this.runs = racerRuns(this.session.data);
    const options = (runs: RacerRun[]) =>
      runs.map((r) => h('option', { value: r.playerId }, r.name));
    this.refSelect.replaceChildren(...options(this.runs));
    this.otherSelect.replaceChildren(...options(this.runs));
    if (this.runs[1]) this.otherSelect.value = this.runs[1].playerId;
    this.compute();
  }

  private sourceChanged() {
    if (this.sourceSelect.value === 'other') this.fileInput.click();
    else {
      this.otherRuns = [];
      this.showCourse([]);
      this.otherSelect.replaceChildren(
        ...this.runs.map((r) => h('option', { value: r.playerId }, r.name)),
      );
      this.compute();
    }
  }

  private async loadOther() {
    const file = this.fileInput.files?.[0];
    if (!file) return;
    // Picking the same file again (after fixing it) fires `change` again.
    this.fileInput.value = '';
    const refuse = (text: string) => {
      this.summary.textContent = `${text}${this.otherRuns.length > 0 ? ` (still comparing with ${this.otherLabel})` : ''}`;
      this.summary.className = 'notice error';
      if (this.otherRuns.length === 0) this.sourceSelect.value = 'same';
    };
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      refuse(`could not read ${file.name}: ${(error as Error).message}`);
      return;
    }
    const opened = openReplay(bytes);
    if (!opened.ok) {
      refuse(`${file.name} is not a readable recording: ${opened.error.message}`);
      return;
    }
    await this.useOther(createReplayData(opened.value), file.name);
  }

  /** Compares against the racers of another recording (and warns if it is another course). */
  async useOther(data: ReplayData, label: string): Promise<void> {
    this.showCourse(courseDifferences(this.session.data.track, data.track), label);
    this.otherRuns = racerRuns(data);
    this.otherLabel = label;
    this.sourceSelect.value = 'other';
    this.otherSelect.replaceChildren(
      ...this.otherRuns.map((r) => h('option', { value: r.playerId }, `${r.name} (${label})`)),
    );
    this.compute();
  }

  private showCourse(differences: readonly string[], label = '') {
    this.courseWarning.hidden = differences.length === 0;
    this.courseWarning.textContent =
      differences.length === 0
        ? ''
        : `${label} may not be the same course: ${differences.join('; ')}. The delta compares the runs as they are.`;
  }

  private compute() {
    const reference = this.runs.find((r) => r.playerId === this.refSelect.value);
    const pool = this.otherRuns.length > 0 ? this.otherRuns : this.runs;
    const other = pool.find((r) => r.playerId === this.otherSelect.value);
    this.ghost = undefined;
    if (!reference || !other) {
      this.summary.textContent = 'Pick two racers.';
      return;
    }
    this.series = timeDelta(runOf(reference), runOf(other));
    if (this.otherRuns.length > 0) this.ghost = { reference, other };
    else {
      const layers = this.session.layersState;
      layers.ghostPlayers.clear();
      layers.ghostPlayers.add(reference.playerId);
      layers.ghostPlayers.add(other.playerId);
    }
    const width = Math.max(280, Math.round(this.element.getBoundingClientRect().width) || 400);
    const ctx = sizeCanvas(this.plot, width, 200);
    const color = this.otherRuns.length > 0 ? '#ffffff' : this.session.look.colorOf(other.playerId);
    drawDeltaPlot(ctx, width, 200, this.series, {
      reference: reference.name,
      compared: other.name,
      color,
    });
    const refTime = reference.finish === null ? null : reference.finish - reference.start;
    const otherTime = other.finish === null ? null : other.finish - other.start;
    this.summary.className = 'hint';
    this.summary.textContent =
      refTime !== null && otherTime !== null
        ? `${reference.name} ${formatRaceTime(refTime)} · ${other.name} ${formatRaceTime(otherTime)} (${formatGap(otherTime - refTime)})`
        : `${this.series.delta.length} points compared`;
    hook.analysis = {
      racers: hook.analysis?.racers ?? 0,
      sectors: hook.analysis?.sectors ?? 0,
      theoreticalBest: hook.analysis?.theoreticalBest ?? null,
      heatCells: hook.analysis?.heatCells ?? 0,
      deltaPoints: this.series.delta.length,
    };
    this.session.analysisChanged();
  }

  /** The other recording's racer at a race time of this one, started with the reference. */
  ghostAt(ms: number): { mark: RacerMark; line: WorldLine | undefined } | undefined {
    if (!this.ghost) return undefined;
    const { reference, other } = this.ghost;
    const time = this.session.replay.timeOf(ms);
    const placed = positionOnPath(other.path, other.start + (time - reference.start));
    if (!placed) return undefined;
    return {
      mark: {
        playerId: `other:${other.playerId}`,
        x: placed.x,
        z: placed.z,
        color: '#ffffff',
        label: `${other.name} (${this.otherLabel})`,
        ghost: true,
      },
      line: this.session.layersState.ghosts
        ? { x: other.path.x, z: other.path.z, color: '#ffffff', width: 2, alpha: 0.4 }
        : undefined,
    };
  }
}
