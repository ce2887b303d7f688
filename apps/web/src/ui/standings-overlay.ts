import { raceGrid, standingsView } from '../core/standings-view';
import { h } from './dom';
import { notice } from './overlay-screen';
import { followStandings, type StandingsNow } from './standings-follow';
import { hook } from './test-hook';

/** Which scene: the standings, or the grid of the next race (or of `race=ID`). */
export type StandingsScene = 'standings' | 'grid';

/** A table row of the overlay: bar, position or slot, name, a figure. */
function row(playerId: string, first: string | number, name: string, figure: string) {
  return h(
    'tr',
    { 'data-player': playerId },
    h('td', { class: 'o-bar o-bar-accent' }),
    h('td', { class: 'o-pos' }, first),
    h('td', { class: 'o-name' }, name),
    h('td', { class: 'o-time' }, figure),
  );
}

/** The standings scene: the tournament, where it is, the top racers and their points. */
function standingsScene(now: StandingsNow, params: URLSearchParams, rows: number): HTMLElement[] {
  if (!now.standings)
    return [notice(now.none ? 'gw2race: no tournament on this host' : 'standings…')];
  const view = standingsView(now.standings, now.currentId);
  const stage = view.complete
    ? 'final standings'
    : view.now
      ? `now: ${view.now.label}`
      : view.next
        ? `next: ${view.next.label}`
        : '';
  return [
    h(
      'div',
      { class: 'o-head' },
      h('span', { class: 'o-title' }, params.get('title') ?? view.tournament),
      h('span', { class: 'o-stage', 'data-testid': 'overlay-stage' }, stage),
    ),
    h(
      'table',
      {},
      h(
        'tbody',
        { 'data-testid': 'overlay-standings' },
        ...view.rows
          .slice(0, rows)
          .map((r) => row(r.playerId, r.position, r.name, `${r.points} pts`)),
      ),
    ),
  ];
}

/** The grid scene: the next race's entrants in grid order (or `race=ID`'s), with their points. */
function gridScene(now: StandingsNow, params: URLSearchParams, rows: number): HTMLElement[] {
  const { standings } = now;
  if (!standings) return [notice(now.none ? 'gw2race: no tournament on this host' : 'grid…')];
  const view = standingsView(standings, now.currentId);
  const wanted = params.get('race');
  const race = wanted !== null ? view.races.find((r) => r.id === wanted) : (view.now ?? view.next);
  if (!race)
    return [
      notice(
        wanted !== null
          ? `${wanted}: not a race of ${view.tournament}`
          : `${view.tournament}: every race has run`,
      ),
    ];
  const grid = raceGrid(standings, race.id);
  const title = params.get('title') ?? view.tournament;
  return [
    h(
      'div',
      { class: 'o-head' },
      h('span', { class: 'o-title' }, title),
      h('span', { class: 'o-clock o-race', 'data-testid': 'overlay-race' }, race.label),
      h(
        'span',
        { class: 'o-stage', 'data-testid': 'overlay-stage' },
        grid ? 'grid' : 'grid once qualifying has run',
      ),
    ),
    ...(grid
      ? [
          h(
            'table',
            {},
            h(
              'tbody',
              { 'data-testid': 'overlay-grid' },
              ...grid.slice(0, rows).map((e) => row(e.playerId, e.slot, e.name, `${e.points} pts`)),
            ),
          ),
        ]
      : []),
  ];
}

/**
 * The tournament's OBS scenes: `/overlay/standings` (the top `rows` of the standings) and
 * `/overlay/grid` (the next race's grid; `race=ID` for another), transparent, in the overlay's
 * large type. Query: `rows=N` (default 10), `scale=1.5`, `title=…`. They follow the host's
 * standings as races end.
 */
export function startStandingsOverlay(
  app: HTMLElement,
  scene: StandingsScene,
  params: URLSearchParams,
): void {
  hook.view = 'overlay';
  document.body.classList.add('overlay');
  document.documentElement.style.background = 'transparent';
  const scale = Math.min(Math.max(Number(params.get('scale')) || 1, 0.5), 4);
  const rows = Math.min(Math.max(Number(params.get('rows')) || 10, 1), 50);
  const root = h('div', { class: 'overlay-root', style: `--scale:${scale}`, 'data-scene': scene });
  app.replaceChildren(root);
  followStandings((now) => {
    root.replaceChildren(
      ...(scene === 'grid' ? gridScene(now, params, rows) : standingsScene(now, params, rows)),
    );
  });
}
