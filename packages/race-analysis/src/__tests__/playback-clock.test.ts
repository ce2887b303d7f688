import { describe, expect, it } from 'vitest';
import {
  createPlayback,
  extend,
  parseSpeed,
  pause,
  play,
  seek,
  setSpeed,
  settle,
  skip,
  stepSpeed,
  stop,
  timeAt,
  toggle,
} from '../core/playback-clock';

describe('playback clock', () => {
  it('starts paused at the start and runs at the chosen speed', () => {
    let p = createPlayback(-5000, 60_000, 1000);
    expect(timeAt(p, 5000)).toBe(-5000);
    p = play(p, 1000);
    expect(timeAt(p, 3000)).toBe(-3000);
    p = setSpeed(p, 4, 3000);
    expect(timeAt(p, 3500)).toBe(-1000);
    p = setSpeed(p, 0.25, 3500);
    expect(timeAt(p, 7500)).toBe(0);
  });

  it('pauses where it is and resumes from there', () => {
    let p = play(createPlayback(0, 10_000, 0), 0);
    p = pause(p, 2500);
    expect(timeAt(p, 9000)).toBe(2500);
    p = toggle(p, 9000);
    expect(timeAt(p, 9500)).toBe(3000);
  });

  it('seeks within the range, keeps playing, and skips both ways', () => {
    let p = play(createPlayback(0, 10_000, 0), 0);
    p = seek(p, 8000, 100);
    expect(p.playing).toBe(true);
    expect(timeAt(p, 100)).toBe(8000);
    expect(timeAt(seek(p, 99_999, 100), 100)).toBe(10_000);
    expect(timeAt(seek(p, -5, 100), 100)).toBe(0);
    expect(timeAt(skip(p, -5000, 100), 100)).toBe(3000);
  });

  it('stops at the end, and play from the end starts over', () => {
    let p = play(createPlayback(0, 1000, 0), 0);
    expect(timeAt(p, 5000)).toBe(1000);
    p = settle(p, 5000);
    expect(p.playing).toBe(false);
    p = play(p, 6000);
    expect(timeAt(p, 6000)).toBe(0);
  });

  it('stop goes back to the start, paused', () => {
    const p = stop(play(createPlayback(-300, 1000, 0), 0), 500);
    expect(p.playing).toBe(false);
    expect(timeAt(p, 900)).toBe(-300);
  });

  it('steps speeds within 0.25x to 4x and parses them', () => {
    let p = createPlayback(0, 1000, 0);
    for (let i = 0; i < 5; i++) p = stepSpeed(p, 1, 0);
    expect(p.speed).toBe(4);
    for (let i = 0; i < 9; i++) p = stepSpeed(p, -1, 0);
    expect(p.speed).toBe(0.25);
    expect(parseSpeed('0.5x')).toBe(0.5);
    expect(parseSpeed('3')).toBeUndefined();
    expect(parseSpeed(null)).toBeUndefined();
  });

  it('extends the range of a growing recording without a jump', () => {
    let p = play(createPlayback(0, 1000, 0), 0);
    p = extend(p, 5000, 500);
    expect(timeAt(p, 500)).toBe(500);
    expect(timeAt(p, 3000)).toBe(3000);
  });
});
