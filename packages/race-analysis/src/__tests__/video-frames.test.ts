import { describe, expect, it } from 'vitest';
import { frameCount, frameTime } from '../video-frames';

describe('video frames of a replay', () => {
  it('covers the span at the speed and rate asked, at least one frame', () => {
    const job = { fromMs: 10_000, toMs: 20_000, speed: 4, fps: 30 };
    expect(frameCount(job)).toBe(75);
    expect(frameTime(job, 0)).toBe(10_000);
    expect(frameTime(job, 30)).toBe(14_000);
    expect(frameCount({ ...job, toMs: 10_000 })).toBe(1);
  });
});
