/**
 * The referee's defences against clocks, starts and streams that lie, and its bookkeeping across
 * restarts: each test is a stream that got past an earlier version of the engine.
 */
import {
  type FlagMessage,
  flagMessageSchema,
  type PosMessage,
  type Track,
} from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { adjudicate } from '../adjudicate';
import { evidence, MAX_FLAGS_PER_KIND } from '../flags';
import { raceResults } from '../race-results';
import { createRaceState, type EngineInput, type EngineOptions } from '../race-state';
import { type EngineEvent, step } from '../step';
import {
  polylinePath,
  raceWaypoints,
  type SimRacer,
  simulateRace,
  T0,
  testTrack,
} from './helpers/race';

const track = testTrack();

function run(inputs: readonly EngineInput[], options: EngineOptions = {}, on: Track = track) {
  let state = createRaceState(on, options);
  const events: EngineEvent[] = [];
  for (const input of inputs) {
    const [next, out] = step(state, input);
    state = next;
    events.push(...out);
  }
  return { state, events, results: raceResults(state) };
}

function flagsOf(events: readonly EngineEvent[], playerId?: string, kind?: string): FlagMessage[] {
  return events
    .filter((e): e is Extract<EngineEvent, { type: 'flag' }> => e.type === 'flag')
    .map((e) => e.flag)
    .filter(
      (f) =>
        (playerId === undefined || f.playerId === playerId) &&
        (kind === undefined || f.kind === kind),
    );
}

/** Every input of `inputs` moved `shift` s later, position and report seqs renumbered after `seqs`. */
function later(inputs: readonly EngineInput[], shift: number, seqs = 0): EngineInput[] {
  return inputs.map((input) => {
    const copy = structuredClone(input) as unknown as {
      at: number;
      kind: string;
      message: Record<string, number>;
    };
    copy.at += shift;
    if (copy.kind === 'pos') {
      copy.message.t = (copy.message.t as number) + shift;
      copy.message.seq = (copy.message.seq ?? 0) + seqs;
    }
    if (copy.kind === 'checkpoint') copy.message.ts = (copy.message.ts as number) + shift;
    return copy as unknown as EngineInput;
  });
}

describe('a restart (START with a new t0 after progress)', () => {
  // The first run: the racer crosses and reports cp 1 and cp 2 before the organizer restarts.
  const first = simulateRace(track, [{ playerId: 'a', speed: 30 }], {
    seed: 3,
    endAfter: 30,
  }).filter((i) => i.at < T0 + 8 && !(i.kind === 'control' && i.message.cmd === 'END'));
  const restart: EngineInput = {
    kind: 'control',
    at: T0 + 50,
    message: { cmd: 'START', t0: T0 + 100 },
  };
  const rerun = (racer: Partial<SimRacer>) =>
    later(
      simulateRace(track, [{ playerId: 'a', speed: 30, ...racer }], {
        seed: 4,
        endAfter: 30,
      }).filter(
        (i) =>
          i.kind === 'pos' ||
          i.kind === 'checkpoint' ||
          (i.kind === 'control' && i.message.cmd === 'END'),
      ),
      100,
      10_000,
    );

  it('judges every report of the new run, including checkpoints reported before the restart', () => {
    const { events } = run([...first, restart, ...rerun({})]);
    const cut = events.findIndex((e) => e.type === 'race' && e.t0 === T0 + 100);
    const confirmed = events.slice(cut).filter((e) => e.type === 'report-confirmed');
    expect(confirmed.map((e) => (e.type === 'report-confirmed' ? e.cp : -1))).toEqual([1, 2, 3, 4]);
  });

  it('flags a fudged report of a checkpoint the first run had already reported', () => {
    const { events } = run([
      ...first,
      restart,
      ...rerun({ tamperReport: (r) => (r.cp === 1 ? { ...r, ts: r.ts - 5 } : r) }),
    ]);
    const flags = flagsOf(events, 'a', 'no-crossing');
    expect(flags.map((f) => f.cp)).toEqual([1]);
    expect(flags[0]?.t).toBeGreaterThan(T0 + 95);
  });
});

