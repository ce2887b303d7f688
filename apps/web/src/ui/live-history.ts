import { HTTP_API_PATHS } from '@gw2race/protocol';
import type { LiveRace } from '@gw2race/race-analysis';

/** What loading the race's history gave: the newest receive time it holds, or why none. */
export type HistoryResult =
  | { readonly ok: true; readonly to: number | null; readonly lines: number }
  | { readonly ok: false; readonly error: string };

/**
 * Fetches the host's recording as it stands (`GET /api/recording`, the file "Replay so far"
 * opens) and puts its events in the race's log ({@link LiveRace.loadHistory}): what happened
 * before this page opened. Never throws.
 */
export async function loadRaceHistory(
  race: LiveRace,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): Promise<HistoryResult> {
  let bytes: Uint8Array;
  try {
    const response = await fetcher(HTTP_API_PATHS.recording, { cache: 'no-store' });
    if (!response.ok) return { ok: false, error: `the host answered ${response.status}` };
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    return { ok: false, error: `could not fetch the recording: ${(error as Error).message}` };
  }
  // The recording reader is loaded only here: the live page's first load stays without it.
  const { openReplay } = await import('@gw2race/replay-format');
  const opened = openReplay(bytes);
  if (!opened.ok) return { ok: false, error: opened.error.message };
  const replay = opened.value;
  race.loadHistory(replay.messages().filter((entry) => entry.kind !== 'pos'));
  return { ok: true, to: replay.to, lines: race.log.length };
}

/** How often, and how many times, a recording that stops before the subscription is fetched again. */
const RETRY_MS = 6000;
const RETRIES = 3;

/**
 * Loads the history once the page is subscribed, and again while the recording stops short of
 * that instant (the host writes its recording out every few seconds: the last events before the
 * page subscribed may not be in the file yet). `onDone` gets each attempt's result.
 */
export function followRaceHistory(race: LiveRace, onDone: (result: HistoryResult) => void): void {
  race.markSubscribed();
  const subscribedAt = race.clock.referenceTime().timeMs / 1000;
  let tries = 0;
  const attempt = async () => {
    const result = await loadRaceHistory(race);
    onDone(result);
    tries++;
    if (result.ok && (result.to === null || result.to < subscribedAt) && tries <= RETRIES)
      setTimeout(() => void attempt(), RETRY_MS);
  };
  void attempt();
}
