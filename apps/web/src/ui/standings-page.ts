import { raceFilePath, type Standings, type StandingsRace } from '@gw2race/protocol';
import { formatRaceTime } from '@gw2race/race-analysis';
import {
  type RaceColumn,
  raceGrid,
  type StandingRow,
  type StandingsView,
  standingsView,
} from '../core/standings-view';
import { h } from './dom';
import { followStandings, type StandingsNow } from './standings-follow';
import { hook } from './test-hook';

const STATUS_TEXT: Record<RaceColumn['status'], string> = {
  done: 'results',
  now: 'now',
  next: 'next',
  later: '',
};

/**
 * `&tiles=off` when the page was opened with it (the replay it links to asks no map server
 * either); set once, when the page starts.
 */
let keep = '';

/** The link to a race's results on this page. */
const resultsHref = (raceId: string) => `/standings?race=${encodeURIComponent(raceId)}${keep}`;

/** The head of a race's column: its name (a link once it has results) and where it is. */
function raceHead(race: RaceColumn): HTMLElement {
  const label =
    race.status === 'done' ? h('a', { href: resultsHref(race.id) }, race.label) : race.label;
  return h(
    'th',
    { class: `num race-${race.status}`, 'data-race': race.id, title: `${race.kind} ${race.id}` },
    label,
    STATUS_TEXT[race.status] ? h('span', { class: 'badge' }, STATUS_TEXT[race.status]) : null,
  );
}

/** One racer's line: position, name, points, each race's points and result, the tie-breaks. */
function standingRow(row: StandingRow): HTMLElement {
  const tie =
    row.tieBreak === 'level'
      ? 'level after every tie-break'
      : row.tieBreak === 'tie-break'
        ? 'level on points: tie-break'
        : '';
  return h(
    'tr',
    { 'data-player': row.playerId },
    h('td', { class: 'pos' }, row.position),
    h('td', { class: 'racer' }, row.name),
    h('td', { class: 'num points' }, row.points),
    ...row.cells.map((cell) =>
      h(
        'td',
        { class: `num cell${cell && !cell.entered ? ' muted' : ''}` },
        cell ? `${cell.points} (${cell.result})` : '',
      ),
    ),
    h('td', { class: 'num' }, row.wins),
    h('td', { class: 'num' }, row.bestPlace ?? '–'),
    h('td', { class: 'num time' }, row.totalTime > 0 ? formatRaceTime(row.totalTime) : '–'),
    h('td', { class: 'tie' }, tie),
  );
}

/** The standings table. */
function standingsTable(view: StandingsView): HTMLElement {
  return h(
    'table',
    { class: 'standings', 'data-testid': 'standings' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Pos'),
        h('th', {}, 'Racer'),
        h('th', { class: 'num' }, 'Points'),
        ...view.races.map(raceHead),
        h('th', { class: 'num', title: 'race wins' }, 'Wins'),
        h('th', { class: 'num', title: 'best finishing place' }, 'Best'),
        h('th', { class: 'num', title: 'sum of finishing times' }, 'Time'),
        h('th', {}, 'Tie-break'),
      ),
    ),
    h('tbody', {}, ...view.rows.map(standingRow)),
  );
}

/** "Now: Heat 2 · next: Final", or that the tournament is over. */
function progressText(view: StandingsView): string {
  if (view.complete) return 'every race has run: final standings';
  const parts: string[] = [];
  if (view.now) parts.push(`now: ${view.now.label}`);
  if (view.next) parts.push(`next: ${view.next.label}`);
  return parts.join(' · ') || 'waiting for the next race';
}

/** The grid of the next race, when known. */
function nextGrid(standings: Standings, view: StandingsView): HTMLElement | null {
  const race = view.now ?? view.next;
  if (!race) return null;
  const grid = raceGrid(standings, race.id);
  return h(
    'p',
    { class: 'grid-line', 'data-testid': 'next-grid' },
    `${race.label} grid: `,
    grid
      ? grid.map((entry) => entry.name).join(', ')
      : 'known once the races it qualifies from have run',
  );
}