describe('positions stamped earlier than they were sent', () => {
  it('flags a racer whose stamps run 2 s behind, with the lag as evidence', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'shift', speed: 28 },
        { playerId: 'fair', speed: 30 },
      ],
      { seed: 3 },
    ).map((input) => {
      if (input.kind !== 'pos' || input.playerId !== 'shift') return input;
      // Receive times unchanged: only the stamps lie.
      return { ...input, message: { ...input.message, t: input.message.t - 2 } };
    });
    const { events, results } = run(inputs);
    const flags = flagsOf(events, 'shift', 'time-mismatch').filter((f) => f.cp === undefined);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]).toMatchObject({ severity: 'critical', samples: [{}] });
    const data = flags[0]?.data as { smallestLag: number; tolerance: number; lag: number };
    expect(data.smallestLag).toBeGreaterThan(2);
    expect(data.tolerance).toBeCloseTo(1, 9);
    expect(flags.every((f) => flagMessageSchema.safeParse(f).success)).toBe(true);
    expect(flagsOf(events, 'fair')).toEqual([]);
    // The organizer decides: the racer keeps the (suspect) time.
    expect(results.ranking[0]?.playerId).toBe('shift');
    // A wider allowance for a slow hub, or a clock bound from pings, takes it back.
    const wide = flagsOf(run(inputs, { latencyAllowance: 2.5 }).events, 'shift', 'time-mismatch');
    expect(wide.filter((f) => f.cp === undefined)).toEqual([]);
  });

  it('does not let a racer excuse stamps that run behind by declaring a poor clock', () => {
    const shifted = (extra: (m: Record<string, unknown>) => Record<string, unknown>) =>
      simulateRace(track, [{ playerId: 'shift', speed: 28 }], { seed: 3 }).map((input) =>
        input.kind === 'pos'
          ? { ...input, message: { ...extra(input.message), t: input.message.t - 3 } }
          : input,
      ) as EngineInput[];
    const lateFlags = (events: readonly EngineEvent[]) =>
      flagsOf(events, 'shift', 'time-mismatch').filter(
        (f) => f.severity === 'critical' && (f.data as { smallestLag?: number }).smallestLag,
      );
    // Stamps 3 s behind, each position claiming ±5 s.
    const claimed = run(shifted((m) => ({ ...m, u: 5 })));
    expect(lateFlags(claimed.events).length).toBeGreaterThan(0);
    // Judged as ±0.5 s: 0.5 + no clock bound + the 1 s latency allowance.
    expect(lateFlags(claimed.events)[0]?.data).toMatchObject({ tolerance: 1.5 });
    const declared = flagsOf(claimed.events, 'shift', 'time-mismatch').filter(
      (f) =>
        f.severity === 'warning' &&
        /declares positions stamped ±5\.000 s, more than the 0\.500 s this race allows/.test(
          f.message,
        ),
    );
    expect(declared.length).toBeGreaterThan(0);
    expect(declared[0]?.data).toEqual({ u: 5, maxDeclaredUncertainty: 0.5 });
    // The same through a ping's clock bound, sent once the race runs.
    const pinged = shifted((m) => m);
    const at = T0 + 1;
    const cut = pinged.findIndex((input) => input.at >= at);
    pinged.splice(cut, 0, {
      kind: 'ping',
      at,
      playerId: 'shift',
      message: { playerId: 'shift', id: 1, t1: at, boundMs: 5000 },
    });
    const { events } = run(pinged);
    expect(lateFlags(events).length).toBeGreaterThan(0);
    expect(
      flagsOf(events, 'shift', 'time-mismatch').some((f) =>
        /declares a clock good to ±5\.000 s, more than the 0\.500 s this race allows/.test(
          f.message,
        ),
      ),
    ).toBe(true);
    // An organizer who accepts poor clocks raises the cap, and the declared bound counts again.
    const lenient = run(
      shifted((m) => ({ ...m, u: 5 })),
      { maxDeclaredUncertainty: 5 },
    );
    // (Its checkpoint reports, not shifted, are 3 s off the stream: those flags stay.)
    const positionFlags = flagsOf(lenient.events, 'shift', 'time-mismatch').filter(
      (f) => f.cp === undefined,
    );
    expect(positionFlags.map((f) => f.message)).toEqual([]);
  });

  it('never flags honest racers behind a slow hub (300 ms, jitter) or a network stall', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'far', speed: 28, latency: 0.3, latencyJitter: 0.4 },
        // Positions of 2.5 s all delivered at once at the end of the stall.
        {
          playerId: 'stalled',
          speed: 30,
          latency: 0.2,
          latencyJitter: 0.2,
          delay: (t) => (t >= T0 + 5 && t < T0 + 7.5 ? T0 + 7.5 - t : 0),
        },
      ],
      { seed: 21 },
    );
    const { events, results } = run(inputs);
    expect(flagsOf(events).filter((f) => f.kind === 'time-mismatch')).toEqual([]);
    expect(results.ranking.map((e) => e.status)).toEqual(['finished', 'finished']);
  });

  it('flags lag that sets in late in the race, once it has lasted a window', () => {
    // From T0 + 9 on (3 s before the finish), every stamp is 1.5 s early: the stream jumps back
    // (a teleport), then runs 1.5 s "behind", finish included. The lag shows after the finish.
    const inputs = simulateRace(track, [{ playerId: 'sly', speed: 30, latency: 0.05 }], {
      seed: 5,
    }).map((input) =>
      input.kind === 'pos' && input.message.t > T0 + 9
        ? { ...input, message: { ...input.message, t: input.message.t - 1.5 } }
        : input,
    );
    // (Its unshifted reports disagree with the stream too: those flags name a checkpoint.)
    const flags = flagsOf(run(inputs).events, 'sly', 'time-mismatch').filter(
      (f) => f.cp === undefined,
    );
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]?.severity).toBe('warning');
    expect(flags[0]?.t).toBeGreaterThan(T0 + 9);
    expect(flags[0]?.t).toBeLessThan(T0 + 16);
  });
});

