import {
  boundsOf,
  formatGap,
  formatRaceTime,
  LiveRace,
  liveStageText,
} from '@gw2race/race-analysis';
import { checkpointCenter, createColorAssigner } from '@gw2race/race-map';
import { syncWithHost } from '../core/host-clock';
import { type HostInfo, hubUrlOf } from '../core/host-info';
import { h } from './dom';
import { connectSpectator } from './live-connection';
import { liveTrack } from './live-view';
import { MapView } from './map-view';
import { hook } from './test-hook';

/**
 * The streaming overlay (`/overlay`): a transparent page with the race clock and the ranking in
 * large type, for OBS's browser source. Query: `rows=N` (default 10), `scale=1.5`, `map=1` for a
 * small transparent map of the racers, `title=…` to replace the race name.
 */
export function startOverlay(
  app: HTMLElement,
  info: HostInfo | undefined,
  params: URLSearchParams,
) {
  hook.view = 'overlay';
  document.body.classList.add('overlay');
  document.documentElement.style.background = 'transparent';
  const rows = Math.min(Math.max(Number(params.get('rows')) || 10, 1), 50);
  const scale = Math.min(Math.max(Number(params.get('scale')) || 1, 0.5), 4);
  const root = h('div', { class: 'overlay-root', style: `--scale:${scale}` });
  app.replaceChildren(root);
  const hubUrl = info ? hubUrlOf(info, window.location) : undefined;
  if (info?.mode !== 'live' || !hubUrl || !info.raceId) {
    root.append(
      h(
        'div',
        { class: 'o-head' },
        h('span', { class: 'o-title' }, 'gw2race overlay: no live race on this host'),
      ),
    );
    return;
  }
  const race = new LiveRace(info.raceId);
  // The race clock on the organizer's clock: round trips to the host's /api/time.
  syncWithHost(race.clock, { done: () => race.ended !== null });
  const colors = createColorAssigner();
  const title = h('span', { class: 'o-title' }, params.get('title') ?? info.name ?? info.raceId);
  const clock = h('span', { class: 'o-clock', 'data-testid': 'overlay-clock' }, '–');
  const stage = h('span', { class: 'o-stage' });
  const body = h('tbody', { 'data-testid': 'overlay-ranking' });
  root.append(h('div', { class: 'o-head' }, title, clock, stage), h('table', {}, body));
  let map: MapView | undefined;
  if (params.get('map') === '1') {
    map = new MapView({ tiles: false, transparent: true, grid: false });
    map.labels = false;
    const holder = h('div', { class: 'o-map' }, map.element);
    root.append(holder);
    const track = info.track;
    map.setBounds(
      boundsOf(
        track?.checkpoints.map((cp) => ({
          ...checkpointCenter(cp),
          r: cp.kind === 'gate' ? 10 : cp.r,
        })) ?? [],
      ),
    );
  }
  void connectSpectator(race, hubUrl, (state) => {
    hook.connection = state;
  });
  let shown: unknown;
  const frame = () => {
    const t = race.raceTimeNow();
    clock.textContent = t === null ? '–' : formatRaceTime(t, 1);
    stage.textContent = liveStageText(race);
    if (race.ranking !== shown) {
      shown = race.ranking;
      const entries = (race.ranking?.entries ?? []).slice(0, rows);
      body.replaceChildren(
        ...entries.map((e) => {
          const color = colors.colorOf(e.playerId, race.colorOf(e.playerId));
          const value =
            e.status === 'finished' && e.time !== undefined
              ? formatRaceTime(e.time, 3)
              : e.status === 'racing'
                ? e.position === 1
                  ? `CP ${e.checkpoints}`
                  : formatGap(e.gapToLeader ?? undefined, 1)
                : e.status.toUpperCase();
          return h(
            'tr',
            { 'data-player': e.playerId },
            h('td', { class: 'o-bar', style: `background:${color}` }),
            h('td', { class: 'o-pos' }, e.position),
            h('td', { class: 'o-name' }, e.name ?? race.nameOf(e.playerId)),
            h('td', { class: 'o-time' }, value),
          );
        }),
      );
      hook.ranking = entries.map((e) => ({
        playerId: e.playerId,
        position: e.position,
        status: e.status,
      }));
    }
    if (map) {
      map.render({
        track: liveTrack(info, race),
        racers: [...race.racers.values()].map((r) => ({
          playerId: r.playerId,
          x: r.x,
          z: r.z,
          color: colors.colorOf(r.playerId, race.colorOf(r.playerId)),
          label: race.nameOf(r.playerId),
        })),
      });
    }
    hook.raceTimeMs = t === null ? null : t * 1000;
    hook.frames++;
    hook.ready = race.received > 0;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
