import type { RankingMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { isBetterRun, splitDelta } from '../split-delta';

const ranking = (entries: { playerId: string; splits?: number[] }[]): RankingMessage => ({
  raceId: 'r1',
  t: 1000,
  entries: entries.map((entry, i) => ({
    ...entry,
    position: i + 1,
    status: 'racing',
    lap: 0,
    checkpoints: entry.splits?.length ?? 0,
  })),
});

describe('split deltas', () => {
  it('compares the last split with the fastest other racer and the own best', () => {
    const r = ranking([
      { playerId: 'bob', splits: [10, 21, 33] },
      { playerId: 'ann', splits: [10.5, 20.2] },
      { playerId: 'cat', splits: [11, 20.9] },
    ]);
    const delta = splitDelta(r, 'ann', [10.4, 20.7, 31]);
    expect(delta?.index).toBe(1);
    expect(delta?.split).toBe(20.2);
    expect(delta?.vsField).toBeCloseTo(-0.7, 9); // ahead of cat's 20.9 and bob's 21
    expect(delta?.vsBest).toBeCloseTo(-0.5, 9);
    expect(splitDelta(r, 'bob')).toMatchObject({ index: 2, vsField: undefined, vsBest: undefined });
  });

  it('says nothing before the first credited crossing or for an unknown racer', () => {
    const r = ranking([{ playerId: 'ann', splits: [] }, { playerId: 'bob' }]);
    expect(splitDelta(r, 'ann')).toBeUndefined();
    expect(splitDelta(r, 'bob')).toBeUndefined();
    expect(splitDelta(undefined, 'ann')).toBeUndefined();
    expect(splitDelta(r, 'zed')).toBeUndefined();
  });

  it('keeps a best run only for a faster whole run of the same course', () => {
    const best = { time: 80, splits: [20, 40, 80] };
    expect(isBetterRun({ time: 79, splits: [19, 39, 79] }, best)).toBe(true);
    expect(isBetterRun({ time: 81, splits: [19, 39, 81] }, best)).toBe(false);
    expect(isBetterRun({ time: 60, splits: [30, 60] }, best)).toBe(false);
    expect(isBetterRun({ time: 60, splits: [30, 60] }, undefined)).toBe(true);
    expect(isBetterRun({ time: Number.NaN, splits: [1] }, undefined)).toBe(false);
  });
});
