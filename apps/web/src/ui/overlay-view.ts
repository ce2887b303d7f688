import { LiveRace, livePhase } from '@gw2race/race-analysis';
import { createColorAssigner } from '@gw2race/race-map';
import { syncWithHost } from '../core/host-clock';
import { type HostInfo, hubUrlOf } from '../core/host-info';
import { h } from './dom';
import { connectSpectator } from './live-connection';
import { liveCounts, liveTrack } from './live-view';
import { notice, overlayScreen } from './overlay-screen';
import { hook } from './test-hook';

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
  else if (info?.recording)
    // The recording reader and the analysis load only for a replay's overlay.
    void import('./overlay-replay').then(({ replayOverlay }) => replayOverlay(root, info, params));
  else root.append(notice('gw2race overlay: no race or recording on this host'));
}
