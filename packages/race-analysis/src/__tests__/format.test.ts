import { describe, expect, it } from 'vitest';
import { formatBytes, formatGap, formatRaceTime, replayTimeText } from '../format';

describe('formatRaceTime', () => {
  it('writes minutes, seconds and milliseconds', () => {
    expect(formatRaceTime(62.3456)).toBe('1:02.346');
    expect(formatRaceTime(0)).toBe('0:00.000');
    expect(formatRaceTime(3725.5, 1)).toBe('1:02:05.5');
  });
  it('rounds up into the next minute rather than writing 60 seconds', () => {
    expect(formatRaceTime(59.9996)).toBe('1:00.000');
  });
  it('puts a minus sign before the start and a dash for no time', () => {
    expect(formatRaceTime(-4.5, 1)).toBe('-0:04.5');
    expect(formatRaceTime(null)).toBe('–');
    expect(formatRaceTime(Number.NaN)).toBe('–');
  });
});

describe('formatGap and formatBytes', () => {
  it('signs gaps and switches to minutes past 60 s', () => {
    expect(formatGap(1.2345)).toBe('+1.234');
    expect(formatGap(-0.05)).toBe('-0.050');
    expect(formatGap(62.5)).toBe('+1:02.500');
    expect(formatGap(undefined)).toBe('');
  });
  it('writes sizes for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_345)).toBe('12.3 kB');
    expect(formatBytes(4_500_000)).toBe('4.5 MB');
  });
});

describe('the replay time display', () => {
  it('shows the race time, then played / total duration of the recording, not its end time', () => {
    // A recording from 3 s before the start to 25 s after it lasts 28 s.
    expect(replayTimeText(-3000, -3000, 25_000)).toEqual({
      raceTime: '-0:03.000',
      elapsed: '0:00.000',
      total: '0:28.000',
    });
    expect(replayTimeText(6000, -3000, 25_000)).toEqual({
      raceTime: '0:06.000',
      elapsed: '0:09.000',
      total: '0:28.000',
    });
    expect(replayTimeText(25_000, -3000, 25_000).elapsed).toBe('0:28.000');
  });
});
