import { checkpointMessageSchema, type Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { advanceCourse, type Crossing, createCourseState, type Sample } from '../advance-course';
import { compileCourse } from '../course';
import { createCrossingDetector, toCheckpointMessage } from '../crossing-detector';
import { isRaceEngineError } from '../errors';
import { segmentSphereEntry } from '../segment-crossing';
import { polylinePath, raceWaypoints, T0, testTrack } from './helpers/race';
import {
  arc,
  exactEntry,
  firstSampleInside,
  line,
  type Path,
  rng,
  samplePath,
  sampleTimes,
  scenarios,
} from './helpers/trajectories';

/** A two-checkpoint track whose finish is `sphere` (the start is far away and irrelevant). */
function trackTo(sphere: { x: number; y: number; z: number; r: number }): Track {
  return {
    format: 'gw2race-track',
    version: 1,
    id: 't',
    name: 't',
    checkpoints: [
      { id: 0, x: 1e5, y: 0, z: 1e5, r: 5 },
      { id: 1, ...sphere },
    ],
  };
}

function run(track: Track, samples: readonly Sample[], options = {}, t0 = T0): Crossing[] {
  const detector = createCrossingDetector(track, { t0, ...options });
  return samples.flatMap((s) => [...detector.push(s)]);
}

describe('crossing times against analytic ground truth (10 Hz, ±20 ms jitter)', () => {
  const cases = scenarios(600, 11, 0.3);
  const random = rng(5);
  const measured = cases.map((scenario) => {
    const samples = samplePath(scenario.path, sampleTimes(scenario.from, scenario.to, random));
    const crossing = run(trackTo(scenario.sphere), samples, {}, scenario.from)[0];
    return { scenario, samples, crossing };
  });

  it('finds every crossing within 2 ms, lines and arcs, grazing or not', () => {
    for (const { scenario, crossing } of measured) {
      expect(crossing, `${scenario.kind} grazing=${scenario.grazing}`).toBeDefined();
      expect(Math.abs((crossing as Crossing).t - scenario.entry)).toBeLessThanOrEqual(0.002);
    }
  });

  it('detects grazing passes that no sample lands inside', () => {
    const unseen = measured.filter(
      ({ scenario, samples }) => firstSampleInside(samples, scenario.sphere) === undefined,
    );
    // The fixed seed gives a good number of them; each is found, on time.
    expect(unseen.length).toBeGreaterThanOrEqual(5);
    for (const { scenario, crossing } of unseen) {
      expect(crossing).toBeDefined();
      expect(Math.abs((crossing as Crossing).t - scenario.entry)).toBeLessThanOrEqual(0.002);
    }
  });

  it('beats "first sample inside" on every crossing (the baseline is late by up to a sample)', () => {
    let later = 0;
    for (const { scenario, samples, crossing } of measured) {
      const baseline = firstSampleInside(samples, scenario.sphere);
      if (baseline === undefined) continue;
      const ours = Math.abs((crossing as Crossing).t - scenario.entry);
      expect(ours).toBeLessThanOrEqual(Math.abs(baseline - scenario.entry) + 1e-6);
      if (baseline - scenario.entry > 0.02) later++;
    }
    expect(later).toBeGreaterThan(measured.length / 2);
  });

  it('stays within 2 ms when the timestamps themselves carry ±0.5 ms of noise', () => {
    const noisy = rng(8);
    for (const scenario of cases.slice(0, 200)) {
      const times = sampleTimes(scenario.from, scenario.to, noisy);
      const samples = times.map((t) => ({ ...scenario.path(t), t: t + (noisy() - 0.5) * 0.001 }));
      const crossing = run(trackTo(scenario.sphere), samples, {}, scenario.from)[0];
      expect(crossing).toBeDefined();
      expect(Math.abs((crossing as Crossing).t - scenario.entry)).toBeLessThanOrEqual(0.002);
    }
  });

  it('is exact on straight lines with linear interpolation too', () => {
    for (const { scenario, samples } of measured.filter((m) => m.scenario.kind === 'line')) {
      const crossing = run(
        trackTo(scenario.sphere),
        samples,
        { interpolation: 'linear' },
        scenario.from,
      )[0];
      expect(Math.abs((crossing as Crossing).t - scenario.entry)).toBeLessThan(1e-5);
    }
  });
});

describe('course rules', () => {
  const track = testTrack();
  const course = compileCourse(track);

  it('credits the checkpoints in order, then the finish', () => {
    const path = polylinePath(raceWaypoints(track), 30, T0);
    const samples = samplePath(path, sampleTimes(T0 - 1, T0 + 25, rng(1)), { mapId: 24 });
    const crossings = run(track, samples);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 4]);
    expect(crossings.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    for (const c of crossings) {
      const sphere = course.checkpoints.find((cp) => cp.id === c.cp)?.spheres[0];
      if (!sphere) throw new Error('no sphere');
      const truth = exactEntry(path, sphere, T0, T0 + 25) as number;
      expect(Math.abs(c.t - truth)).toBeLessThan(0.002);
      expect(c.source).toBe('stream');
      expect(c.lap).toBe(1);
    }
  });

  it('credits nothing after a skipped checkpoint: only the next one counts', () => {
    const waypoints = raceWaypoints(track).filter((_, i) => i !== 2); // never goes to cp 2
    const samples = samplePath(
      polylinePath(waypoints, 30, T0),
      sampleTimes(T0 - 1, T0 + 25, rng(2)),
    );
    expect(run(track, samples).map((c) => c.cp)).toEqual([1]);
  });

  it('ignores crossings before t0 in a mass start', () => {
    // At cp1 before t0, back to the start, then the race: cp1 counts once, after t0.
    const points = [
      course.start.center,
      { x: 100, y: 12, z: 0 },
      course.start.center,
      ...raceWaypoints(track).slice(1),
    ];
    const path = polylinePath(points, 40, T0 - 5);
    const samples = samplePath(path, sampleTimes(T0 - 5, T0 + 30, rng(3)));
    const crossings = run(track, samples);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 4]);
    expect((crossings[0] as Crossing).t).toBeGreaterThan(T0 + 2);
  });

  it('counts laps on a circuit: the start closes every lap', () => {
    const circuit = testTrack({ circuit: true, checkpoints: testTrack().checkpoints.slice(0, 4) });
    const path = polylinePath(raceWaypoints(circuit, 2), 30, T0);
    const samples = samplePath(path, sampleTimes(T0 - 1, T0 + 40, rng(4)));
    const crossings = run(circuit, samples, { laps: 2 });
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 0, 1, 2, 3, 0]);
    expect(crossings.map((c) => c.lap)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    const detector = createCrossingDetector(circuit, { t0: T0, laps: 2 });
    for (const s of samples) detector.push(s);
    expect(detector.state.finishAt).toBe((crossings[7] as Crossing).t);
  });

  it('credits overlapping spheres at the same instant', () => {
    const overlapping = testTrack({
      checkpoints: [
        { id: 0, x: 0, y: 0, z: 0, r: 5 },
        { id: 1, x: 50, y: 0, z: 0, r: 10 },
        { id: 2, x: 55, y: 0, z: 0, r: 10 },
        { id: 3, x: 100, y: 0, z: 0, r: 5 },
      ],
    });
    const path = line({ x: 0, y: 0, z: 0 }, { x: 25, y: 0, z: 0 }, T0);
    const crossings = run(overlapping, samplePath(path, sampleTimes(T0, T0 + 5, rng(5))));
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3]);
    expect((crossings[0] as Crossing).t).toBeCloseTo(T0 + 40 / 25, 6);
    expect((crossings[1] as Crossing).t).toBeCloseTo(T0 + 45 / 25, 6);
  });

  it('crosses gates in either direction, between the poles only', () => {
    const gates = testTrack({
      checkpoints: [
        { id: 0, x: 0, y: 0, z: 0, r: 5 },
        { id: 1, kind: 'gate', a: { x: 50, y: 0, z: -10 }, b: { x: 50, y: 0, z: 10 }, height: 5 },
        { id: 2, kind: 'gate', a: { x: 0, y: 0, z: 40 }, b: { x: 0, y: 0, z: 60 } },
      ],
    });
    // Out through gate 1, a wide turn, back west through gate 2 (opposite direction).
    const path = polylinePath(
      [
        { x: 0, y: 1, z: 0 },
        { x: 80, y: 1, z: 0 },
        { x: 80, y: 1, z: 50 },
        { x: -30, y: 1, z: 50 },
      ],
      30,
      T0,
    );
    const crossings = run(gates, samplePath(path, sampleTimes(T0, T0 + 10, rng(6))));
    expect(crossings.map((c) => c.cp)).toEqual([1, 2]);
    expect((crossings[0] as Crossing).t).toBeCloseTo(T0 + 50 / 30, 3);
    expect((crossings[1] as Crossing).t).toBeCloseTo(T0 + (80 + 50 + 80) / 30, 3);
    // Passing beside gate 1 (z = 15, outside the poles) credits nothing.
    const beside = line({ x: 0, y: 1, z: 15 }, { x: 30, y: 0, z: 0 }, T0);
    expect(run(gates, samplePath(beside, sampleTimes(T0, T0 + 4, rng(7))))).toEqual([]);
  });

  it('does not search a segment across a map change or a jump', () => {
    const path = line({ x: 0, y: 10, z: 0 }, { x: 30, y: 0, z: 0 }, T0);
    const samples = samplePath(path, sampleTimes(T0, T0 + 5, rng(8)), { mapId: 24 });
    // On another map from x > 80 on: cp 1 (map 24, at x = 100) is not crossed there.
    const split = samples.findIndex((s) => s.x > 80);
    const moved = samples.map((s, i) => (i >= split ? { ...s, mapId: 25 } : s));
    expect(run(track, moved).map((c) => c.cp)).toEqual([]);
    // A jump that lands inside cp 1 does not count; leaving it and coming back does.
    const inside = samples.findIndex((s) => Math.hypot(s.x - 100, s.y - 12, s.z) <= 8);
    const detector = createCrossingDetector(track, { t0: T0 });
    const found = samples.flatMap((s, i) =>
      detector.push(s, i === inside ? { traversable: false } : undefined),
    );
    expect(found).toEqual([]);
    const back = line({ x: 150, y: 10, z: 0 }, { x: -30, y: 0, z: 0 }, T0 + 6);
    const again = samplePath(back, sampleTimes(T0 + 6, T0 + 9, rng(18)), { mapId: 24 });
    const returned = again.flatMap((s) => [...detector.push(s)]);
    expect(returned.map((c) => c.cp)).toEqual([1]);
    expect((returned[0] as Crossing).t).toBeCloseTo(T0 + 6 + (50 - Math.sqrt(64 - 4)) / 30, 3);
  });
});

