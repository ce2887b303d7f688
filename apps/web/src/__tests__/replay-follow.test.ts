import { describe, expect, it } from 'vitest';
import { followedTime, parseReplayPosition } from '../core/replay-follow';

describe('the overlay following a replay page', () => {
  const good = {
    type: 'gw2race-replay-position',
    raceId: 'abc123',
    raceTimeMs: 12_500,
    playing: true,
    speed: 2,
  };

  it('takes only well-formed positions from the channel', () => {
    expect(parseReplayPosition(good)).toEqual(good);
    expect(parseReplayPosition({ ...good, extra: '<img>' })).toEqual(good);
    for (const bad of [
      null,
      'x',
      { ...good, type: 'other' },
      { ...good, raceId: '' },
      { ...good, raceTimeMs: Number.NaN },
      { ...good, playing: 'yes' },
      { ...good, speed: 1000 },
    ])
      expect(parseReplayPosition(bad)).toBeUndefined();
  });

  it('moves on at the page’s speed while it plays, holds while paused, stays in the recording', () => {
    expect(followedTime(good, 1000, -3000, 60_000)).toBe(14_500);
    expect(followedTime({ ...good, playing: false }, 1000, -3000, 60_000)).toBe(12_500);
    expect(followedTime(good, 1_000_000, -3000, 60_000)).toBe(60_000);
    expect(followedTime({ ...good, raceTimeMs: -9000 }, 0, -3000, 60_000)).toBe(-3000);
  });
});
