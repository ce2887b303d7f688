import type { Track } from '@gw2race/protocol';
import {
  boundsOf,
  type CourseCounts,
  courseCounts,
  courseSummary,
  formatRaceTime,
  LiveRace,
  livePhase,
  PHASE_TEXT,
  rankingHasOrder,
  unionBounds,
} from '@gw2race/race-analysis';
import { trackFromState } from '@gw2race/race-engine';
import {
  checkpointCenter,
  createColorAssigner,
  type RacerMark,
  type WorldLine,
} from '@gw2race/race-map';
import { syncWithHost } from '../core/host-clock';
import { type HostInfo, hubUrlOf } from '../core/host-info';
import { ControlsPanel, type TokenStore } from './controls-panel';
import { createTabs, h } from './dom';
import { type ConnectionState, connectSpectator } from './live-connection';
import { followRaceHistory } from './live-history';
import { MapView } from './map-view';
import { RankingTable } from './ranking-table';
import { hook } from './test-hook';

/** Options of the live view. */
export interface LiveViewOptions extends TokenStore {
  readonly tiles: boolean;
}

/** A position older than this (s) is drawn faded: the racer's stream stopped. */
const STALE_S = 3;

/** The track to draw: the host's, else the one the race state describes. */
export function liveTrack(info: HostInfo, race: LiveRace): Track | null {
  if (info.track) return info.track;
  return race.state ? trackFromState(race.state) : null;
}

/**
 * What the live race's course asks (crossings per lap, laps), as the race engine counts them,
 * with the laps and circuit the race state says; computed again only when the track or the
 * state changes.
 */
export function liveCounts(info: HostInfo, race: LiveRace): () => CourseCounts | undefined {
  let track: Track | null = null;
  let state: unknown = null;
  let counts: CourseCounts | undefined;
  return () => {
    const next = liveTrack(info, race);
    if (next !== track || race.state !== state) {
      track = next;
      state = race.state;
      counts = next
        ? courseCounts(next, { laps: race.state?.laps, circuit: race.state?.circuit })
        : undefined;
    }
    return counts;
  };
}

/** Ranking positions by player (to rank name labels on the map); none before anyone leads. */
export function ranksOf(race: LiveRace): Map<string, number> {
  const entries = race.ranking?.entries ?? [];
  if (!rankingHasOrder(entries)) return new Map();
  return new Map(entries.map((e) => [e.playerId, e.position]));
}

/** The live page's header: race name, stage, connection, race clock and links. */
function liveHeader(info: HostInfo, raceId: string) {
  const clock = h('div', { class: 'clock', 'data-testid': 'clock' }, '–');
  const stage = h('span', { class: 'badge live', 'data-testid': 'stage' }, 'live');
  const course = h('span', { 'data-testid': 'course' });
  const conn = h('span', { class: 'conn', 'data-testid': 'connection' }, 'connecting…');
  const replayLink = h(
    'a',
    {
      href: '/replay?src=host',
      target: '_blank',
      rel: 'noopener',
      title: 'open the recording as it stands in a new tab',
    },
    'Replay so far',
  );
  const standingsLink = h(
    'a',
    // In a tournament the standings are a click away; a race on its own has none.
    { href: '/standings', hidden: info.tournament !== true, 'data-testid': 'standings-link' },
    'Standings',
  );
  const element = h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'gw2race'),
    h(
      'div',
      { class: 'title' },
      h('span', {}, h('span', { class: 'name' }, info.name ?? 'race'), stage),
      h(
        'span',
        { class: 'sub' },
        `race ${raceId}${info.track ? ` · ${info.track.name}` : ''}`,
        course,
      ),
    ),
    h('div', { class: 'spacer' }),
    conn,
    clock,
    h(
      'nav',
      {},
      replayLink,
      h('a', { href: '/overlay', target: '_blank', rel: 'noopener' }, 'Overlay'),
      standingsLink,
    ),
  );

  return { element, clock, stage, conn, course };
}

/** The page's body: the map with its tools, and the Ranking, Organizer and Log tabs; returns the log. */
function mountLive(
  app: HTMLElement,
  map: MapView,
  layers: { trails: boolean },
  ranking: RankingTable,
  controls: ControlsPanel,
): HTMLElement {
  const log = h(
    'div',
    { class: 'log', 'data-testid': 'log' },
    h('p', { class: 'hint' }, 'Loading the race so far…'),
  );
  const tabs: [string, HTMLElement][] = [
    ['Ranking', ranking.element],
    ['Organizer', controls.element],
    ['Log', log],
  ];
  app.append(
    h(
      'main',
      { class: 'body' },
      h('div', { class: 'map-wrap' }, mapTools(map, layers), map.element),
      createTabs(tabs),
    ),
  );
  return log;
}

