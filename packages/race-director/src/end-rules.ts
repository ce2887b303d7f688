import { toRankingMessage } from '@gw2race/race-engine';
import { getClient } from './client-table';
import { type DirectorState, rejoinGraceOf } from './director-state';

/**
 * Why the race should end at host clock `now` (epoch s), or undefined while it goes on: the time
 * limit after t0, the finish timeout after the first finisher, or nobody left racing (finished,
 * out, or dropped for longer than the rejoin grace). Only while the race is active with a t0.
 */
export function endReasonAt(state: DirectorState, now: number): string | undefined {
  const t0 = state.engine.t0;
  if (state.stage !== 'active' || t0 === null) return undefined;
  const { timeLimit, finishTimeout } = state.config;
  if (timeLimit !== undefined && now >= t0 + timeLimit)
    return `time limit of ${timeLimit} s reached`;
  if (
    state.firstFinishAt !== null &&
    finishTimeout !== undefined &&
    now >= state.firstFinishAt + finishTimeout
  )
    return `${finishTimeout} s after the first finisher`;
  if (now < t0) return undefined;
  const grace = rejoinGraceOf(state.config);
  const entries = toRankingMessage(state.engine, { splits: false }).entries;
  const racing = entries.filter((entry) => {
    // Finished, DNF and DSQ are out; the engine calls a dropped racer `disconnected`.
    if (entry.status !== 'racing' && entry.status !== 'waiting' && entry.status !== 'disconnected')
      return false;
    const info = getClient(state.clients, entry.playerId);
    // Unknown to presence (a bare MQTT client), connected, or dropped (without a goodbye) and
    // heard from less than `grace` ago: positions still coming count.
    return (
      info === undefined ||
      info.connected ||
      (info.droppedAt !== undefined && now - Math.max(info.droppedAt, info.lastSeen) < grace)
    );
  });
  if (entries.length === 0 || racing.length > 0) return undefined;
  const finished = entries.filter((e) => e.status === 'finished').length;
  return finished === entries.length ? 'every racer finished' : 'every racer finished or left';
}