describe('time trials', () => {
  const track = testTrack();
  const start = compileCourse(track).start.spheres[0] as {
    x: number;
    y: number;
    z: number;
    r: number;
  };

  it('starts the clock when the racer leaves the start, interpolated', () => {
    const path = polylinePath(raceWaypoints(track), 25, T0 + 3);
    const samples = samplePath(path, sampleTimes(T0 - 1, T0 + 30, rng(9)));
    const detector = createCrossingDetector(track, { t0: T0, startRule: 'timeTrial' });
    const crossings = samples.flatMap((s) => [...detector.push(s)]);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 4]);
    // Leaves the 10 m start sphere 10 m after departing at 25 m/s.
    expect(detector.state.startAt as number).toBeCloseTo(T0 + 3 + start.r / 25, 3);
  });

  it('restarts the clock when the racer goes back into the start before checkpoint 1', () => {
    const points = [start, { x: 40, y: 10, z: 0 }, start, ...raceWaypoints(track).slice(1)];
    const path = polylinePath(points, 20, T0 + 1);
    const samples = samplePath(path, sampleTimes(T0 - 1, T0 + 40, rng(10)));
    const detector = createCrossingDetector(track, { t0: T0, startRule: 'timeTrial' });
    const starts: number[] = [];
    for (const s of samples) {
      const before = detector.state.startAt;
      detector.push(s);
      if (detector.state.startAt !== null && detector.state.startAt !== before)
        starts.push(detector.state.startAt);
    }
    expect(starts).toHaveLength(2);
    // Second departure: back at the centre after 80 m, out 10 m later.
    expect(starts[1] as number).toBeCloseTo(T0 + 1 + 90 / 20, 3);
    expect(detector.state.next).toBe(4);
  });

  it('does not start a racer who left before t0 until they go through the start again', () => {
    const path = polylinePath(raceWaypoints(track), 25, T0 - 3);
    const samples = samplePath(path, sampleTimes(T0 - 4, T0 + 30, rng(11)));
    const detector = createCrossingDetector(track, { t0: T0, startRule: 'timeTrial' });
    for (const s of samples) detector.push(s);
    expect(detector.state.startAt).toBeNull();
    expect(detector.state.next).toBe(0);
  });
});