/** The header's clock, phase and course counts now; returns the race time shown (s). */
function showHeader(
  header: ReturnType<typeof liveHeader>,
  race: LiveRace,
  counts: CourseCounts | undefined,
): number | null {
  const raceTime = race.raceTimeNow();
  header.clock.textContent = raceTime === null ? '–' : formatRaceTime(raceTime, 1);
  const phase = livePhase(race);
  header.stage.textContent = `live · ${PHASE_TEXT[phase]}`;
  header.stage.dataset.phase = phase;
  hook.phase = phase;
  header.course.textContent = counts ? ` · ${courseSummary(counts)}` : '';
  return raceTime;
}

/** The map's buttons: fit, names, trails. */
function mapTools(map: MapView, layers: { trails: boolean }): HTMLElement {
  const trailsBox = h('input', { type: 'checkbox', checked: true });
  trailsBox.addEventListener('change', () => {
    layers.trails = trailsBox.checked;
    map.invalidate();
  });
  const labelsBox = h('input', { type: 'checkbox', checked: true });
  labelsBox.addEventListener('change', () => {
    map.labels = labelsBox.checked;
    map.invalidate();
  });
  return h(
    'div',
    { class: 'map-tools' },
    h('button', { onclick: () => map.fit() }, 'Fit'),
    h('label', {}, labelsBox, 'Names'),
    h('label', {}, trailsBox, 'Trails'),
  );
}

/**
 * The race log, newest first, with the time of day each line arrived (for lines from the
 * recording, when the host received them). Text nodes only: the lines carry wire text.
 */
function renderLog(log: HTMLElement, race: LiveRace): void {
  if (race.log.length === 0) {
    log.replaceChildren(h('p', { class: 'hint' }, 'Nothing has happened yet.'));
    return;
  }
  log.replaceChildren(
    ...[...race.log]
      .reverse()
      .map((line) =>
        h(
          'div',
          { class: `${line.level} from-${line.source}` },
          `${new Date(line.wall).toLocaleTimeString()} ${line.text}`,
        ),
      ),
  );
}

/** Names and colours of racers on the live page, and the course's counts. */
interface Look {
  nameOf(playerId: string): string;
  colorOf(playerId: string): string;
  counts(): CourseCounts | undefined;
}

/** Every racer's mark and, with trails on, its recent trail. */
function racerMarks(race: LiveRace, look: Look, trails: boolean) {
  const marks: RacerMark[] = [];
  const lines: WorldLine[] = [];
  const ranks = ranksOf(race);
  for (const racer of race.racers.values()) {
    const rank = ranks.get(racer.playerId);
    marks.push({
      ...(rank === undefined ? {} : { rank }),
      playerId: racer.playerId,
      x: racer.x,
      z: racer.z,
      color: look.colorOf(racer.playerId),
      label: look.nameOf(racer.playerId),
      faded: race.ageOf(racer) > STALE_S,
    });
    const trail = race.trails.get(racer.playerId);
    if (trails && trail && trail.length >= 4) {
      const x: number[] = [];
      const z: number[] = [];
      for (let i = 0; i < trail.length; i += 2) {
        x.push(trail[i] as number);
        z.push(trail[i + 1] as number);
      }
      lines.push({ x, z, color: look.colorOf(racer.playerId), width: 3, alpha: 0.6 });
    }
  }
  return { marks, lines };
}

/** What the browser tests read of the live page after each frame. */
function publishHook(race: LiveRace, map: MapView, marks: RacerMark[], raceTime: number | null) {
  hook.raceTimeMs = raceTime === null ? null : raceTime * 1000;
  hook.racers = marks.map((m) => {
    const [screenX, screenY] = map.toScreen(m.x, m.z);
    return { playerId: m.playerId, x: m.x, z: m.z, screenX, screenY, color: m.color };
  });
  hook.ranking = (race.ranking?.entries ?? []).map((e) => ({
    playerId: e.playerId,
    position: e.position,
    status: e.status,
  }));
  hook.frames++;
}