/** One race's results: place, racer, time, points, with its files and its replay. */
function raceResults(standings: Standings, race: StandingsRace): HTMLElement {
  const names = new Map(standings.standings.map((s) => [s.playerId, s.name]));
  const rows = race.scores.map((s) =>
    h(
      'tr',
      { 'data-player': s.playerId },
      h('td', { class: 'pos' }, s.place ?? (s.entered ? s.outcome.toUpperCase() : '–')),
      h('td', { class: 'racer' }, s.name ?? names.get(s.playerId) ?? s.playerId),
      h('td', { class: 'num time' }, formatRaceTime(s.time)),
      h('td', { class: 'num' }, s.entered ? s.points : 'not an entrant'),
    ),
  );
  return h(
    'section',
    { class: 'race-results', 'data-testid': 'race-results' },
    h('h2', {}, `${race.name ?? race.id} (${race.kind}${race.scored ? '' : ', not scored'})`),
    race.done
      ? h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Place'),
              h('th', {}, 'Racer'),
              h('th', { class: 'num' }, 'Time'),
              h('th', { class: 'num' }, 'Points'),
            ),
          ),
          h('tbody', {}, ...rows),
        )
      : h('p', { class: 'hint' }, 'this race has no results yet'),
    h(
      'nav',
      { class: 'race-files' },
      h('a', { href: '/standings' }, '← standings'),
      h(
        'a',
        { href: raceFilePath(race.id, 'results.json'), 'data-testid': 'results-json' },
        'results JSON',
      ),
      h('a', { href: raceFilePath(race.id, 'results.csv') }, 'results CSV'),
      h(
        'a',
        {
          href: `/replay?race=${encodeURIComponent(race.id)}${keep}`,
          'data-testid': 'race-replay',
        },
        'replay',
      ),
    ),
  );
}

/** What the page body shows for the standings now. */
function pageBody(now: StandingsNow, raceId: string | null): (Node | string)[] {
  const out: (Node | string)[] = [];
  if (now.error)
    out.push(
      h(
        'p',
        { class: 'error', 'data-testid': 'standings-error' },
        `${now.error}; showing the standings as last read`,
      ),
    );
  const { standings } = now;
  if (!standings) {
    out.push(
      h(
        'p',
        { class: 'hint', 'data-testid': 'no-tournament' },
        now.none
          ? 'No tournament on this host: it runs a single race. '
          : 'Loading the standings… ',
        h('a', { href: '/' }, 'the race'),
      ),
    );
    return out;
  }
  const view = standingsView(standings, now.currentId);
  if (raceId !== null) {
    const race = standings.races.find((r) => r.id === raceId);
    out.push(
      race
        ? raceResults(standings, race)
        : h('p', { class: 'error' }, `${raceId} is not a race of ${standings.tournament}`),
    );
    return out;
  }
  out.push(
    h('p', { class: 'progress', 'data-testid': 'progress' }, progressText(view)),
    h('div', { class: 'table-wrap' }, standingsTable(view)),
  );
  const grid = nextGrid(standings, view);
  if (grid) out.push(grid);
  for (const warning of view.warnings) out.push(h('p', { class: 'warn' }, warning));
  return out;
}

/**
 * The standings page (`/standings`): the tournament's name, the standings table (position,
 * racer, points, each race's points and result, wins, best place, total time, tie-breaks),
 * which race runs now and which is next with its grid, each run race linked to its results
 * (`/standings?race=ID`: the table, the results files and the replay). Follows the host.
 */
export function startStandingsPage(app: HTMLElement, params: URLSearchParams): void {
  hook.view = 'standings';
  document.body.classList.add('page-standings');
  const title = h('span', { class: 'name', 'data-testid': 'tournament' }, 'Standings');
  const body = h('main', { class: 'standings-page' });
  app.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'gw2race'),
      h('div', { class: 'title' }, title, h('span', { class: 'sub' }, 'standings')),
      h('span', { class: 'spacer' }),
      h(
        'nav',
        {},
        h('a', { href: '/' }, 'Live'),
        h('a', { href: '/overlay/standings', target: '_blank', rel: 'noopener' }, 'Overlay'),
      ),
    ),
    body,
  );
  const raceId = params.get('race');
  keep = params.get('tiles') === 'off' ? '&tiles=off' : '';
  followStandings((now) => {
    title.textContent = now.standings?.tournament ?? (now.none ? 'No tournament' : 'Standings');
    document.title = `${title.textContent} · standings`;
    body.replaceChildren(...pageBody(now, raceId));
  });
}
