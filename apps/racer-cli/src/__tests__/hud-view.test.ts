import type { RacerProgress } from '@gw2race/racer-core';
import { describe, expect, it } from 'vitest';
import { deltaLine, hudView } from '../hud-view';

const context = { name: 'Ann', raceId: 'r1', mode: 'racer' as const, trackName: 'Gendarran' };

const base: RacerProgress = {
  phase: 'racing',
  countdown: undefined,
  raceTime: 12.34,
  speed: 38.46,
  crossings: 1,
  courseLength: 4,
  next: { index: 1, checkpointId: 2, distance: 41.6 },
  lap: { lap: 1, of: 1 },
  place: { position: 2, of: 5, status: 'racing', time: undefined, final: false },
  split: { index: 0, split: 10.25, vsField: 0.75, vsBest: -0.25 },
  ended: undefined,
  tournament: undefined,
};

describe('the HUD view', () => {
  it('shows speed, the next checkpoint and its distance, position, the split and its deltas', () => {
    const view = hudView(base, context);
    expect(view).toMatchObject({
      title: { text: 'Ann · Gendarran' },
      phase: { text: 'RACING' },
      clock: { text: '12.3' },
      speed: { text: '38.5 m/s' },
      next: { text: 'NEXT 2/4 · 42 m' },
      lap: { text: '' },
      position: { text: 'P2/5' },
      split: { text: 'SPLIT 1  10.250' },
      vsBest: { text: '-0.250 vs your best', tone: 'ahead' },
      vsLeader: { text: '+0.750 vs leader', tone: 'behind' },
      result: { text: '' },
      standing: { text: '' },
      upNext: { text: '' },
    });
  });

  it('counts down before the start, and shows laps on a race of several', () => {
    const view = hudView(
      {
        ...base,
        phase: 'countdown',
        countdown: { remainingMs: 4200, boundMs: 1 },
        raceTime: undefined,
        lap: { lap: 1, of: 3 },
        place: undefined,
        split: undefined,
      },
      context,
    );
    expect(view.phase.text).toBe('STARTS IN');
    expect(view.clock.text).toBe('5');
    expect(view.lap.text).toBe('LAP 1/3');
    expect(view.vsBest.text).toBe('');
  });

  it('shows the result: the place, the host’s time to the millisecond, or DNF/DSQ', () => {
    const finished = hudView(
      {
        ...base,
        phase: 'over',
        raceTime: 61.2345,
        place: { position: 1, of: 5, status: 'finished', time: 61.2345, final: true },
      },
      context,
    );
    expect(finished.phase.text).toBe('RACE OVER');
    expect(finished.clock.text).toBe('1:01.234');
    expect(finished.result.text).toBe('1st of 5 · 1:01.234');
    expect(finished.next.text).toBe('');
    const done = hudView(
      {
        ...base,
        phase: 'done',
        place: { position: 5, of: 5, status: 'dsq', time: undefined, final: false },
      },
      context,
    );
    expect(done.phase.text).toBe('DISQUALIFIED');
    expect(done.result).toEqual({ text: 'DSQ', tone: 'alert' });
    const provisional = hudView(
      {
        ...base,
        phase: 'done',
        place: { position: 3, of: 5, status: 'finished', time: 70, final: false },
      },
      context,
    );
    expect(provisional.result.text).toBe('provisional: 3rd of 5 · 1:10.000');
  });

  it('a tournament: the race of how many, the standing after it, then what is next', () => {
    const tournament = { race: 1, races: 3, standing: undefined, nextRace: undefined };
    expect(hudView({ ...base, tournament }, context).upNext.text).toBe('RACE 1 OF 3');
    const standing = { position: 2, of: 6, points: 18, racePoints: 18, tied: true };
    const after = hudView(
      { ...base, phase: 'over', tournament: { ...tournament, standing } },
      context,
    );
    expect(after.standing.text).toBe('TOURNAMENT =2nd of 6 · 18 pts (+18)');
    expect(after.upNext.text).toBe('RACE 1 OF 3 DONE · NEXT RACE SOON');
    const next = { ...tournament, standing, nextRace: { raceId: 'final', name: 'Final' } };
    expect(hudView({ ...base, phase: 'over', tournament: next }, context).upNext.text).toBe(
      'NEXT: Final',
    );
    const over = { ...tournament, race: 3, standing, nextRace: { raceId: undefined } };
    expect(hudView({ ...base, phase: 'over', tournament: over }, context).upNext.text).toBe(
      'TOURNAMENT OVER',
    );
  });

  it('carries the previous race’s standing until this race’s comes', () => {
    const earlier = {
      standing: { position: 1, of: 6, points: 25, racePoints: 25, tied: false },
      race: 1,
      races: 3,
    };
    const view = hudView(
      { ...base, tournament: { race: 2, races: 3, standing: undefined, nextRace: undefined } },
      { ...context, earlier },
    );
    expect(view.standing.text).toBe('TOURNAMENT 1st of 6 · 25 pts (+25) after race 1/3');
  });

  it('a spectator and a racer before the race', () => {
    const view = hudView(
      {
        ...base,
        phase: 'waiting',
        speed: undefined,
        next: undefined,
        raceTime: undefined,
        place: undefined,
        split: undefined,
      },
      { ...context, mode: 'spectator', trackName: undefined },
    );
    expect(view.title.text).toBe('Ann · r1 · spectating');
    expect(view.phase.text).toBe('WAITING FOR RACE r1');
    expect(view.speed.text).toBe('');
    expect(deltaLine(0, 'vs leader')).toEqual({ text: '+0.000 vs leader', tone: 'even' });
  });
});
