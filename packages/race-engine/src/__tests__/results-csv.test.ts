import { describe, expect, it } from 'vitest';
import { adjudicate } from '../adjudicate';
import { engineInputOf } from '../engine-input';
import type { EngineInput } from '../race-state';
import { encodeResultsCsv, encodeSplitsCsv } from '../results-csv';
import { simulateRace, T0, testTrack } from './helpers/race';

describe('results as CSV', () => {
  const track = testTrack();
  const simulated = simulateRace(
    track,
    [
      { playerId: 'a', speed: 30 },
      { playerId: 'b', speed: 25 },
    ],
    { seed: 3 },
  );
  const named: EngineInput = {
    kind: 'presence',
    at: T0 - 19,
    playerId: 'a',
    message: { playerId: 'a', event: 'heartbeat', name: 'Ann, "the fast"' },
  };
  const results = adjudicate(track, [...simulated.slice(0, 4), named, ...simulated.slice(4)]);

  it('has one row per racer in ranking order, quoting names that need it', () => {
    const lines = encodeResultsCsv(results).split('\r\n');
    expect(lines[0]).toBe(
      'position,playerId,name,status,time,gapToLeader,laps,checkpoints,bestLap,uncertainty,flags,ruling',
    );
    expect(lines[1]).toMatch(/^1,a,"Ann, ""the fast""",finished,\d+(\.\d+)?,0,1,\d+,/);
    expect(lines[2]).toMatch(/^2,b,,finished,\d+(\.\d+)?,\d+(\.\d+)?,1,/);
    expect(lines.slice(3)).toEqual(['']);
  });

  it('neutralises names a spreadsheet would run as a formula', () => {
    for (const name of ["=cmd|' /C calc'!A0", '@SUM(1+1)', '+HYPERLINK("x")', '-2+3', '\tx']) {
      const input: EngineInput = { ...named, message: { ...named.message, name } } as EngineInput;
      const row = encodeResultsCsv(
        adjudicate(track, [...simulated.slice(0, 4), input, ...simulated.slice(4)]),
      ).split('\r\n')[1];
      const field = row?.split(',')[2]?.replace(/^"/, '');
      expect(field?.startsWith("'")).toBe(true);
    }
    expect(encodeResultsCsv(results)).toMatch(/\r\n2,b,,finished,\d/);
  });

  it('lists every credited crossing with its split and sector time', () => {
    const lines = encodeSplitsCsv(results).split('\r\n').slice(0, -1);
    const crossings = results.racers.reduce((n, r) => n + r.crossings.length, 0);
    expect(lines[0]).toBe(
      'playerId,name,lap,index,checkpoint,split,sector,at,uncertainty,source,speed,x,y,z',
    );
    expect(lines).toHaveLength(1 + crossings);
    const a = results.racers.find((r) => r.playerId === 'a');
    const lastOfA = lines[a?.crossings.length ?? 0] ?? '';
    expect(lastOfA.startsWith('a,"Ann, ""the fast""",1,')).toBe(true);
    // The last split of a finisher is their race time.
    const fields = lastOfA.replace(/"[^"]*(""[^"]*)*"/, 'NAME').split(',');
    expect(Number(fields[5])).toBeCloseTo(a?.time ?? Number.NaN, 5);
  });
});

describe('engineInputOf', () => {
  it('keeps what the engine judges and drops the host outputs, chat and unknown kinds', () => {
    const kinds = [
      'state',
      'control',
      'presence',
      'pos',
      'checkpoint',
      'ping',
      'ranking',
      'flag',
      'pong',
      'chat',
      'unknown',
    ];
    const judged = kinds.filter((kind) => engineInputOf({ kind }) !== undefined);
    expect(judged).toEqual(['state', 'control', 'presence', 'pos', 'checkpoint', 'ping']);
  });
});
