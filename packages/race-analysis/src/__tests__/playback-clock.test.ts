import { describe, expect, it } from 'vitest';
import {
  createPlayback,
  extendPlayback,
  parsePlaybackSpeed,
  pausePlayback,
  playbackTime,
  playPlayback,
  seekPlayback,
  setPlaybackSpeed,
  settlePlayback,
  skipPlayback,
  stepPlaybackSpeed,
  stopPlayback,
  togglePlayback,
} from '../playback-clock';

describe('playback clock', () => {
  it('starts paused at the start and runs at the chosen speed', () => {
    let p = createPlayback(-5000, 60_000, 1000);
    expect(playbackTime(p, 5000)).toBe(-5000);
    p = playPlayback(p, 1000);
    expect(playbackTime(p, 3000)).toBe(-3000);
    p = setPlaybackSpeed(p, 4, 3000);
    expect(playbackTime(p, 3500)).toBe(-1000);
    p = setPlaybackSpeed(p, 0.25, 3500);
    expect(playbackTime(p, 7500)).toBe(0);
  });

  it('pauses where it is and resumes from there', () => {
    let p = playPlayback(createPlayback(0, 10_000, 0), 0);
    p = pausePlayback(p, 2500);
    expect(playbackTime(p, 9000)).toBe(2500);
    p = togglePlayback(p, 9000);
    expect(playbackTime(p, 9500)).toBe(3000);
  });

  it('seeks within the range, keeps playing, and skips both ways', () => {
    let p = playPlayback(createPlayback(0, 10_000, 0), 0);
    p = seekPlayback(p, 8000, 100);
    expect(p.playing).toBe(true);
    expect(playbackTime(p, 100)).toBe(8000);
    expect(playbackTime(seekPlayback(p, 99_999, 100), 100)).toBe(10_000);
    expect(playbackTime(seekPlayback(p, -5, 100), 100)).toBe(0);
    expect(playbackTime(skipPlayback(p, -5000, 100), 100)).toBe(3000);
  });

  it('stops at the end, and play from the end starts over', () => {
    let p = playPlayback(createPlayback(0, 1000, 0), 0);
    expect(playbackTime(p, 5000)).toBe(1000);
    p = settlePlayback(p, 5000);
    expect(p.playing).toBe(false);
    p = playPlayback(p, 6000);
    expect(playbackTime(p, 6000)).toBe(0);
  });

  it('stop goes back to the start, paused', () => {
    const p = stopPlayback(playPlayback(createPlayback(-300, 1000, 0), 0), 500);
    expect(p.playing).toBe(false);
    expect(playbackTime(p, 900)).toBe(-300);
  });

  it('steps speeds within 0.25x to 4x and parses them', () => {
    let p = createPlayback(0, 1000, 0);
    for (let i = 0; i < 5; i++) p = stepPlaybackSpeed(p, 1, 0);
    expect(p.speed).toBe(4);
    for (let i = 0; i < 9; i++) p = stepPlaybackSpeed(p, -1, 0);
    expect(p.speed).toBe(0.25);
    expect(parsePlaybackSpeed('0.5x')).toBe(0.5);
    expect(parsePlaybackSpeed('3')).toBeUndefined();
    expect(parsePlaybackSpeed(null)).toBeUndefined();
  });

  it('extends the range of a growing recording without a jump', () => {
    let p = playPlayback(createPlayback(0, 1000, 0), 0);
    p = extendPlayback(p, 5000, 500);
    expect(playbackTime(p, 500)).toBe(500);
    expect(playbackTime(p, 3000)).toBe(3000);
  });
});
