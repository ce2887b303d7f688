import type { RankingMessage, Track } from '@gw2race/protocol';
import {
  boundsOf,
  type CourseCounts,
  courseCounts,
  createReplayData,
  formatRaceTime,
  LiveRace,
  livePhase,
  PHASE_TEXT,
  type RacePhase,
  type ReplayData,
  rankingHasOrder,
  rankingValue,
  replayPhase,
} from '@gw2race/race-analysis';
import { checkpointCenter, createColorAssigner, type RacerMark } from '@gw2race/race-map';
import { openReplay } from '@gw2race/replay-format';
import { syncWithHost } from '../core/host-clock';
import { type HostInfo, hubUrlOf } from '../core/host-info';
import { followedTime, parseReplayPosition, REPLAY_CHANNEL } from '../core/replay-follow';
import { h } from './dom';
import { connectSpectator } from './live-connection';
import { liveCounts, liveTrack } from './live-view';
import { MapView } from './map-view';
import { hook } from './test-hook';

/** What the overlay shows on one frame, live or replayed. */
interface OverlayFrame {
  /** Race time shown (ms), null before START. */
  readonly raceTimeMs: number | null;
  readonly phase: RacePhase;
  readonly ranking: RankingMessage | null;
  readonly racers: readonly RacerMark[];
}

/** The overlay's elements and how it draws a frame. */
function overlayScreen(
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

/** Race seconds (or null) as ms. */
function raceTimeMsOf(seconds: number | null): number | null {
  return seconds === null ? null : seconds * 1000;
}

/** The overlay of a live race: the hub's ranking and positions, on the organizer's clock. */
function liveOverlay(root: HTMLElement, info: HostInfo, params: URLSearchParams, hubUrl: string) {
  const race = new LiveRace(info.raceId ?? '');
  syncWithHost(race.clock, { done: () => race.ended !== null });
  const colors = createColorAssigner(() => race.field);
  const look = {
    nameOf: (id: string) => race.nameOf(id),
    colorOf: (id: string) => colors.colorOf(id, race.colorOf(id)),
  };
  const title = params.get('title') ?? info.name ?? info.raceId ?? 'race';
  const draw = overlayScreen(
    root,
    title,
    params,
    () => liveTrack(info, race),
    look,
    liveCounts(info, race),
  );
  void connectSpectator(race, hubUrl, (state) => {
    hook.connection = state;
  });
  const frame = () => {
    draw({
      raceTimeMs: raceTimeMsOf(race.raceTimeNow()),
      phase: livePhase(race),
      ranking: race.ranking,
      racers: [...race.racers.values()].map((r) => ({
        playerId: r.playerId,
        x: r.x,
        z: r.z,
        color: look.colorOf(r.playerId),
        label: race.nameOf(r.playerId),
      })),
    });
    hook.ready = race.received > 0;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * The overlay of a recording (`gw2race-host replay FILE`, or a race's recording so far): it
 * follows the replay page open in the same browser (where it is, playing or paused, its speed,
 * over {@link REPLAY_CHANNEL}); with none, it plays the recording at 1x from `from=` race seconds
 * (default: the recording's start).
 */
async function replayOverlay(root: HTMLElement, info: HostInfo, params: URLSearchParams) {
  let data: ReplayData;
  try {
    const response = await fetch('/api/recording', { cache: 'no-store' });
    if (!response.ok) throw new Error(`the host answered ${response.status}`);
    const opened = openReplay(new Uint8Array(await response.arrayBuffer()));
    if (!opened.ok) throw opened.error;
    data = createReplayData(opened.value);
  } catch (error) {
    root.append(
      notice(`gw2race overlay: the recording did not load (${(error as Error).message})`),
    );
    return;
  }
  const colors = createColorAssigner(() => data.field);
  const look = {
    nameOf: (id: string) => data.names.get(id) ?? id,
    colorOf: (id: string) => colors.colorOf(id, data.colors.get(id)),
  };
  const raceId = data.replay.header.raceId;
  const track = data.track;
  const counts = track
    ? courseCounts(track, { laps: data.replay.header.state?.laps, circuit: track.circuit })
    : undefined;
  const title = params.get('title') ?? info.name ?? raceId;
  const draw = overlayScreen(
    root,
    title,
    params,
    () => track,
    look,
    () => counts,
  );
  const start = data.entries.find((e) => e.kind === 'control' && e.message.cmd === 'START');
  const startAnnouncedMs = start ? data.replay.raceTimeMs(start.at) : null;
  const from = Number(params.get('from'));
  let position = {
    raceTimeMs: Number.isFinite(from) && params.has('from') ? from * 1000 : data.startMs,
    playing: true,
    speed: 1,
  };
  let since = performance.now();
  hook.following = false;
  const channel = new BroadcastChannel(REPLAY_CHANNEL);
  channel.onmessage = (event) => {
    const next = parseReplayPosition(event.data);
    if (!next || next.raceId !== raceId) return;
    position = next;
    since = performance.now();
    hook.following = true;
  };
  const frame = () => {
    const ms = followedTime(position, performance.now() - since, data.startMs, data.endMs);
    const shown = data.frame(ms);
    draw({
      raceTimeMs: ms,
      phase: replayPhase(ms, startAnnouncedMs, shown.ranking),
      ranking: shown.ranking,
      racers: shown.racers.map((r) => ({
        playerId: r.playerId,
        x: r.x,
        z: r.z,
        color: look.colorOf(r.playerId),
        label: look.nameOf(r.playerId),
      })),
    });
    hook.ready = true;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

function notice(text: string): HTMLElement {
  return h('div', { class: 'o-head' }, h('span', { class: 'o-title' }, text));
}

/**
 * The streaming overlay (`/overlay`): a transparent page with the race clock, the phase and the
 * ranking in large type, for OBS's browser source: of the live race, or of the recording the
 * host serves (following the replay page). Query: `rows=N` (default 10), `scale=1.5`, `map=1`
 * for a small transparent map of the racers, `title=…` to replace the race name, `from=S` (a
 * replay: race seconds to play from when no replay page leads).
 */
export function startOverlay(
  app: HTMLElement,
  info: HostInfo | undefined,
  params: URLSearchParams,
) {
  hook.view = 'overlay';
  document.body.classList.add('overlay');
  document.documentElement.style.background = 'transparent';
  const scale = Math.min(Math.max(Number(params.get('scale')) || 1, 0.5), 4);
  const root = h('div', { class: 'overlay-root', style: `--scale:${scale}` });
  app.replaceChildren(root);
  const hubUrl = info ? hubUrlOf(info, window.location) : undefined;
  if (info?.mode === 'live' && hubUrl && info.raceId) liveOverlay(root, info, params, hubUrl);
  else if (info?.recording) void replayOverlay(root, info, params);
  else root.append(notice('gw2race overlay: no race or recording on this host'));
}