describe('gaps in the stream', () => {
  const track = testTrack();

  /** Samples of a path with the samples between `from` and `to` (s after T0) missing. */
  function withDropout(path: Path, from: number, to: number, seed: number): Sample[] {
    return samplePath(path, sampleTimes(T0 - 1, T0 + 30, rng(seed))).filter(
      (s) => s.t < T0 + from || s.t > T0 + to,
    );
  }

  it('credits a crossing found on a gap, with half the gap as uncertainty', () => {
    const path = polylinePath(raceWaypoints(track), 30, T0);
    // cp1 (100, 12, 0) is entered 92 m out, at ~3.07 s, on a straight leg: no samples from
    // 2.15 to 3.25 s, so the segment across the gap (over 1 s) goes through it.
    const crossings = run(track, withDropout(path, 2.15, 3.25, 12));
    const cp1 = crossings[0] as Crossing;
    expect(cp1.source).toBe('gap');
    expect(cp1.uncertainty).toBeGreaterThan(0.5);
    const truth = exactEntry(path, { x: 100, y: 12, z: 0, r: 8 }, T0, T0 + 10) as number;
    expect(Math.abs(cp1.t - truth)).toBeLessThanOrEqual(cp1.uncertainty);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 4]);
  });

  it('infers a checkpoint the stream missed during a gap when the racer reached the next one', () => {
    // The route turns at cp1's centre, so the straight line across the gap cuts the corner
    // and misses the sphere; the racer then reaches cp2.
    const corner = { x: 100, y: 12, z: 0 };
    const points = [
      { x: 0, y: 10, z: 0 },
      { x: 40, y: 12, z: -40 },
      corner,
      { x: 100, y: 12, z: 40 },
      ...raceWaypoints(track).slice(2),
    ];
    const path = polylinePath(points, 30, T0);
    const atCorner = (Math.hypot(40, 2, 40) + Math.hypot(60, 0, 40)) / 30;
    const samples = withDropout(path, atCorner - 0.7, atCorner + 0.7, 13);
    const before = samples.filter((s) => s.t < T0 + atCorner).pop() as Sample;
    const after = samples.find((s) => s.t > T0 + atCorner) as Sample;
    expect(segmentSphereEntry(before, after, { ...corner, r: 8 })).toBeUndefined();
    const crossings = run(track, samples);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3, 4]);
    const cp1 = crossings[0] as Crossing;
    expect(cp1.source).toBe('inferred');
    const truth = exactEntry(path, { x: 100, y: 12, z: 0, r: 8 }, T0, T0 + 10) as number;
    expect(Math.abs(cp1.t - truth)).toBeLessThanOrEqual(cp1.uncertainty);
    // Without lookahead the racer stays stuck behind cp1.
    expect(run(track, samples, { gapLookahead: 0 }).map((c) => c.cp)).toEqual([]);
  });

  it('does not infer a checkpoint nobody could have reached in the gap', () => {
    // Straight from the start to cp2, never near cp1, with a 1.5 s gap on the way.
    const points = [
      { x: 0, y: 10, z: 0 },
      { x: 100, y: 14, z: 100 },
      ...raceWaypoints(track).slice(3),
    ];
    const path = polylinePath(points, 30, T0);
    const crossings = run(track, withDropout(path, 1, 2.5, 14), { gapMaxSpeed: 40 });
    expect(crossings.map((c) => c.cp)).toEqual([]);
  });
});

