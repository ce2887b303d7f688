import {
  addHeatPath,
  approachRadius,
  boundsOf,
  createHeatGrid,
  formatRaceTime,
  heatPixels,
  type SectorAnalysis,
  sectorAnalysis,
  unionBounds,
  type WorldBounds,
} from '@gw2race/race-analysis';
import { checkpointCenter, type WorldImage } from '@gw2race/race-map';
import { h } from './dom';
import type { ReplaySession } from './replay-session';
import { hook } from './test-hook';

type HeatMode = 'off' | 'lines' | 'approaches';

/**
 * Ghosts (whose paths to draw), the heatmap of racing lines or checkpoint approaches, and the
 * sector analysis with best sectors and theoretical best laps.
 */
export class AnalysisPanel {
  readonly element: HTMLElement;
  private readonly ghostList: HTMLElement;
  private readonly heatSelect: HTMLSelectElement;
  private readonly sectors: HTMLElement;
  private heat: WorldImage | undefined;
  private heatMode: HeatMode = 'off';
  private analysis: SectorAnalysis | undefined;

  constructor(private readonly session: ReplaySession) {
    this.ghostList = h('div', { class: 'row' }, h('span', { class: 'hint' }, 'analysing…'));
    this.heatSelect = h(
      'select',
      { 'data-testid': 'heatmap', onchange: () => this.setHeat(this.heatSelect.value as HeatMode) },
      h('option', { value: 'off' }, 'off'),
      h('option', { value: 'lines' }, 'racing lines (every racer)'),
      h('option', { value: 'approaches' }, 'checkpoint approaches'),
    );
    this.sectors = h('div', { 'data-testid': 'sectors' }, h('p', { class: 'hint' }, 'analysing…'));
    this.element = h(
      'div',
      {},
      h('h3', {}, 'Ghosts'),
      h(
        'p',
        { class: 'hint' },
        'Whole paths of the racers ticked (turn on “Ghosts” on the map), with their markers moving along.',
      ),
      this.ghostList,
      h('h3', {}, 'Heatmap'),
      h('div', { class: 'row' }, this.heatSelect),
      h(
        'p',
        { class: 'hint' },
        'Where racers spent their time: the lines they chose, or only the approach to each checkpoint.',
      ),
      h('h3', {}, 'Sectors'),
      this.sectors,
    );
  }

  /** Fills the panel once the recording is analysed. */
  build(): void {
    const { data, look, layersState } = this.session;
    this.ghostList.replaceChildren(
      ...[...data.paths.keys()].map((playerId) => {
        const box = h('input', {
          type: 'checkbox',
          checked: layersState.ghostPlayers.has(playerId),
          'data-player': playerId,
        });
        box.addEventListener('change', () => {
          if (box.checked) layersState.ghostPlayers.add(playerId);
          else layersState.ghostPlayers.delete(playerId);
          this.session.redraw();
        });
        return h(
          'label',
          { class: 'check' },
          box,
          h('span', { class: 'swatch', style: `background:${look.colorOf(playerId)}` }),
          look.nameOf(playerId),
        );
      }),
    );
    this.buildSectors();
  }

  /** Ticks the boxes to match the ghosts shown (after a racer was picked in the ranking). */
  syncGhosts(): void {
    for (const box of this.ghostList.querySelectorAll<HTMLInputElement>('input[data-player]')) {
      box.checked = this.session.layersState.ghostPlayers.has(box.dataset.player ?? '');
    }
  }

