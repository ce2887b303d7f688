/**
 * Race-engine benchmark, two parts, each printed next to its baseline in one run:
 *
 * 1. Timing accuracy: crossing times from our interpolation (curved, and plain linear) against
 *    "first sample inside the sphere" (what GW2 race tools do today), on the same analytic
 *    trajectories sampled at 10 Hz with ±20 ms jitter: mean and p99 absolute error, and missed
 *    crossings.
 * 2. Throughput: position messages per second through `step` with 1,000 racers on one core,
 *    next to the bare geometry (no engine) and to a naive pure engine that copies a 1,000-entry
 *    map per message.
 *
 * Run: pnpm --filter @gw2race/race-engine bench
 */
import { readFileSync } from 'node:fs';
import { hrtime } from 'node:process';
import type { Track } from '@gw2race/protocol';
import { simulateRace } from '../src/__tests__/helpers/race';
import {
  firstSampleInside,
  rng,
  samplePath,
  sampleTimes,
  scenarios,
} from '../src/__tests__/helpers/trajectories';
import {
  advanceCourse,
  type CourseState,
  compileCourse,
  createCourseState,
  createCrossingDetector,
  createRaceState,
  type EngineInput,
  parseBeetlerankCsv,
  type Sample,
  step,
} from '../src/index';

// ---------------------------------------------------------------------------------------------
// 1. Accuracy

interface Stats {
  method: string;
  'mean |error| (ms)': string;
  'p99 |error| (ms)': string;
  'max |error| (ms)': string;
  missed: number;
}

function stats(method: string, errors: number[], missed: number): Stats {
  const sorted = errors.map(Math.abs).sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  return {
    method,
    'mean |error| (ms)': (mean * 1000).toFixed(3),
    'p99 |error| (ms)': (p99 * 1000).toFixed(3),
    'max |error| (ms)': (max * 1000).toFixed(3),
    missed,
  };
}

function accuracy(count: number, grazingShare: number, label: string): void {
  const cases = scenarios(count, 2024, grazingShare);
  const random = rng(77);
  const errors = { baseline: [] as number[], linear: [] as number[], curved: [] as number[] };
  const missed = { baseline: 0, linear: 0, curved: 0 };
  for (const scenario of cases) {
    const samples = samplePath(scenario.path, sampleTimes(scenario.from, scenario.to, random));
    const baseline = firstSampleInside(samples, scenario.sphere);
    if (baseline === undefined) missed.baseline++;
    else errors.baseline.push(baseline - scenario.entry);
    const track: Track = {
      format: 'gw2race-track',
      version: 1,
      id: 'bench',
      name: 'bench',
      checkpoints: [
        { id: 0, x: 1e5, y: 0, z: 1e5, r: 5 },
        { id: 1, ...scenario.sphere },
      ],
    };
    for (const interpolation of ['linear', 'curved'] as const) {
      const detector = createCrossingDetector(track, { t0: scenario.from, interpolation });
      let found: number | undefined;
      for (const sample of samples) {
        const crossing = detector.push(sample)[0];
        if (crossing) {
          found = crossing.t;
          break;
        }
      }
      if (found === undefined) missed[interpolation]++;
      else errors[interpolation].push(found - scenario.entry);
    }
  }
  const lines = cases.filter((c) => c.kind === 'line').length;
  const grazing = cases.filter((c) => c.grazing).length;
  console.log(
    `\n${label}: ${cases.length} crossings (${lines} straight, ${cases.length - lines} arcs of radius 40-250 m; ${grazing} grazing), 15-40 m/s, 10 Hz ±20 ms`,
  );
  console.table([
    stats('first sample inside (baseline)', errors.baseline, missed.baseline),
    stats('gw2race linear interpolation', errors.linear, missed.linear),
    stats('gw2race curved interpolation (default)', errors.curved, missed.curved),
  ]);
}

// ---------------------------------------------------------------------------------------------
// 2. Throughput

const csv = readFileSync(
  new URL('../src/__tests__/fixtures/TYRIA GENDARRAN.csv', import.meta.url),
  'utf8',
);
const parsed = parseBeetlerankCsv(csv, { file: 'TYRIA GENDARRAN.csv', mapId: 24 });
if (!parsed.ok) throw parsed.error;
const track = parsed.value;