describe('false starts (mass start)', () => {
  it('flags a racer who set off 3 s before t0, critical, with the samples', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'early', speed: 28, departAt: -3 },
        { playerId: 'fair', speed: 30 },
      ],
      { seed: 3 },
    );
    const { events, results } = run(inputs);
    const flags = flagsOf(events, 'early', 'false-start');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      severity: 'critical',
      cp: 0,
      t: T0,
      data: { falseStart: true },
    });
    expect((flags[0]?.data as { moved: number } | undefined)?.moved).toBeGreaterThan(50);
    expect(flags[0]?.samples?.length).toBeGreaterThanOrEqual(2);
    expect(flagMessageSchema.safeParse(flags[0]).success).toBe(true);
    expect(flagsOf(events, 'fair')).toEqual([]);
    // Still ranked: the organizer decides.
    expect(results.ranking[0]?.playerId).toBe('early');
  });

  it('catches a start only 0.3 s early, and leaves a racer who held still alone', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'twitchy', speed: 30, departAt: -0.3 },
        { playerId: 'calm', speed: 30, departAt: 0.05 },
      ],
      { seed: 8 },
    );
    const { events } = run(inputs);
    expect(flagsOf(events, 'twitchy', 'false-start')).toHaveLength(1);
    expect(flagsOf(events, 'calm')).toEqual([]);
  });

  it('flags a racer who is not on the start at t0 (warning), not in a time trial', () => {
    const path = polylinePath([{ x: -20, y: 10, z: 0 }, ...raceWaypoints(track)], 30, T0);
    const inputs = simulateRace(track, [{ playerId: 'astray', speed: 30, path }], { seed: 9 });
    const flags = flagsOf(run(inputs).events, 'astray', 'false-start');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.severity).toBe('warning');
    expect((flags[0]?.data as { outside: number } | undefined)?.outside).toBeCloseTo(10, 0);
    const trial = simulateRace(track, [{ playerId: 'astray', speed: 30, path }], {
      seed: 9,
      startRule: 'timeTrial',
    });
    expect(flagsOf(run(trial).events, 'astray', 'false-start')).toEqual([]);
  });

  it('judges a start gate by side: behind the line is fine, past it is not', () => {
    const gated = testTrack({
      checkpoints: [
        { id: 0, kind: 'gate', role: 'start', a: { x: 5, y: 0, z: -10 }, b: { x: 5, y: 0, z: 10 } },
        ...testTrack().checkpoints.slice(1),
      ],
    });
    const from = (x: number) =>
      polylinePath([{ x, y: 10, z: 0 }, ...raceWaypoints(gated).slice(1)], 30, T0);
    const inputs = simulateRace(
      gated,
      [
        { playerId: 'behind', speed: 30, path: from(0) },
        { playerId: 'past', speed: 30, path: from(12) },
      ],
      { seed: 10 },
    );
    const { events } = run(inputs, {}, gated);
    expect(flagsOf(events, 'behind', 'false-start')).toEqual([]);
    const past = flagsOf(events, 'past', 'false-start');
    expect(past).toHaveLength(1);
    expect((past[0]?.data as { outside: number } | undefined)?.outside).toBeCloseTo(7, 0);
  });
});