describe('advanceCourse is pure', () => {
  it('never modifies the state it is given and ignores samples out of time order', () => {
    const track = testTrack();
    const course = compileCourse(track);
    const samples = samplePath(
      polylinePath(raceWaypoints(track), 30, T0),
      sampleTimes(T0 - 1, T0 + 20, rng(15)),
    );
    let state = createCourseState();
    for (const sample of samples) {
      const frozen = structuredClone(state);
      const next = advanceCourse(course, Object.freeze(state), sample, T0);
      expect(state).toEqual(frozen);
      const again = advanceCourse(course, state, sample, T0);
      expect(again).toEqual(next);
      state = next.course;
    }
    const stale = advanceCourse(course, state, { ...(samples[3] as Sample) }, T0);
    expect(stale.course).toBe(state);
    expect(stale.crossings).toEqual([]);
  });
});

describe('crossing detector for clients', () => {
  it('produces checkpoint messages the protocol accepts, and forgets progress on a new t0', () => {
    const track = testTrack();
    const detector = createCrossingDetector(track, { t0: T0 });
    const samples = samplePath(
      polylinePath(raceWaypoints(track), 30, T0),
      sampleTimes(T0 - 1, T0 + 20, rng(16)),
    );
    const crossings = samples.flatMap((s) => [...detector.push(s)]);
    const message = toCheckpointMessage('p1', crossings[0] as Crossing, {
      raceId: 'r1',
      clockBound: 0.004,
      seq: 3,
    });
    expect(checkpointMessageSchema.safeParse(message).success).toBe(true);
    expect(message).toMatchObject({ raceId: 'r1', playerId: 'p1', cp: 1, lap: 1, seq: 3 });
    expect(message.uncertainty).toBeCloseTo(0.006, 9);
    detector.setT0(T0 + 100);
    expect(detector.state.next).toBe(0);
    expect(detector.t0).toBe(T0 + 100);
  });

  it('refuses impossible options with a RaceEngineError', () => {
    const track = testTrack();
    for (const options of [
      { laps: 0 },
      { gapSeconds: -1 },
      { gapLookahead: 1.5 },
      { interpolation: 'cubic' as 'linear' },
    ]) {
      let thrown: unknown;
      try {
        createCrossingDetector(track, options);
      } catch (error) {
        thrown = error;
      }
      expect(isRaceEngineError(thrown)).toBe(true);
      expect((thrown as { code: string }).code).toBe('INVALID_OPTIONS');
    }
  });

  it('follows an arc through checkpoints placed on it (curved interpolation)', () => {
    const circle = arc({ x: 0, y: 0, z: 0 }, 60, 30, 0, T0);
    const at = (t: number) => circle(T0 + t);
    const sphereAt = (t: number, id: number) => ({ id, ...at(t), r: 6 });
    const onArc: Track = {
      format: 'gw2race-track',
      version: 1,
      id: 'arc',
      name: 'arc',
      checkpoints: [sphereAt(0, 0), sphereAt(2, 1), sphereAt(4, 2), sphereAt(6, 3)],
    };
    const samples = samplePath(circle, sampleTimes(T0 - 0.5, T0 + 8, rng(17)));
    const crossings = run(onArc, samples);
    expect(crossings.map((c) => c.cp)).toEqual([1, 2, 3]);
    for (const c of crossings) {
      const truth = exactEntry(circle, { ...at(c.cp * 2), r: 6 }, T0 + 0.1, T0 + 8) as number;
      expect(Math.abs(c.t - truth)).toBeLessThan(0.0005);
    }
  });
});
