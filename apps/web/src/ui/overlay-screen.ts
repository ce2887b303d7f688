import type { RankingMessage, Track } from '@gw2race/protocol';
import {
  boundsOf,
  type CourseCounts,
  formatRaceTime,
  PHASE_TEXT,
  type RacePhase,
  rankingHasOrder,
  rankingValue,
} from '@gw2race/race-analysis';
import { checkpointCenter, type RacerMark } from '@gw2race/race-map';
import { h } from './dom';
import { MapView } from './map-view';
import { hook } from './test-hook';

/** What the overlay shows on one frame, live or replayed. */
export interface OverlayFrame {
  /** Race time shown (ms), null before START. */
  readonly raceTimeMs: number | null;
  readonly phase: RacePhase;
  readonly ranking: RankingMessage | null;
  readonly racers: readonly RacerMark[];
}

/** The overlay's elements (head, ranking, the small map) and how it draws a frame. */
export function overlayScreen(
  root: HTMLElement,
  title: string,
  params: URLSearchParams,
  track: () => Track | null,
  look: { nameOf(id: string): string; colorOf(id: string): string },
  counts: () => CourseCounts | undefined,
) {
  const rows = Math.min(Math.max(Number(params.get('rows')) || 10, 1), 50);
  const clock = h('span', { class: 'o-clock', 'data-testid': 'overlay-clock' }, '–');
  const stage = h('span', { class: 'o-stage', 'data-testid': 'overlay-stage' });
  const body = h('tbody', { 'data-testid': 'overlay-ranking' });
  root.append(
    h('div', { class: 'o-head' }, h('span', { class: 'o-title' }, title), clock, stage),
    h('table', {}, body),
  );
  let map: MapView | undefined;
  if (params.get('map') === '1') {
    map = new MapView({ tiles: false, transparent: true, grid: false });
    map.labels = false;
    root.append(h('div', { class: 'o-map' }, map.element));
    map.setBounds(
      boundsOf(
        track()?.checkpoints.map((cp) => ({
          ...checkpointCenter(cp),
          r: cp.kind === 'gate' ? 10 : cp.r,
        })) ?? [],
      ),
    );
  }
  let shown: unknown;
  return (frame: OverlayFrame) => {
    clock.textContent =
      frame.raceTimeMs === null ? '–' : formatRaceTime(frame.raceTimeMs / 1000, 1);
    stage.textContent = PHASE_TEXT[frame.phase];
    stage.dataset.phase = frame.phase;
    hook.phase = frame.phase;
    if (frame.ranking !== shown) {
      shown = frame.ranking;
      const all = frame.ranking?.entries ?? [];
      const ordered = rankingHasOrder(all);
      const entries = all.slice(0, rows);
      body.replaceChildren(
        ...entries.map((e) =>
          h(
            'tr',
            { 'data-player': e.playerId },
            h('td', { class: 'o-bar', style: `background:${look.colorOf(e.playerId)}` }),
            h('td', { class: 'o-pos' }, ordered ? e.position : '–'),
            h('td', { class: 'o-name' }, e.name ?? look.nameOf(e.playerId)),
            h('td', { class: 'o-time' }, rankingValue(e, ordered, counts())),
          ),
        ),
      );
      hook.ranking = entries.map((e) => ({
        playerId: e.playerId,
        position: e.position,
        status: e.status,
      }));
    }
    map?.render({ track: track(), racers: frame.racers });
    hook.raceTimeMs = frame.raceTimeMs;
    hook.frames++;
  };
}

/** A one-line notice in the overlay's head. */
export function notice(text: string): HTMLElement {
  return h('div', { class: 'o-head' }, h('span', { class: 'o-title' }, text));
}