describe('the flag cooldown', () => {
  it('lets an escalation through: a 48 m/s warning, then 120 m/s critical', () => {
    const path = (t: number) => {
      const s = t - T0;
      const d = s < 0 ? 0 : s < 1 ? 48 * s : 48 + 120 * Math.min(s - 1, 3);
      return { x: d, y: 10, z: 0 };
    };
    const inputs = simulateRace(track, [{ playerId: 'x', speed: 30, path, reports: false }], {
      seed: 2,
      endAfter: 10,
    });
    const speed = flagsOf(run(inputs).events, 'x', 'speed');
    expect(speed.map((f) => f.severity)).toEqual(['warning', 'critical']);
    expect(speed[1]?.t).toBeLessThan(T0 + 2);
  });

  it('keeps report flags from hiding position flags of the same kind', () => {
    // Positions stamped 3 s in the future of their reception: a position time-mismatch every 5 s.
    const racer: SimRacer = { playerId: 'ahead', speed: 30, latency: -3 };
    const count = (r: SimRacer) =>
      flagsOf(run(simulateRace(track, [r], { seed: 12 })).events, 'ahead', 'time-mismatch').filter(
        (f) => f.cp === undefined,
      ).length;
    const fudged: SimRacer = { ...racer, tamperReport: (r) => ({ ...r, ts: r.ts - 0.4 }) };
    const reports = flagsOf(
      run(simulateRace(track, [fudged], { seed: 12 })).events,
      'ahead',
      'time-mismatch',
    ).filter((f) => f.cp !== undefined);
    expect(reports.length).toBeGreaterThan(0);
    expect(count(fudged)).toBe(count(racer));
    expect(count(racer)).toBeGreaterThan(1);
  });
});

describe('no-crossing evidence', () => {
  it('attaches the samples closest to the checkpoint and around the reported instant', () => {
    // Never goes near cp 2 but reports it 4 s in.
    const path = polylinePath(
      raceWaypoints(track).filter((_, i) => i !== 2),
      30,
      T0,
    );
    const inputs = simulateRace(track, [{ playerId: 'liar', speed: 30, path, reports: false }], {
      seed: 12,
    });
    const ts = T0 + 7.9;
    const report: EngineInput = {
      kind: 'checkpoint',
      at: T0 + 8,
      playerId: 'liar',
      message: { playerId: 'liar', cp: 2, ts, lap: 1, seq: 0 },
    };
    const all = [...inputs, report].sort((a, b) => a.at - b.at);
    const flag = flagsOf(run(all).events, 'liar', 'no-crossing')[0];
    const data = flag?.data as {
      closestDistance: number;
      closestAt: number;
      sampleBefore: number;
      sampleAfter: number;
    };
    // The path from cp 1 (100, 0) straight to cp 3 (0, 100) passes 70.7 m from cp 2's centre.
    expect(data.closestDistance).toBeGreaterThan(50);
    expect(data.closestDistance).toBeLessThan(70.7 - 8 + 1);
    expect(data.sampleBefore).toBeLessThanOrEqual(ts);
    expect(data.sampleAfter).toBeGreaterThan(ts);
    expect(data.sampleAfter - data.sampleBefore).toBeLessThan(0.2);
    const times = flag?.samples?.map((s) => s.t) ?? [];
    expect(times).toEqual(
      expect.arrayContaining([data.closestAt, data.sampleBefore, data.sampleAfter]),
    );
    expect(flag?.message).toMatch(
      /closest sample was \d+\.\d m outside its edge, and no step between two samples passed through it$/,
    );
  });
});