/**
 * The race is over and the host has closed it: this page shows the end as it was; the note says
 * so, and how to open the recording (the host is gone, and "Replay so far" with it).
 */
function showClosed(info: HostInfo): void {
  if (document.querySelector('[data-testid=closed]')) return;
  const command = info.replayCommand ?? 'gw2race-host replay race_….replay.jsonl.gz';
  const note = h(
    'div',
    { class: 'closed-note', role: 'status', 'data-testid': 'closed' },
    h('strong', {}, 'The host closed the race.'),
    ' What you see is its end. To watch it again, on the host’s machine run ',
    h('code', {}, command),
    info.replayCommand ? '' : ' (the recording is in the host’s results folder)',
    h('button', { type: 'button', title: 'hide this note' }, '×'),
  );
  note.querySelector('button')?.addEventListener('click', () => note.remove());
  document.body.append(note);
}

/** Joins the hub (when a browser can reach it) and shows the connection's state. */
function connect(
  info: HostInfo,
  race: LiveRace,
  conn: HTMLElement,
  onState: (s: ConnectionState) => void,
) {
  const hubUrl = hubUrlOf(info, window.location);
  if (!hubUrl) {
    conn.textContent = 'no hub reachable from a browser (the host runs on a hub without WebSocket)';
    return;
  }
  void connectSpectator(
    race,
    hubUrl,
    (state, detail) => {
      onState(state);
      hook.connection = state;
      conn.className = `conn ${state}`;
      conn.textContent = detail ? `${state}: ${detail}` : state;
      if (state === 'closed') showClosed(info);
    },
    // Subscribed (again): what happened before comes from the recording so far.
    () => {
      if (!info.recording) return;
      followRaceHistory(race, (result) => {
        hook.history = result.ok
          ? { lines: result.lines }
          : { lines: race.log.length, error: result.error };
        if (!result.ok) console.warn(`gw2race: the race so far is not shown: ${result.error}`);
      });
    },
  );
}

/**
 * The live page: every racer on the map as positions arrive, the ranking the host publishes, the
 * race log, and the organizer's controls (which need the host token).
 */
export function startLiveView(app: HTMLElement, info: HostInfo, options: LiveViewOptions) {
  hook.view = 'live';
  const raceId = info.raceId ?? '';
  const race = new LiveRace(raceId);
  // The race clock on the organizer's clock: round trips to the host's /api/time.
  syncWithHost(race.clock, { done: () => race.ended !== null });
  const colors = createColorAssigner(() => race.field);
  const counts = liveCounts(info, race);
  const look: Look = {
    nameOf: (id) => race.nameOf(id),
    colorOf: (id) => colors.colorOf(id, race.colorOf(id)),
    counts,
  };
  const header = liveHeader(info, raceId);
  app.replaceChildren(header.element);
  const map = new MapView({ tiles: options.tiles });
  const layers = { trails: true };
  const ranking = new RankingTable(look);
  const controls = new ControlsPanel(race, options);
  const log = mountLive(app, map, layers, ranking, controls);

  let track = liveTrack(info, race);
  const fitTrack = () => {
    const cps =
      track?.checkpoints.map((cp) => ({
        ...checkpointCenter(cp),
        r: cp.kind === 'gate' ? 10 : cp.r,
      })) ?? [];
    map.setBounds(unionBounds(boundsOf(cps), boundsOf(race.racers.values())));
  };
  fitTrack();
  map.useMap(track?.mapId ?? undefined);

  let connection: ConnectionState = 'connecting';
  connect(info, race, header.conn, (state) => {
    connection = state;
  });

  let logShown = -1;
  let lastStateSeen = race.state;
  let racersSeen = 0;
  const frame = () => {
    if (race.state !== lastStateSeen) {
      lastStateSeen = race.state;
      const next = liveTrack(info, race);
      if (next !== track) {
        track = next;
        fitTrack();
      }
    }
    if (race.racers.size !== racersSeen) {
      racersSeen = race.racers.size;
      fitTrack();
      controls.refreshRacers();
    }
    const raceTime = showHeader(header, race, counts());
    ranking.update(race.ranking);
    if (race.logVersion !== logShown) {
      logShown = race.logVersion;
      renderLog(log, race);
      controls.refreshRacers();
    }
    const { marks, lines } = racerMarks(race, look, layers.trails);
    map.render({ track, racers: marks, trails: lines });
    publishHook(race, map, marks, raceTime);
    hook.ready = connection === 'connected' && race.received > 0;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
