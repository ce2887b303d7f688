import {
  courseCounts,
  createReplayData,
  type ReplayData,
  replayPhase,
} from '@gw2race/race-analysis';
import { createColorAssigner } from '@gw2race/race-map';
import { openReplay } from '@gw2race/replay-format';
import type { HostInfo } from '../core/host-info';
import { followedTime, parseReplayPosition, REPLAY_CHANNEL } from '../core/replay-follow';
import { notice, overlayScreen } from './overlay-screen';
import { hook } from './test-hook';

/**
 * The overlay of a recording (`gw2race-host replay FILE`, or a race's recording so far): it
 * follows the replay page open in the same browser (where it is, playing or paused, its speed,
 * over {@link REPLAY_CHANNEL}); with none, it plays the recording at 1x from `from=` race seconds
 * (default: the recording's start).
 */
export async function replayOverlay(root: HTMLElement, info: HostInfo, params: URLSearchParams) {
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
