import { parseTrack } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import {
  createRecorder,
  type Here,
  pathRows,
  type RecorderAction,
  type RecorderOptions,
  type RecorderState,
  recordedTrack,
  recorderStep,
  recordPathSample,
} from '../index';

const at = (x: number, z: number, mapId = 24, ms = 0, y = 10): Here => ({
  known: true,
  x,
  y,
  z,
  mapId,
  at: ms,
});
const nowhere: Here = { known: false, why: 'waiting for Guild Wars 2 (no MumbleLink data yet)' };

/** Runs actions at places; returns the final state and every notice. */
function run(options: RecorderOptions, steps: [RecorderAction['type'] | RecorderAction, Here][]) {
  let state: RecorderState = createRecorder(options);
  const notices: string[] = [];
  for (const [step, here] of steps) {
    const action = typeof step === 'string' ? ({ type: step } as RecorderAction) : step;
    const result = recorderStep(state, action, here);
    state = result.state;
    notices.push(`${result.notice.level}: ${result.notice.text}`);
  }
  return { state, notices };
}

const META = {
  id: 'test',
  name: 'Test',
  author: 'Organizer',
  createdAt: '2025-01-02T03:04:05.000Z',
};

function saved(state: RecorderState) {
  const result = recordedTrack(state, META);
  if (!result.ok) throw result.error;
  // What is saved always satisfies the protocol schema.
  expect(parseTrack(result.value).ok).toBe(true);
  return result.value;
}

