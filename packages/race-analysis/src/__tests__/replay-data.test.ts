import { encodeResultsCsv, encodeSplitsCsv } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import { createReplayData, sampleBefore } from '../replay-data';
import { sectorAnalysis } from '../sectors';
import { along, CREATED, open, recordRace, T0 } from './recording';

describe('a recording opened for the viewer', () => {
  it('spans the recording in race time and places racers where the recording puts them', async () => {
    const data = createReplayData(open(await recordRace()));
    expect(data.startMs).toBeLessThanOrEqual(-4000);
    expect(data.endMs).toBeGreaterThanOrEqual(16_000);
    const frame = data.frame(5000);
    expect(frame.racers.map((r) => r.playerId).sort()).toEqual(['p1', 'p2']);
    for (const [id, speed] of [
      ['p1', 30],
      ['p2', 25],
    ] as const) {
      const racer = frame.racers.find((r) => r.playerId === id);
      const expected = along(speed, 5);
      expect(racer?.x).toBeCloseTo(expected.x, 1);
      expect(racer?.z).toBeCloseTo(expected.z, 1);
    }
    expect(frame.ranking?.entries[0]?.playerId).toBe('p1');
    expect(data.names.get('p1')).toBe('Alice');
    expect(data.colors.get('p1')).toBe('#123456');
    // Each recorded sample once in a racer's path (ghosts, heatmap), time-ordered.
    const path = data.paths.get('p1');
    expect(path?.t.length).toBe(data.replay.track('p1')?.length);
    expect(path?.t.every((t, i, all) => i === 0 || t > (all[i - 1] as number))).toBe(true);
  });

  it('judges the recording with the race engine: finishes, splits, sectors', async () => {
    const data = createReplayData(open(await recordRace()));
    const results = data.results;
    expect(results?.final).toBe(true);
    expect(results?.racers.map((r) => r.playerId)).toEqual(['p1', 'p2']);
    const [p1, p2] = results?.racers ?? [];
    // The course is 11.5 s long at 30 m/s... within the finish sphere's radius earlier.
    expect(p1?.time).toBeGreaterThan(10);
    expect(p2?.time).toBeGreaterThan(p1?.time as number);
    const lap = data.state?.config.course.lap.map((c) => c.id) ?? [];
    expect(lap).toEqual([1, 2, 3, 4]);
    const sectors = sectorAnalysis(results!, lap);
    expect(sectors.columns.map((c) => c.label)).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(sectors.rows).toHaveLength(2);
    // Alice is faster everywhere: every sector of hers is the field's best.
    expect(sectors.rows[0]?.marks.every((m) => m === 'overall-best')).toBe(true);
    expect(sectors.rows[1]?.marks.every((m) => m === 'personal-best')).toBe(true);
    expect(sectors.theoreticalBest).toBeCloseTo(p1?.time as number, 6);
    expect(sectors.racers[1]?.potential).toBeCloseTo(0, 6);

    const csv = encodeResultsCsv(results!).split('\r\n');
    expect(csv[0]).toBe(
      'position,playerId,name,status,time,gapToLeader,laps,checkpoints,bestLap,uncertainty,flags,ruling',
    );
    expect(csv[1]).toMatch(/^1,p1,Alice,finished,1\d\.\d+,/);
    const splits = encodeSplitsCsv(results!).trim().split('\r\n');
    expect(splits).toHaveLength(1 + 2 * 4);
    expect(splits[1]).toMatch(/^p1,Alice,1,0,1,/);
  });

  it('places racers of a recording whose positions are event lines', async () => {
    const data = createReplayData(open(await recordRace({ compactPositions: false })));
    const frame = data.frame(5000);
    const p2 = frame.racers.find((r) => r.playerId === 'p2');
    expect(p2?.x).toBeCloseTo(along(25, 5).x, 1);
    expect(data.paths.get('p1')?.t.length).toBe(171);
    expect(data.replay.raceTimeMs(T0)).toBe(0);
    expect(CREATED).toBeLessThan(T0);
  });

  it('finds the sample before an instant', () => {
    const t = [1, 2, 3, 5];
    expect(sampleBefore(t, 0.5)).toBe(-1);
    expect(sampleBefore(t, 1)).toBe(0);
    expect(sampleBefore(t, 4.9)).toBe(2);
    expect(sampleBefore(t, 99)).toBe(3);
  });
});
