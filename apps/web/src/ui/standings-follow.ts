import type { Standings } from '@gw2race/protocol';
import { fetchHostInfo } from '../core/host-info';
import { fetchStandings, type StandingsAnswer } from '../core/standings-view';
import { hook } from './test-hook';

/** How often the standings are asked for: they change only when a race ends. */
const POLL_MS = 2000;

/** What a standings page shows now: the last standings read, and the race the host runs. */
export interface StandingsNow {
  readonly standings: Standings | undefined;
  readonly currentId: string | undefined;
  /** No tournament on this host (a race on its own, or a replay). */
  readonly none: boolean;
  /** Why the last poll failed (the standings shown stay the last read), or undefined. */
  readonly error: string | undefined;
}

/**
 * Follows the host's standings: `GET /api/standings` and `/api/info` (the race running now)
 * every 2 s, calling `show` when something changed. A failed poll keeps the last standings
 * (the host may be between races, or gone after the last one) and says why.
 */
export function followStandings(show: (now: StandingsNow) => void): void {
  let shown = '';
  let standings: Standings | undefined;
  const poll = async () => {
    const [answer, info]: [StandingsAnswer, Awaited<ReturnType<typeof fetchHostInfo>>] =
      await Promise.all([fetchStandings(), fetchHostInfo()]);
    if (answer.kind === 'standings') standings = answer.standings;
    const now: StandingsNow = {
      standings,
      currentId: info?.raceId,
      none: answer.kind === 'none',
      error: answer.kind === 'error' ? answer.error : undefined,
    };
    const key = JSON.stringify(now);
    if (key !== shown) {
      shown = key;
      show(now);
      hook.standings = {
        updates: (hook.standings?.updates ?? 0) + 1,
        none: now.none,
        ...(now.error ? { error: now.error } : {}),
        done: standings?.races.filter((r) => r.done).map((r) => r.id) ?? [],
      };
      hook.ready = true;
    }
    setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
}