function raceOf(racers: number, seconds: number): EngineInput[] {
  const random = rng(5);
  return simulateRace(
    track,
    Array.from({ length: racers }, (_, i) => ({
      playerId: `racer${String(i).padStart(4, '0')}`,
      speed: 22 + random() * 12,
      lateral: (random() - 0.5) * 8,
      latency: 0.02 + random() * 0.1,
      departAt: random() * 2,
    })),
    { seed: 9, endAfter: seconds },
  );
}

function time(run: () => void): number {
  const start = hrtime.bigint();
  run();
  return Number(hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function throughput(racers: number, seconds: number, rounds: number): void {
  const inputs = raceOf(racers, seconds);
  const positions = inputs.filter((i) => i.kind === 'pos').length;
  const course = compileCourse(track);
  const samples = inputs.flatMap((i) =>
    i.kind === 'pos' ? [{ id: i.message.playerId, sample: i.message as Sample }] : [],
  );
  const ids = [...new Set(samples.map((s) => s.id))];
  const slot = new Map(ids.map((id, k) => [id, k]));
  const slots = samples.map((s) => slot.get(s.id) as number);
  const t0 = 1_724_312_345;

  const engine = () => {
    let state = createRaceState(track);
    for (const input of inputs) state = step(state, input)[0];
    if (state.inputs !== inputs.length) throw new Error('lost inputs');
  };
  const geometry = () => {
    const states: CourseState[] = ids.map(() => createCourseState());
    for (let k = 0; k < samples.length; k++) {
      const i = slots[k] as number;
      states[i] = advanceCourse(
        course,
        states[i] as CourseState,
        (samples[k] as { sample: Sample }).sample,
        t0,
      ).course;
    }
  };
  // Warm up, then the median of a few rounds each.
  engine();
  geometry();
  const results = { engine: [] as number[], geometry: [] as number[], naive: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    results.engine.push(time(engine));
    results.geometry.push(time(geometry));
  }
  // The naive pure engine (a new Map of every racer per message) is slow: time a tenth.
  const tenth = samples.length / 10;
  const naiveTenth = () => {
    let states = new Map(ids.map((id) => [id, createCourseState()]));
    for (let k = 0; k < tenth; k++) {
      const { id, sample } = samples[k] as { id: string; sample: Sample };
      const next = new Map(states);
      next.set(id, advanceCourse(course, states.get(id) as CourseState, sample, t0).course);
      states = next;
    }
  };
  for (let r = 0; r < Math.max(1, Math.floor(rounds / 2)); r++)
    results.naive.push(time(naiveTenth) * 10);
  const rate = (s: number) => Math.round(positions / s).toLocaleString('en-US');
  console.log(
    `\nThroughput: ${racers} racers, ${seconds} s of a race on ${track.name} at 10 Hz: ${inputs.length.toLocaleString('en-US')} messages (${positions.toLocaleString('en-US')} positions), median of ${rounds} runs, one core`,
  );
  console.table([
    {
      what: 'step(): the whole engine (validation, ranking, flags), pure',
      'positions/s': rate(median(results.engine)),
      'µs per position': ((median(results.engine) / positions) * 1e6).toFixed(2),
    },
    {
      what: 'baseline: crossing detection alone, mutable array (no engine)',
      'positions/s': rate(median(results.geometry)),
      'µs per position': ((median(results.geometry) / positions) * 1e6).toFixed(2),
    },
    {
      what: 'baseline: naive pure engine copying a 1,000-racer Map per message',
      'positions/s': rate(median(results.naive)),
      'µs per position': ((median(results.naive) / positions) * 1e6).toFixed(2),
    },
  ]);
  console.log(
    'Goal: ≥ 200,000 positions/s for the whole engine (its time includes the other messages).',
  );
}

const quick = process.argv.includes('--quick');
accuracy(quick ? 1000 : 5000, 0, 'Accuracy, ordinary passes');
accuracy(quick ? 500 : 2000, 1, 'Accuracy, grazing passes (within the outer 2% of the radius)');
throughput(1000, quick ? 10 : 30, quick ? 3 : 5);