  private buildSectors() {
    const { data, look } = this.session;
    const results = data.results;
    const lap = data.state?.config.course.lap.map((cp) => cp.id) ?? [];
    if (!results || lap.length === 0) {
      this.sectors.replaceChildren(
        h('p', { class: 'hint' }, 'This recording has no track: sectors cannot be judged.'),
      );
      return;
    }
    const analysis = sectorAnalysis(results, lap);
    this.analysis = analysis;
    const head = h(
      'tr',
      {},
      h('th', {}, 'Racer'),
      h('th', { class: 'num' }, 'Lap'),
      ...analysis.columns.map((c) =>
        h(
          'th',
          {
            class: 'num',
            title: `${c.from === null ? 'start' : `checkpoint ${c.from}`} → checkpoint ${c.to}`,
          },
          c.label,
        ),
      ),
      h('th', { class: 'num' }, 'Lap time'),
    );
    const rows = analysis.rows.map((row) =>
      h(
        'tr',
        {},
        h(
          'td',
          {},
          h('span', { class: 'swatch', style: `background:${look.colorOf(row.playerId)}` }),
          ' ',
          row.name,
        ),
        h('td', { class: 'num' }, row.lap),
        ...row.times.map((t, i) =>
          h('td', { class: `num time ${row.marks[i] ?? ''}` }, t === null ? '' : t.toFixed(3)),
        ),
        h('td', { class: 'num time' }, formatRaceTime(row.lapTime)),
      ),
    );
    const bestRow = h(
      'tr',
      { class: 'best' },
      h('td', {}, h('strong', {}, 'Best')),
      h('td', {}),
      ...analysis.best.map((b) =>
        h(
          'td',
          {
            class: 'num time overall-best',
            title: b ? `${look.nameOf(b.playerId)}, lap ${b.lap}` : '',
          },
          b ? b.time.toFixed(3) : '',
        ),
      ),
      h(
        'td',
        { class: 'num time', title: 'theoretical best: the sum of the best sectors' },
        formatRaceTime(analysis.theoreticalBest),
      ),
    );
    const theo = h(
      'table',
      { class: 'theoretical', 'data-testid': 'theoretical' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Racer'),
          h('th', { class: 'num' }, 'Best lap'),
          h('th', { class: 'num' }, 'Theoretical'),
          h('th', { class: 'num', title: 'best lap minus theoretical' }, 'Left'),
        ),
      ),
      h(
        'tbody',
        {},
        ...analysis.racers.map((r) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('span', { class: 'swatch', style: `background:${look.colorOf(r.playerId)}` }),
              ' ',
              r.name,
            ),
            h('td', { class: 'num time' }, formatRaceTime(r.bestLap)),
            h('td', { class: 'num time' }, formatRaceTime(r.theoretical)),
            h(
              'td',
              { class: 'num time' },
              r.potential === null ? '' : `${r.potential.toFixed(3)} s`,
            ),
          ),
        ),
      ),
    );
    this.sectors.replaceChildren(
      // Every sector is reachable: the table scrolls sideways with the racer column kept.
      h(
        'div',
        { class: 'table-scroll', 'data-testid': 'sectors-scroll', tabindex: 0 },
        h('table', { class: 'sectors' }, h('thead', {}, head), h('tbody', {}, ...rows, bestRow)),
      ),
      h(
        'p',
        { class: 'hint' },
        h('span', { style: 'color:var(--purple)' }, 'purple'),
        ': best of the field · ',
        h('span', { style: 'color:var(--ok)' }, 'green'),
        ': the racer’s best',
      ),
      h('h3', {}, 'Theoretical best'),
      h(
        'p',
        {},
        'Field: ',
        h(
          'strong',
          { 'data-testid': 'theoretical-best' },
          formatRaceTime(analysis.theoreticalBest),
        ),
        ' (sum of the best sectors)',
      ),
      theo,
    );
    hook.analysis = {
      racers: analysis.racers.length,
      sectors: analysis.columns.length,
      theoreticalBest: analysis.theoreticalBest,
      deltaPoints: hook.analysis?.deltaPoints ?? 0,
      heatCells: hook.analysis?.heatCells ?? 0,
    };
  }

  /** The sector analysis, once built. */
  get sectorAnalysis(): SectorAnalysis | undefined {
    return this.analysis;
  }

  private setHeat(mode: HeatMode) {
    this.heatMode = mode;
    this.heat = mode === 'off' ? undefined : this.buildHeat(mode);
    this.session.redraw();
  }

  private buildHeat(mode: Exclude<HeatMode, 'off'>): WorldImage | undefined {
    const { data } = this.session;
    const track = data.track;
    let bounds: WorldBounds | undefined = boundsOf(track?.checkpoints.map(checkpointCenter) ?? []);
    for (const path of data.paths.values()) {
      const points: { x: number; z: number }[] = [];
      for (let i = 0; i < path.x.length; i += 10)
        points.push({ x: path.x[i] as number, z: path.z[i] as number });
      bounds = unionBounds(bounds, boundsOf(points));
    }
    if (!bounds) return undefined;
    const extent = Math.max(bounds.maxX - bounds.minX, bounds.maxZ - bounds.minZ);
    const grid = createHeatGrid(bounds, Math.max(1, extent / 500));
    const centers = (track?.checkpoints ?? []).map((cp) => ({
      ...checkpointCenter(cp),
      reach: approachRadius(
        cp.kind === 'gate' ? Math.hypot(cp.a.x - cp.b.x, cp.a.z - cp.b.z) / 2 : cp.r,
      ),
    }));
    const where =
      mode === 'approaches'
        ? (x: number, z: number) => centers.some((c) => Math.hypot(x - c.x, z - c.z) <= c.reach)
        : undefined;
    for (const path of data.paths.values())
      addHeatPath(grid, path.t, path.x, path.z, where ? { where } : {});
    const canvas = document.createElement('canvas');
    canvas.width = grid.cols;
    canvas.height = grid.rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.putImageData(
      new ImageData(heatPixels(grid) as Uint8ClampedArray<ArrayBuffer>, grid.cols, grid.rows),
      0,
      0,
    );
    let cells = 0;
    for (const v of grid.values) if (v > 0) cells++;
    hook.analysis = {
      racers: hook.analysis?.racers ?? 0,
      sectors: hook.analysis?.sectors ?? 0,
      theoreticalBest: hook.analysis?.theoreticalBest ?? null,
      deltaPoints: hook.analysis?.deltaPoints ?? 0,
      heatCells: cells,
    };
    return {
      image: canvas,
      west: grid.west,
      north: grid.north,
      east: grid.west + grid.cols * grid.cellSize,
      south: grid.north - grid.rows * grid.cellSize,
      alpha: 0.85,
      smooth: true,
    };
  }

  /** The heatmap image to draw, if on. */
  heatImage(): WorldImage | undefined {
    return this.heatMode === 'off' ? undefined : this.heat;
  }
}
