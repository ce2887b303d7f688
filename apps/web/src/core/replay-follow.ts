/**
 * The replay page tells overlays of the same browser where it is, over a `BroadcastChannel` of
 * this name, so a caster's `/overlay` follows the highlight being replayed.
 */
export const REPLAY_CHANNEL = 'gw2race-replay';

/** Where the replay page is: the race shown, the instant (race-time ms), playing or not, speed. */
export interface ReplayPosition {
  readonly type: 'gw2race-replay-position';
  readonly raceId: string;
  readonly raceTimeMs: number;
  readonly playing: boolean;
  readonly speed: number;
}

/**
 * A message from the channel, checked: anything of the same origin may post there, so only a
 * well-formed position is taken (finite time, speed 0.1-16, a race id of at most 64 characters).
 */
export function parseReplayPosition(value: unknown): ReplayPosition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.type !== 'gw2race-replay-position') return undefined;
  if (typeof v.raceId !== 'string' || v.raceId.length === 0 || v.raceId.length > 64)
    return undefined;
  if (typeof v.raceTimeMs !== 'number' || !Number.isFinite(v.raceTimeMs)) return undefined;
  if (typeof v.playing !== 'boolean') return undefined;
  if (typeof v.speed !== 'number' || !(v.speed >= 0.1 && v.speed <= 16)) return undefined;
  return {
    type: v.type,
    raceId: v.raceId,
    raceTimeMs: v.raceTimeMs,
    playing: v.playing,
    speed: v.speed,
  };
}

/**
 * The instant an overlay shows `elapsedMs` (its own monotonic clock) after it got `position`:
 * where the replay page was, moved on at its speed while it plays, within `[startMs, endMs]`.
 */
export function followedTime(
  position: Pick<ReplayPosition, 'raceTimeMs' | 'playing' | 'speed'>,
  elapsedMs: number,
  startMs: number,
  endMs: number,
): number {
  const t = position.playing
    ? position.raceTimeMs + Math.max(0, elapsedMs) * position.speed
    : position.raceTimeMs;
  return Math.min(endMs, Math.max(startMs, t));
}