describe('no-crossing for a racer who teleports onto the finish', () => {
  it('says the racer landed in it by a jump, not that the closest sample was 0.0 m away', () => {
    // Rides to cp 3, then jumps 70 m straight into the finish sphere and reports it.
    const waypoints = raceWaypoints(track);
    const ride = polylinePath(waypoints.slice(0, 4), 30, T0);
    const atCp3 = T0 + 10.5;
    const finish = track.checkpoints[4] as { x: number; y: number; z: number };
    const path = (t: number) => (t < atCp3 ? ride(t) : { x: finish.x, y: finish.y, z: finish.z });
    const inputs = simulateRace(track, [{ playerId: 'jumper', speed: 30, path, reports: false }], {
      seed: 21,
      endAfter: 15,
    });
    const report: EngineInput = {
      kind: 'checkpoint',
      at: atCp3 + 0.2,
      playerId: 'jumper',
      message: { playerId: 'jumper', cp: 4, ts: atCp3 + 0.05, lap: 1, seq: 0 },
    };
    const { events, results } = run([...inputs, report].sort((a, b) => a.at - b.at));
    expect(flagsOf(events, 'jumper', 'teleport')).toHaveLength(1);
    expect(results.ranking[0]).toMatchObject({ status: 'dnf', checkpoints: 3 });
    const flag = flagsOf(events, 'jumper', 'no-crossing')[0];
    expect(flag?.severity).toBe('critical');
    expect(flag?.message).toBe(
      'checkpoint 4 (lap 1) reported, but the position stream only landed in it by a jump (a teleport or a map change), which counts once the racer has left it and come back',
    );
    expect(flag?.data).toMatchObject({ closestDistance: 0 });
  });
});

describe('position sequence numbers', () => {
  it('accepts a sender that restarts its numbering, flags it once, and still ignores replays', () => {
    let restartAt = -1;
    const inputs = simulateRace(
      track,
      [
        {
          playerId: 'x',
          speed: 30,
          reports: false,
          tamper: (p, k) => {
            if (p.t > T0 + 5 && restartAt < 0) restartAt = k;
            return restartAt >= 0 ? { ...p, seq: k - restartAt } : p;
          },
        },
      ],
      { seed: 2, endAfter: 30 },
    );
    const { events, results } = run(inputs);
    expect(results.ranking[0]).toMatchObject({ status: 'finished', checkpoints: 4 });
    expect(flagsOf(events, 'x')).toMatchObject([
      { kind: 'replay', severity: 'info', data: { restart: true, seq: 0 } },
    ]);
    expect(results.racers[0]?.ignoredSamples).toBe(0);
    // An old message sent again after the restart: old time, ignored and flagged.
    const old = inputs.find((i) => i.kind === 'pos' && i.message.t < T0 + 1) as EngineInput;
    const end = inputs.length - 1;
    const replayed = run([
      ...inputs.slice(0, end - 5),
      { ...old, at: (inputs[end - 5] as EngineInput).at },
      ...inputs.slice(end - 5),
    ]);
    expect(replayed.results.racers[0]?.ignoredSamples).toBe(1);
    expect(flagsOf(replayed.events, 'x', 'replay').map((f) => f.severity)).toEqual([
      'info',
      'warning',
    ]);
  });
});

describe('rulings in the ranking', () => {
  it('ranks a racer retired by a DNF ruling below those still racing', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'a', speed: 34 },
        { playerId: 'b', speed: 20 },
      ],
      { seed: 14, endAfter: 8 },
    );
    const end = inputs.length - 1;
    const retire: EngineInput = { kind: 'ruling', at: T0 + 6, playerId: 'a', action: 'dnf' };
    const withRuling = [...inputs.slice(0, end), retire, ...inputs.slice(end)].sort(
      (x, y) => x.at - y.at,
    );
    const before = adjudicate(track, inputs);
    expect(before.ranking.map((e) => e.playerId)).toEqual(['a', 'b']);
    const judged = adjudicate(track, withRuling);
    expect(judged.ranking.map((e) => [e.playerId, e.status])).toEqual([
      ['b', 'dnf'],
      ['a', 'dnf'],
    ]);
    const [b, a] = judged.ranking;
    expect(a?.checkpoints).toBeGreaterThan(b?.checkpoints as number);
    // Out of the race: a DNF row carries no gap (it used to compare progress with the leader).
    expect(judged.ranking.map((e) => [e.gapToLeader, e.gapToAhead])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(judged.racers.map((r) => r.status)).toEqual(['dnf', 'dnf']);
  });
});

