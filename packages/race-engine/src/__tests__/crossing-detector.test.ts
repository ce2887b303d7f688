import type { RankingEntry, Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { createCrossingDetector } from '../crossing-detector';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'line',
  name: 'Line',
  mapId: 24,
  checkpoints: [0, 100, 200, 300].map((x, id) => ({ id, x, y: 0, z: 0, r: 10 })),
};
const t0 = 1000;

function entry(checkpoints: number, extra: Partial<RankingEntry> = {}): RankingEntry {
  return {
    playerId: 'p1',
    position: 1,
    status: 'racing',
    lap: 0,
    checkpoints,
    splits: [10, 20, 30].slice(0, checkpoints),
    ...extra,
  };
}

/** Drives along the line at 10 m/s from `from` to `to`, 10 samples a second. */
function drive(course: ReturnType<typeof createCrossingDetector>, from: number, to: number) {
  const found = [];
  for (let x = from; x <= to; x += 1) found.push(...course.push({ t: t0 + x / 10, x, y: 0, z: 0 }));
  return found;
}

describe('the crossing detector catching up with the host', () => {
  it('a client restarted mid-race catches up with the host’s ranking and reports the next checkpoint', () => {
    const fresh = createCrossingDetector(track, { t0 });
    // Without the host's count a restarted client waits for checkpoint 1, long behind it.
    expect(drive(fresh, 250, 320)).toEqual([]);

    const restarted = createCrossingDetector(track, { t0 });
    expect(restarted.course.length).toBe(3);
    expect(restarted.catchUp(entry(2))).toBe(true);
    expect(restarted.state.next).toBe(2);
    expect(restarted.state.startAt).toBe(t0);
    const crossings = drive(restarted, 250, 320);
    expect(crossings.map((c) => [c.index, c.cp])).toEqual([[2, 3]]);
    expect(crossings[0]?.t).toBeCloseTo(t0 + 29, 1);
    expect(restarted.state.finishAt).not.toBeNull();
  });

  it('never goes back, and leaves a client that is ahead of the host alone', () => {
    const course = createCrossingDetector(track, { t0 });
    drive(course, 0, 210);
    expect(course.state.next).toBe(2);
    expect(course.catchUp(entry(1))).toBe(false);
    expect(course.catchUp(entry(2))).toBe(false);
    expect(course.state.next).toBe(2);
  });

  it('a finished racer is finished locally too', () => {
    const course = createCrossingDetector(track, { t0 });
    expect(course.catchUp(entry(3, { status: 'finished', time: 30 }))).toBe(true);
    expect(course.state.finishAt).toBe(t0 + 30);
    expect(drive(course, 0, 320)).toEqual([]);
  });

  it('does not catch up before the start is known, nor in a time trial', () => {
    expect(createCrossingDetector(track, { t0: null }).catchUp(entry(2))).toBe(false);
    const trial = createCrossingDetector(track, { t0, startRule: 'timeTrial' });
    expect(trial.catchUp(entry(2))).toBe(false);
    expect(trial.state.next).toBe(0);
  });

  it('a new start forgets the progress', () => {
    const course = createCrossingDetector(track, { t0 });
    course.catchUp(entry(2));
    course.setT0(t0 + 60);
    expect(course.state.next).toBe(0);
  });
});