describe('the track recorder', () => {
  it('drops the start, checkpoints and the finish where the organizer is', () => {
    const { state, notices } = run({}, [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(100, 0)],
      ['checkpoint', at(200, 50)],
      ['finish', at(200, 250)],
    ]);
    expect(notices).toEqual([
      'info: the start at (0.0, 10.0, 0.0), radius 15 m on map 24',
      'info: checkpoint 1 at (100.0, 10.0, 0.0), radius 15 m, 100.0 m from the start',
      'info: checkpoint 2 at (200.0, 10.0, 50.0), radius 15 m, 111.8 m from checkpoint 1',
      'info: the finish at (200.0, 10.0, 250.0), radius 15 m, 200.0 m from checkpoint 2: the course is closed (w saves)',
    ]);
    expect(saved(state)).toEqual({
      format: 'gw2race-track',
      version: 1,
      id: 'test',
      name: 'Test',
      mapId: 24,
      author: 'Organizer',
      createdAt: '2025-01-02T03:04:05.000Z',
      checkpoints: [
        { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 15 },
        { id: 1, role: 'checkpoint', x: 100, y: 10, z: 0, r: 15 },
        { id: 2, role: 'checkpoint', x: 200, y: 10, z: 50, r: 15 },
        { id: 3, role: 'finish', x: 200, y: 10, z: 250, r: 15 },
      ],
      source: { kind: 'gw2race-host track record' },
    });
  });

  it('refuses drops without a position, and after the course is closed', () => {
    const { state, notices } = run({}, [
      ['checkpoint', nowhere],
      ['finish', at(0, 0)],
      ['reset', at(0, 0)],
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(0, 0, 0)],
      ['finish', at(100, 0)],
      ['checkpoint', at(200, 0)],
      ['loop', at(200, 0)],
    ]);
    expect(notices).toEqual([
      'error: cannot drop the start: waiting for Guild Wars 2 (no MumbleLink data yet)',
      'error: drop the start first (space or c), then the finish',
      'error: drop the start first: reset points belong to its map',
      'info: the start at (0.0, 10.0, 0.0), radius 15 m on map 24',
      'error: cannot drop checkpoint 1: MumbleLink reports no map yet (character select or a loading screen)',
      'info: the finish at (100.0, 10.0, 0.0), radius 15 m, 100.0 m from the start: the course is closed (w saves)',
      'error: the course is closed (the finish is dropped): press u to undo that first',
      'error: the course is already closed: press u to undo that first',
    ]);
    expect(state.checkpoints).toHaveLength(2);
  });

  it('refuses a checkpoint on another map than the start, unless multi-map', () => {
    const single = run({}, [
      ['checkpoint', at(0, 0, 24)],
      ['checkpoint', at(50, 0, 50)],
    ]);
    expect(single.notices[1]).toBe(
      'error: refused: you are on map 50 but the start is on map 24. A track stays on one map; run the recorder with --multi-map to allow checkpoints on other maps',
    );
    expect(single.state.checkpoints).toHaveLength(1);

    const multi = run({ multiMap: true }, [
      ['checkpoint', at(0, 0, 24)],
      ['checkpoint', at(50, 0, 50)],
      ['reset', at(60, 0, 50)],
      ['finish', at(300, 0, 24)],
    ]);
    expect(multi.notices.slice(1)).toEqual([
      'info: checkpoint 1 at (50.0, 10.0, 0.0), radius 15 m, on map 50 (the previous one is on map 24)',
      "error: refused: reset points must be on the start's map (24); you are on map 50",
      'info: the finish at (300.0, 10.0, 0.0), radius 15 m, on map 24 (the previous one is on map 50): the course is closed (w saves)',
    ]);
    const track = saved(multi.state);
    expect(track.mapId).toBe(24);
    expect(track.checkpoints.map((cp) => cp.mapId)).toEqual([undefined, 50, undefined]);
  });

  it('sets the radius of the next checkpoints with +/-, digits, and back to the default', () => {
    const { state, notices } = run({ radius: 12 }, [
      ['checkpoint', at(0, 0)],
      [{ type: 'radius', delta: 1 }, nowhere],
      [{ type: 'radius', delta: 1 }, nowhere],
      ['checkpoint', at(100, 0)],
      [{ type: 'radius-set', value: 45 }, nowhere],
      ['checkpoint', at(300, 0)],
      [{ type: 'radius-set', value: 'default' }, nowhere],
      ['checkpoint', at(500, 0)],
      [{ type: 'radius-set', value: 500 }, nowhere],
      [{ type: 'radius', delta: -1000 }, nowhere],
    ]);
    expect(state.checkpoints.map((cp) => cp.r)).toEqual([12, 14, 45, 12]);
    expect(notices.slice(-2)).toEqual([
      'info: radius of the next checkpoints: 200 m',
      'info: radius of the next checkpoints: 1 m',
    ]);
  });

  it('undoes drops last first: a finish, a loop, a reset point, a checkpoint', () => {
    const steps: [RecorderAction['type'], Here][] = [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(100, 0)],
      ['reset', at(50, 50)],
      ['finish', at(200, 0)],
    ];
    const { state } = run({}, steps);
    const undo = (s: RecorderState) => recorderStep(s, { type: 'undo' }, nowhere);
    const a = undo(state);
    expect(a.notice.text).toBe('undone: the finish (the course is open again)');
    expect(a.state.end).toBe('open');
    expect(a.state.checkpoints).toHaveLength(2);
    const b = undo(a.state);
    expect(b.notice.text).toBe('undone: reset point 1');
    expect(b.state.resets).toHaveLength(0);
    const c = undo(b.state);
    expect(c.notice.text).toBe('undone: checkpoint 1');
    const d = undo(c.state);
    expect(d.notice.text).toBe('undone: the start');
    const e = undo(d.state);
    expect(e.notice).toEqual({ level: 'error', text: 'nothing to undo' });

    const loop = recorderStep(state, { type: 'undo' }, nowhere).state;
    const closed = recorderStep(loop, { type: 'loop' }, at(2, 0));
    expect(closed.state.end).toBe('loop');
    const reopened = recorderStep(closed.state, { type: 'undo' }, nowhere);
    expect(reopened.notice.text).toBe('undone: the closed loop (the course is open again)');
    expect(reopened.state.checkpoints).toHaveLength(2);
  });

  it('closes a loop into a circuit, and --circuit makes the finish key close it', () => {
    const { state, notices } = run({}, [
      ['checkpoint', at(0, 0)],
      ['loop', at(0, 0)],
      ['checkpoint', at(200, 0)],
      ['checkpoint', at(200, 200)],
      ['loop', at(40, 0)],
    ]);
    expect(notices[1]).toBe(
      'error: a loop needs the start and at least one checkpoint: drop them first (space or c)',
    );
    expect(notices[4]).toBe(
      'warning: loop closed: the start is the finish of every lap (you are 40.0 m from the start: the last leg goes straight back to it); w saves',
    );
    const track = saved(state);
    expect(track.circuit).toBe(true);
    expect(track.checkpoints.map((cp) => cp.role)).toEqual(['start', 'checkpoint', 'checkpoint']);

    const flag = run({ circuit: true }, [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(200, 0)],
      ['finish', at(5, 0)],
    ]);
    expect(flag.state.end).toBe('loop');
    expect(flag.notices[2]).toMatch(/^info: loop closed/);
    // Saved still open, --circuit keeps it a circuit.
    const open = run({ circuit: true }, [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(200, 0)],
    ]);
    expect(saved(open.state).circuit).toBe(true);
  });

  it('saves an open course with its last checkpoint as the finish, and refuses less than two', () => {
    const one = run({}, [['checkpoint', at(0, 0)]]);
    const refused = recordedTrack(one.state, META);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.message).toBe(
        'nothing to save yet: a track needs the start and at least one more checkpoint',
      );
    const two = run({}, [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(100, 0)],
    ]);
    expect(saved(two.state).checkpoints.map((cp) => cp.role)).toEqual(['start', 'finish']);
  });

  it('warns at once about a drop that overlaps another', () => {
    const { notices } = run({}, [
      ['checkpoint', at(0, 0)],
      ['checkpoint', at(8, 0)],
    ]);
    expect(notices[1]).toBe(
      "warning: checkpoint 1 at (8.0, 10.0, 0.0), radius 15 m, 8.0 m from the start. the start (0) and checkpoint 1 are closer (8 m) than their radii (15 m and 15 m): one holds the other's centre, racers touch both at once",
    );
  });

  it('records the ridden path from the start to the finish, on the start map, as the reference line', () => {
    let state = createRecorder({ path: true });
    // Before the start: nothing is recorded.
    state = recordPathSample(state, at(-50, 0, 24, 0));
    expect(pathRows(state)).toEqual([]);
    state = recorderStep(state, { type: 'checkpoint' }, at(0, 0, 24, 1000)).state;
    // 10 m/s along x for 20 s, sampled every 40 ms, with a detour on another map in the middle.
    for (let ms = 1040; ms <= 21_000; ms += 40) {
      const x = (ms - 1000) / 100;
      state = recordPathSample(state, at(x, 0, ms > 9000 && ms < 9500 ? 50 : 24, ms));
      if (ms === 11_000)
        state = recorderStep(state, { type: 'checkpoint' }, at(x, 0, 24, ms)).state;
    }
    state = recorderStep(state, { type: 'finish' }, at(200, 0, 24, 21_000)).state;
    const after = recordPathSample(state, at(250, 0, 24, 22_000));
    expect(pathRows(after)).toEqual(pathRows(state));
    const line = saved(state).referenceLine ?? [];
    // A straight line at constant speed: endpoints, plus a point at most every second.
    expect(line[0]).toEqual([0, 0, 10, 0]);
    expect(line[line.length - 1]).toEqual([20, 200, 10, 0]);
    expect(line.length).toBeGreaterThanOrEqual(21);
    expect(line.length).toBeLessThan(pathRows(state).length / 10);
    for (let i = 1; i < line.length; i++) {
      const [t0] = line[i - 1] as number[];
      const [t1, x1] = line[i] as number[];
      expect((t1 as number) - (t0 as number)).toBeLessThanOrEqual(1);
      expect(x1).toBeCloseTo((t1 as number) * 10, 6);
    }
    // Undoing the start forgets the path.
    let undone = state;
    for (let i = 0; i < 3; i++) undone = recorderStep(undone, { type: 'undo' }, nowhere).state;
    expect(undone.checkpoints).toHaveLength(0);
    expect(pathRows(undone)).toEqual([]);
  });

  it('keeps older states intact while the path grows in place', () => {
    let state = createRecorder({ path: true });
    state = recorderStep(state, { type: 'checkpoint' }, at(0, 0, 24, 0)).state;
    const early = recordPathSample(state, at(1, 0, 24, 40));
    const later = recordPathSample(early, at(2, 0, 24, 80));
    // A branch from the early state must not see (or be seen by) the later one.
    const branch = recordPathSample(early, at(9, 9, 24, 80));
    expect(pathRows(early).map((row) => row[1])).toEqual([0, 1]);
    expect(pathRows(later).map((row) => row[1])).toEqual([0, 1, 2]);
    expect(pathRows(branch).map((row) => row[1])).toEqual([0, 1, 9]);
  });
});