describe('speed checks use the stamps and their declared uncertainty', () => {
  // Stamps off by +-40 ms at random (a late poll on a busy machine), each declared as u = 0.04.
  const sign = (k: number) => ((Math.sin(k * 12.9898) * 43758.5453) % 1 > 0 ? 1 : -1);
  const jittered =
    (error: number, declared: number) =>
    (pos: PosMessage, k: number): PosMessage => ({
      ...pos,
      t: pos.t + sign(k) * error,
      u: declared,
    });

  it('never flags an honest racer near the limit whose stamps are uncertain and say so', () => {
    const path = polylinePath(raceWaypoints(track), 41.6, T0);
    const honest = { playerId: 'brakk', speed: 41.6, path, tamper: jittered(0.04, 0.04) };
    const inputs = simulateRace(track, [honest], { seed: 7, jitter: 0 });
    expect(flagsOf(run(inputs).events, 'brakk', 'speed')).toEqual([]);
    // The same stamps declared as exact: the jitter alone reads as speeding.
    const undeclared = { ...honest, tamper: jittered(0.04, 0) };
    const flagged = flagsOf(run(simulateRace(track, [undeclared], { seed: 7, jitter: 0 })).events);
    expect(flagged.filter((f) => f.kind === 'speed').length).toBeGreaterThan(0);
  });

  it('still flags a speed hack whose stamps declare the same uncertainty', () => {
    const path = polylinePath(raceWaypoints(track), 60, T0);
    const cheat = { playerId: 'cheat', speed: 30, path, tamper: jittered(0.04, 0.04) };
    const flags = flagsOf(run(simulateRace(track, [cheat], { seed: 7 })).events, 'cheat', 'speed');
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]?.message).toMatch(/stamps ±0\.040 s each counted in the racer's favour/);
    expect((flags[0]?.data as { slack?: number } | undefined)?.slack).toBeCloseTo(0.08, 6);
  });
});

describe('a client looping malformed reports (issue 18)', () => {
  it('gets one flag per cooldown on the host clock, at most MAX_FLAGS_PER_KIND, the rest counted', () => {
    const honest = simulateRace(track, [{ playerId: 'fair', speed: 30 }], { seed: 5 });
    // 600 reports of a checkpoint the track lacks, 10 a second for a minute, each claiming a
    // time of its own (a cooldown on the claimed time would let every one through).
    const loop: EngineInput[] = Array.from({ length: 600 }, (_, k) => ({
      kind: 'checkpoint',
      at: T0 + k / 10,
      playerId: 'fuzz',
      message: { playerId: 'fuzz', cp: 99, ts: T0 + ((k * 7919) % 600), seq: k },
    }));
    const inputs = [...honest, ...loop].sort((a, b) => a.at - b.at);
    const { events, results } = run(inputs);
    const flags = flagsOf(events, 'fuzz', 'malformed');
    // 60 s of host time at one flag per 5 s cooldown.
    expect(flags.length).toBeGreaterThanOrEqual(11);
    expect(flags.length).toBeLessThanOrEqual(13);
    const fuzz = results.racers.find((r) => r.playerId === 'fuzz');
    expect(fuzz?.suppressedFlags).toBe(600 - flags.length);
    // The honest racer's result is the one of a race without the fuzzer.
    const alone = run(honest).results;
    expect(results.ranking.find((r) => r.playerId === 'fair')).toEqual(alone.ranking[0]);
  });

  it('never raises more than MAX_FLAGS_PER_KIND of one kind, even one a second apart for hours', () => {
    const loop: EngineInput[] = Array.from({ length: 400 }, (_, k) => ({
      kind: 'checkpoint',
      at: T0 + k * 10,
      playerId: 'fuzz',
      message: { playerId: 'fuzz', cp: 99, ts: T0 + k * 10, seq: k },
    }));
    const { events, results } = run(loop);
    expect(flagsOf(events, 'fuzz', 'malformed')).toHaveLength(MAX_FLAGS_PER_KIND);
    expect(results.racers[0]?.suppressedFlags).toBe(400 - MAX_FLAGS_PER_KIND);
  });
});

describe('evidence a reader can read back (issue 18)', () => {
  it('leaves out a speed over no time (Infinity) instead of recording v: Infinity', () => {
    expect(evidence({ t: 1, x: 0, y: 0, z: 0 }, Number.POSITIVE_INFINITY)).toEqual({
      t: 1,
      x: 0,
      y: 0,
      z: 0,
    });
    expect(evidence({ t: 1, x: 0, y: 0, z: 0 }, 12)).toMatchObject({ v: 12 });
  });
});
