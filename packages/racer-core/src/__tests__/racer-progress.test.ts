import type { RankingMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { racerProgress } from '../index';
import { createHarness, playerId, raceId, state } from './support/harness';

type Harness = ReturnType<typeof createHarness>;

const progress = (h: Harness, best?: readonly number[]) =>
  racerProgress(h.core.view, { playerId, atMs: h.clock.monotonicMs(), best });

/** A racer on the line (checkpoints at x = 0, 100, 200, 300, r 10), clock synced. */
function ready(extra: Partial<typeof state> = {}) {
  const h = createHarness();
  h.connect();
  h.deliver('state', 'state', { ...state, ...extra });
  h.begin();
  h.take(h.core.handle({ type: 'game', status: 'live' }));
  h.run(1000);
  return h;
}

const ranking = (h: Harness, extra: Partial<RankingMessage> = {}): RankingMessage => ({
  raceId,
  t: h.hostNow(),
  entries: [
    { playerId: 'ann', position: 1, status: 'racing', lap: 0, checkpoints: 1, splits: [9.5] },
    { playerId, position: 2, status: 'racing', lap: 0, checkpoints: 1, splits: [10.25] },
  ],
  ...extra,
});

describe('racerProgress', () => {
  it('waits for the race, then for the start; counts down on the organizer clock', () => {
    const h = createHarness();
    expect(progress(h).phase).toBe('waiting');
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    h.run(1000);
    expect(progress(h)).toMatchObject({ phase: 'ready', countdown: undefined, crossings: 0 });
    expect(progress(h).courseLength).toBe(3);
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() + 5 });
    const counting = progress(h);
    expect(counting.phase).toBe('countdown');
    expect(counting.countdown?.remainingMs).toBeCloseTo(5000, -1);
    expect(counting.raceTime).toBeUndefined();
    h.run(6000);
    const racing = progress(h);
    expect(racing.phase).toBe('racing');
    expect(racing.countdown).toBeUndefined();
    expect(racing.raceTime).toBeCloseTo(1, 0);
  });

  it('names the next checkpoint and the distance to its edge from the latest position', () => {
    const h = ready();
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() });
    h.sample(40, 25);
    h.clock.advance(20);
    h.sample(60, 25);
    const p = progress(h);
    // Checkpoint 1 is at x = 100 with r 10: 30 m from x = 60.
    expect(p.next).toEqual({ index: 0, checkpointId: 1, distance: 30 });
    expect(p.speed).toBe(25);
    expect(p.lap).toEqual({ lap: 1, of: 1 });
    // Past it: the next is checkpoint 2.
    h.run(1500, (ms) => 60 + (ms / 1000) * 50);
    expect(h.core.view.crossings).toBe(1);
    expect(progress(h).next).toMatchObject({ index: 1, checkpointId: 2 });
  });

  it('gives no distance while the game is on another map', () => {
    const h = ready({ mapId: 15 });
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() });
    h.sample(50);
    expect(progress(h).next).toEqual({ index: 0, checkpointId: 1, distance: undefined });
  });

  it('counts laps on a circuit', () => {
    const h = ready({ laps: 2, circuit: true });
    expect(progress(h).lap).toEqual({ lap: 1, of: 2 });
    expect(progress(h).courseLength).toBe(8);
  });

  it('places the racer in the ranking, with the last split against the fastest and the best', () => {
    const h = ready();
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() });
    h.deliver('ranking', 'ranking', ranking(h));
    const p = progress(h, [10.5, 20]);
    expect(p.place).toEqual({
      position: 2,
      of: 2,
      status: 'racing',
      time: undefined,
      final: false,
    });
    expect(p.split?.index).toBe(0);
    expect(p.split?.vsField).toBeCloseTo(0.75);
    expect(p.split?.vsBest).toBeCloseTo(-0.25);
  });

  it('is done once finished (its own time), and over with the final results', () => {
    const h = ready();
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() });
    const finished = ranking(h);
    finished.entries[1] = {
      playerId,
      position: 2,
      status: 'finished',
      lap: 1,
      checkpoints: 3,
      splits: [10, 20, 30.5],
      time: 30.5,
    };
    h.deliver('ranking', 'ranking', finished);
    expect(progress(h)).toMatchObject({ phase: 'done', raceTime: 30.5 });
    h.deliver('ranking', 'ranking', { ...finished, final: true });
    const over = progress(h);
    expect(over).toMatchObject({ phase: 'over', ended: 'final results are in', raceTime: 30.5 });
    expect(over.place).toMatchObject({ position: 2, status: 'finished', final: true });
  });

  it('a spectator has no speed and no next checkpoint', () => {
    const h = createHarness({ mode: 'spectator' });
    h.connect();
    h.deliver('state', 'state', state);
    h.begin();
    expect(progress(h)).toMatchObject({ speed: undefined, next: undefined });
  });

  it('in a tournament: the race of how many, the standing after it and the next race', () => {
    const h = ready({ tournament: { race: 1, races: 3 } });
    expect(progress(h).tournament).toEqual({
      race: 1,
      races: 3,
      standing: undefined,
      nextRace: undefined,
    });
    h.deliver('control', 'control', { cmd: 'END' });
    h.deliver('control', 'control', {
      cmd: 'STANDING',
      to: playerId,
      position: 2,
      of: 6,
      points: 18,
      racePoints: 18,
    });
    h.deliver('control', 'control', { cmd: 'NEXT_RACE', next: 'final', name: 'Final' });
    expect(progress(h)).toMatchObject({
      phase: 'over',
      tournament: {
        race: 1,
        races: 3,
        standing: { position: 2, of: 6, points: 18, racePoints: 18, tied: false },
        nextRace: { raceId: 'final', name: 'Final' },
      },
    });
  });
});
