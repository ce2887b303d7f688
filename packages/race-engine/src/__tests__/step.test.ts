import { readFileSync } from 'node:fs';
import {
  type FlagMessage,
  flagMessageSchema,
  type PosMessage,
  rankingMessageSchema,
} from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { adjudicate, replayRace } from '../adjudicate';
import { parseBeetlerankCsv } from '../beetlerank-csv';
import { isRaceEngineError } from '../errors';
import { raceResults } from '../race-results';
import { createRaceState, type EngineInput, type RaceState } from '../race-state';
import { toRankingMessage } from '../ranking';
import { type EngineEvent, step } from '../step';
import {
  polylinePath,
  raceWaypoints,
  type SimRacer,
  simulateRace,
  T0,
  testTrack,
} from './helpers/race';
import { exactEntry } from './helpers/trajectories';

const track = testTrack();
const finishSphere = { x: 0, y: 10, z: 30, r: 10 };

function run(inputs: readonly EngineInput[], options = {}) {
  let state = createRaceState(track, options);
  const events: EngineEvent[] = [];
  for (const input of inputs) {
    const [next, out] = step(state, input);
    state = next;
    events.push(...out);
  }
  return { state, events, results: raceResults(state) };
}

function flagsOf(events: readonly EngineEvent[], playerId?: string): FlagMessage[] {
  return events
    .filter((e): e is Extract<EngineEvent, { type: 'flag' }> => e.type === 'flag')
    .map((e) => e.flag)
    .filter((f) => playerId === undefined || f.playerId === playerId);
}

function serious(flags: readonly FlagMessage[]) {
  return flags.filter((f) => f.severity !== 'info');
}

describe('a mass-start race of honest racers', () => {
  // Ids sort against the finishing order, so the ranking has to move.
  const racers: SimRacer[] = [
    { playerId: 'fast', speed: 24, lateral: 2 },
    { playerId: 'mid', speed: 27, lateral: 0, latency: 0.15 },
    { playerId: 'slow', speed: 31, lateral: -1 },
  ];
  const inputs = simulateRace(track, racers, { seed: 3 });
  const { state, events, results } = run(inputs);

  it('ranks finishers by time, with times within 2 ms of the truth', () => {
    expect(results.final).toBe(true);
    expect(results.ranking.map((e) => e.playerId)).toEqual(['slow', 'mid', 'fast']);
    for (const racer of racers) {
      const path = polylinePath(raceWaypoints(track, 1, racer.lateral ?? 0), racer.speed, T0);
      const truth = (exactEntry(path, finishSphere, T0 + 5, T0 + 40) as number) - T0;
      const entry = results.ranking.find((e) => e.playerId === racer.playerId);
      expect(entry?.status).toBe('finished');
      expect(Math.abs((entry?.time as number) - truth)).toBeLessThan(0.002);
      expect(entry?.checkpoints).toBe(4);
      expect(entry?.lap).toBe(1);
      expect(entry?.splits).toHaveLength(4);
    }
    const [first, second, third] = results.ranking;
    expect(first?.gapToLeader).toBe(0);
    expect(first?.gapToAhead).toBeNull();
    expect(second?.gapToLeader).toBeCloseTo((second?.time as number) - (first?.time as number), 9);
    expect(third?.gapToAhead).toBeCloseTo((third?.time as number) - (second?.time as number), 9);
  });

  it('raises no flag worth a look, and confirms every client report', () => {
    expect(serious(results.flags)).toEqual([]);
    const confirmed = events.filter((e) => e.type === 'report-confirmed');
    expect(confirmed).toHaveLength(12);
  });

  it('emits the race as data: start, checkpoints, finish, ranking moves, END', () => {
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'race',
      'racer-added',
      'started',
      'checkpoint',
      'lap',
      'finished',
      'status',
      'ranking-changed',
    ]) {
      expect(types.has(type as EngineEvent['type'])).toBe(true);
    }
    const finished = events.filter((e) => e.type === 'finished').map((e) => e.playerId);
    expect(finished).toEqual(['slow', 'mid', 'fast']);
    expect(events.at(-1)).toMatchObject({ type: 'race', phase: 'ended' });
  });

  it('publishes a ranking message and flags the protocol accepts', () => {
    const message = toRankingMessage(state);
    expect(rankingMessageSchema.safeParse(message).success).toBe(true);
    expect(message).toMatchObject({ raceId: 'test-race', stage: 'post', final: true });
    expect(toRankingMessage(state, { splits: false }).entries[0]?.splits).toBeUndefined();
    for (const flag of results.flags) expect(flagMessageSchema.safeParse(flag).success).toBe(true);
  });

  it('gives per-racer splits, sectors and the best sectors of the field', () => {
    const winner = results.racers[0];
    expect(winner?.splits).toHaveLength(4);
    expect(winner?.sectors).toHaveLength(1);
    expect(winner?.sectors[0]?.reduce((a, b) => a + b, 0)).toBeCloseTo(winner?.time as number, 9);
    expect(winner?.lapTimes).toEqual([winner?.time]);
    expect(results.bestSectors.every((s) => s?.playerId === 'slow')).toBe(true);
    expect(results.bestSectors.map((s) => [s?.from, s?.to])).toEqual([
      [null, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(results.bestLap?.playerId).toBe('slow');
  });

  it('is what adjudicate computes from the same messages, and from their JSON recording', () => {
    expect(adjudicate(track, inputs)).toEqual(results);
    const recording = inputs.map((i) => JSON.stringify(i)).join('\n');
    const replayed = recording.split('\n').map((line) => JSON.parse(line) as EngineInput);
    expect(JSON.stringify(adjudicate(track, replayed))).toBe(JSON.stringify(results));
  });
});

describe('a race on a community track', () => {
  it('judges two laps of Diessa Plateau imported from its Beetlerank file', () => {
    const csv = readFileSync(
      new URL('./fixtures/TYRIA DIESSA PLATEAU.csv', import.meta.url),
      'utf8',
    );
    const imported = parseBeetlerankCsv(csv, { mapId: 32 });
    if (!imported.ok) throw imported.error;
    const diessa = imported.value;
    const inputs = simulateRace(
      diessa,
      [
        { playerId: 'a', speed: 33, lateral: 3 },
        { playerId: 'b', speed: 31, lateral: -4 },
      ],
      { seed: 20, laps: 2, endAfter: 260 },
    );
    const results = adjudicate(diessa, inputs);
    expect(results.ranking.map((e) => [e.playerId, e.status, e.checkpoints, e.lap])).toEqual([
      ['a', 'finished', 24, 2],
      ['b', 'finished', 24, 2],
    ]);
    expect(serious(results.flags)).toEqual([]);
    const a = results.racers[0];
    expect(a?.lapTimes).toHaveLength(2);
    expect(a?.sectors.map((lap) => lap.length)).toEqual([12, 12]);
  });
});

describe('step is pure', () => {
  it('never changes the state it is given (deep-frozen states go through)', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'a', speed: 30 },
        { playerId: 'b', speed: 25 },
      ],
      {
        seed: 4,
        endAfter: 20,
      },
    );
    let state = createRaceState(track);
    const snapshots: [RaceState, string][] = [];
    for (const input of inputs) {
      deepFreeze(state);
      if (snapshots.length % 50 === 0) snapshots.push([state, JSON.stringify(state.racers)]);
      state = step(state, input)[0];
    }
    for (const [old, json] of snapshots) expect(JSON.stringify(old.racers)).toBe(json);
  });

  it('gives the same state and events for the same input', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 5, endAfter: 15 });
    const state = replayRace(track, inputs.slice(0, 100));
    const input = inputs[100] as EngineInput;
    expect(step(state, input)).toEqual(step(state, input));
  });
});

describe('statuses', () => {
  it('marks no-shows and racers still on course DNF at END, ranked by progress', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'fast', speed: 30 },
        { playerId: 'snail', speed: 6 },
        { playerId: 'ghost', speed: 30, positions: false, reports: false },
      ],
      { seed: 6, endAfter: 25 },
    );
    const { results, events } = run(inputs);
    expect(results.ranking.map((e) => [e.playerId, e.status])).toEqual([
      ['fast', 'finished'],
      ['snail', 'dnf'],
      ['ghost', 'dnf'],
    ]);
    expect(results.ranking[1]?.checkpoints).toBe(1);
    // Out of the race: no gap to the leader, nor to the racer ahead (a DNF row had one).
    expect(results.ranking[1]?.gapToLeader).toBeNull();
    expect(results.ranking[1]?.gapToAhead).toBeNull();
    expect(results.ranking[2]?.gapToLeader).toBeNull();
    expect(events).toContainEqual({ type: 'status', playerId: 'snail', from: 'racing', to: 'dnf' });
  });

  it('shows a dropped client as disconnected until it is heard from again', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 7, endAfter: null });
    const cut = inputs.findIndex((i) => i.kind === 'pos' && i.message.t > T0 + 5);
    const at = (inputs[cut] as EngineInput).at;
    const dropped: EngineInput = {
      kind: 'presence',
      at,
      playerId: 'a',
      message: { playerId: 'a', event: 'disconnected' },
    };
    const before = replayRace(track, inputs.slice(0, cut));
    const [after, events] = step(before, dropped);
    expect(events).toContainEqual({
      type: 'status',
      playerId: 'a',
      from: 'racing',
      to: 'disconnected',
    });
    expect(raceResults(after).ranking[0]?.status).toBe('disconnected');
    const [back, again] = step(after, inputs[cut] as EngineInput);
    expect(again).toContainEqual({
      type: 'status',
      playerId: 'a',
      from: 'disconnected',
      to: 'racing',
    });
    expect(raceResults(back).ranking[0]?.status).toBe('racing');
  });

  it('applies the organizer’s rulings: DSQ goes last, reinstate undoes it', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'a', speed: 30 },
        { playerId: 'b', speed: 25 },
      ],
      { seed: 8 },
    );
    const end = inputs.length - 1;
    const dsq: EngineInput = {
      kind: 'ruling',
      at: (inputs[end] as EngineInput).at - 0.5,
      playerId: 'a',
      action: 'dsq',
      reason: 'cut the course',
    };
    const withRuling = [...inputs.slice(0, end), dsq, ...inputs.slice(end)];
    const judged = adjudicate(track, withRuling);
    expect(judged.ranking.map((e) => [e.playerId, e.status])).toEqual([
      ['b', 'finished'],
      ['a', 'dsq'],
    ]);
    expect(judged.racers[1]?.rulingReason).toBe('cut the course');
    expect(judged.ranking[1]?.gapToLeader).toBeNull();
    const reinstated: EngineInput = { ...dsq, at: dsq.at + 0.1, action: 'reinstate' };
    const undone = adjudicate(track, [
      ...inputs.slice(0, end),
      dsq,
      reinstated,
      ...inputs.slice(end),
    ]);
    expect(undone.ranking.map((e) => e.playerId)).toEqual(['a', 'b']);
  });

  it('takes the RULING control command exactly like a ruling input', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'a', speed: 30 },
        { playerId: 'b', speed: 25 },
      ],
      { seed: 8 },
    );
    const end = inputs.length - 1;
    const at = (inputs[end] as EngineInput).at - 0.5;
    const asControl: EngineInput = {
      kind: 'control',
      at,
      message: { cmd: 'RULING', playerId: 'a', action: 'dsq', reason: 'cut the course' },
    };
    const asRuling: EngineInput = {
      kind: 'ruling',
      at,
      playerId: 'a',
      action: 'dsq',
      reason: 'cut the course',
    };
    const viaControl = adjudicate(track, [
      ...inputs.slice(0, end),
      asControl,
      ...inputs.slice(end),
    ]);
    const viaRuling = adjudicate(track, [...inputs.slice(0, end), asRuling, ...inputs.slice(end)]);
    expect(viaControl.ranking).toEqual(viaRuling.ranking);
    expect(viaControl.ranking.map((e) => [e.playerId, e.status])).toEqual([
      ['b', 'finished'],
      ['a', 'dsq'],
    ]);
  });

  it('keeps spectators out of the ranking', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 9 });
    const spectator: EngineInput = {
      kind: 'presence',
      at: T0 - 15,
      playerId: 'watcher',
      message: { playerId: 'watcher', event: 'join', mode: 'spectator' },
    };
    const results = adjudicate(track, [inputs[0] as EngineInput, spectator, ...inputs.slice(1)]);
    expect(results.ranking.map((e) => e.playerId)).toEqual(['a']);
  });
});

describe('validation flags', () => {
  function race(racer: SimRacer, seed = 10, endAfter: number | null = 30) {
    const inputs = simulateRace(track, [racer, { playerId: 'honest', speed: 28 }], {
      seed,
      endAfter,
    });
    return run(inputs);
  }

  it('flags a speed hack with the samples and the limit as evidence', () => {
    // Positions scaled so the racer covers ground twice as fast as its clock says: 60 m/s.
    const path = polylinePath(raceWaypoints(track), 30 * 2, T0);
    const { events, results } = race({ playerId: 'cheat', speed: 30, path });
    const flags = flagsOf(events, 'cheat').filter((f) => f.kind === 'speed');
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]?.severity).toBe('critical');
    expect(flags[0]?.samples).toHaveLength(2);
    expect(flags[0]?.data).toMatchObject({ limit: 45, mount: 6 });
    expect((flags[0]?.data as { speed: number } | undefined)?.speed).toBeGreaterThan(45);
    // The organizer decides: the racer is still ranked, first.
    expect(results.ranking[0]?.playerId).toBe('cheat');
    expect(flagsOf(events, 'honest')).toEqual([]);
  });

  it('holds an unmounted racer to the on-foot limit, and respects custom limits', () => {
    const onFoot = race({ playerId: 'runner', speed: 20, mount: 0 });
    expect(flagsOf(onFoot.events, 'runner').some((f) => f.kind === 'speed')).toBe(true);
    const inputs = simulateRace(track, [{ playerId: 'runner', speed: 20, mount: 0 }], { seed: 10 });
    expect(
      flagsOf(run(inputs, { speedLimits: { 0: 25 } }).events).some((f) => f.kind === 'speed'),
    ).toBe(false);
  });

  it('flags a teleport, as info when it lands on a reset point', () => {
    const jump =
      (target: { x: number; y: number; z: number }) =>
      (pos: PosMessage, k: number): PosMessage =>
        k === 70 ? { ...pos, ...target } : pos;
    const far = race({ playerId: 'jumper', speed: 30, tamper: jump({ x: 500, y: 10, z: 500 }) });
    const teleports = flagsOf(far.events, 'jumper').filter((f) => f.kind === 'teleport');
    expect(teleports[0]).toMatchObject({ severity: 'critical', samples: [{}, {}] });
    expect(teleports[0]?.message).toMatch(/^moved \d+\.\d m in 0\.\d+ s$/);
    // The jump there and back is not a segment anybody travelled: no speed flag from it.
    expect(flagsOf(far.events, 'jumper').some((f) => f.kind === 'speed')).toBe(false);
    const reset = race({ playerId: 'jumper', speed: 30, tamper: jump({ x: -20, y: 10, z: -20 }) });
    expect(flagsOf(reset.events, 'jumper').find((f) => f.kind === 'teleport')?.severity).toBe(
      'info',
    );
  });

  it('flags duplicated and replayed sequence numbers and ignores those messages', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 11 });
    const positions = inputs.filter((i) => i.kind === 'pos');
    const copy = positions[195] as EngineInput;
    const old = positions[10] as EngineInput;
    const at = (positions[200] as EngineInput).at;
    const extra = [
      { ...copy, at },
      { ...old, at },
    ];
    const index = inputs.indexOf(positions[200] as EngineInput);
    const tampered = [...inputs.slice(0, index), ...extra, ...inputs.slice(index)];
    const { events, results } = run(tampered);
    const kinds = flagsOf(events).map((f) => [f.kind, f.severity]);
    expect(kinds).toContainEqual(['duplicate', 'info']);
    expect(kinds).toContainEqual(['replay', 'warning']);
    expect(results.racers[0]?.ignoredSamples).toBeGreaterThanOrEqual(2);
    const withoutFlags = (r: ReturnType<typeof adjudicate>) =>
      r.ranking.map(({ flags: _, ...e }) => e);
    expect(withoutFlags(results)).toEqual(withoutFlags(adjudicate(track, inputs)));
  });

  it('flags a map change mid-race', () => {
    const { events } = race({
      playerId: 'wanderer',
      speed: 30,
      tamper: (pos, k) => (k >= 80 && k < 90 ? { ...pos, mapId: 50 } : pos),
    });
    const flags = flagsOf(events, 'wanderer').filter((f) => f.kind === 'map-change');
    expect(flags[0]).toMatchObject({ severity: 'warning', data: { from: 24, to: 50 } });
  });

  it('flags a report whose time disagrees with the stream beyond its uncertainty', () => {
    const late = race({
      playerId: 'fudger',
      speed: 30,
      tamperReport: (r) => (r.cp === 2 ? { ...r, ts: r.ts - 0.4 } : r),
    });
    const mismatch = flagsOf(late.events, 'fudger').filter((f) => f.kind === 'time-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({ severity: 'warning', cp: 2 });
    expect((mismatch[0]?.data as { difference: number } | undefined)?.difference).toBeCloseTo(
      -0.4,
      3,
    );
    // Times come from the stream: the fudged report changes nothing but the flag count.
    const honest = race({ playerId: 'fudger', speed: 30 });
    const withoutFlags = (r: typeof honest.results) => r.ranking.map(({ flags: _, ...e }) => e);
    expect(withoutFlags(late.results)).toEqual(withoutFlags(honest.results));
  });

  it('flags a reported checkpoint the positions never reached, and does not credit it', () => {
    // Never goes near cp 2 but reports every checkpoint as if it had.
    const waypoints = raceWaypoints(track).filter((_, i) => i !== 2);
    const path = polylinePath(waypoints, 30, T0);
    const reports: EngineInput[] = [1, 2, 3, 4].map((cp, n) => ({
      kind: 'checkpoint',
      at: T0 + 4 + n * 4,
      playerId: 'liar',
      message: { playerId: 'liar', cp, ts: T0 + 3.9 + n * 4, lap: 1, seq: n },
    }));
    const inputs = simulateRace(track, [{ playerId: 'liar', speed: 30, path, reports: false }], {
      seed: 12,
    });
    const end = inputs.length - 1;
    const all = [...inputs.slice(0, end), ...reports, inputs[end] as EngineInput].sort(
      (a, b) => a.at - b.at,
    );
    const { events, results } = run(all);
    const noCrossing = flagsOf(events, 'liar').filter((f) => f.kind === 'no-crossing');
    expect(noCrossing.map((f) => f.cp)).toEqual([2, 3, 4]);
    expect(noCrossing.every((f) => f.severity === 'critical')).toBe(true);
    expect(results.ranking[0]).toMatchObject({ playerId: 'liar', checkpoints: 1, status: 'dnf' });
  });

  it('ignores a report of leaving the start, and flags one for a checkpoint not on the track', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 19 });
    const extra: EngineInput[] = [0, 42].map((cp) => ({
      kind: 'checkpoint',
      at: T0 + 1,
      playerId: 'a',
      message: { playerId: 'a', cp, ts: T0 + 0.5 },
    }));
    const at = inputs.findIndex((i) => i.at > T0 + 1);
    const { events } = run([...inputs.slice(0, at), ...extra, ...inputs.slice(at)]);
    expect(flagsOf(events, 'a')).toMatchObject([
      { kind: 'malformed', cp: 42, severity: 'warning' },
    ]);
  });

  it('flags reports out of course order', () => {
    const { events } = race({
      playerId: 'skipper',
      speed: 30,
      tamperReport: (r) => (r.cp === 1 ? null : r),
    });
    const order = flagsOf(events, 'skipper').filter((f) => f.kind === 'order');
    expect(order).toHaveLength(1);
    expect(order[0]).toMatchObject({ cp: 2, severity: 'warning' });
  });

  it('never drops a racer who sends reports but no positions', () => {
    const { events, results } = race({ playerId: 'blind', speed: 30, positions: false });
    expect(results.ranking.find((e) => e.playerId === 'blind')).toMatchObject({
      status: 'dnf',
      checkpoints: 0,
    });
    const flags = flagsOf(events, 'blind').filter((f) => f.kind === 'no-crossing');
    expect(flags).toHaveLength(4);
    expect(flags.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('flags positions stamped in the future of their reception', () => {
    const { events } = race({ playerId: 'early', speed: 30, latency: -3 });
    expect(flagsOf(events, 'early').find((f) => f.kind === 'time-mismatch')?.severity).toBe(
      'warning',
    );
  });

  it('flags a gap in the stream, and a checkpoint credited across it by inference', () => {
    const corner = { x: 100, y: 12, z: 0 };
    const path = polylinePath(
      [
        { x: 0, y: 10, z: 0 },
        { x: 40, y: 12, z: -40 },
        corner,
        { x: 100, y: 12, z: 40 },
        ...raceWaypoints(track).slice(2),
      ],
      30,
      T0,
    );
    const atCorner = (Math.hypot(40, 2, 40) + Math.hypot(60, 0, 40)) / 30;
    const { events, results } = race({
      playerId: 'lossy',
      speed: 30,
      path,
      reports: false,
      tamper: (pos) => (Math.abs(pos.t - T0 - atCorner) < 0.7 ? null : pos),
    });
    const flags = flagsOf(events, 'lossy');
    expect(flags.find((f) => f.kind === 'gap' && f.severity === 'info')).toBeDefined();
    expect(flags.find((f) => f.kind === 'gap' && f.severity === 'warning')).toMatchObject({
      cp: 1,
    });
    const lossy = results.racers.find((r) => r.playerId === 'lossy');
    expect(lossy?.status).toBe('finished');
    expect(lossy?.crossings[0]?.source).toBe('inferred');
    expect(lossy?.uncertainty).toBeGreaterThan(0.5);
  });

  it('flags a position on another racer’s topic', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 13 });
    const pos = inputs.find((i) => i.kind === 'pos' && i.message.t > T0 + 3) as EngineInput;
    const forged = { ...pos, playerId: 'b' } as EngineInput;
    const { events } = run([
      ...inputs.slice(0, inputs.indexOf(pos)),
      forged,
      ...inputs.slice(inputs.indexOf(pos)),
    ]);
    expect(flagsOf(events, 'b')).toMatchObject([{ kind: 'malformed', severity: 'warning' }]);
  });
});

describe('race control', () => {
  it('runs a time trial: each clock starts on leaving the start', () => {
    const inputs = simulateRace(
      track,
      [
        { playerId: 'early', speed: 25, departAt: 2 },
        { playerId: 'late', speed: 28, departAt: 12 },
      ],
      { seed: 14, startRule: 'timeTrial', endAfter: 40 },
    );
    const { results, events } = run(inputs);
    expect(results.startRule).toBe('timeTrial');
    expect(results.ranking.map((e) => e.playerId)).toEqual(['late', 'early']);
    const started = events.filter((e) => e.type === 'started');
    expect(started.map((e) => e.playerId)).toEqual(['early', 'late']);
    const late = results.racers[0];
    expect(late?.startAt as number).toBeCloseTo(T0 + 12 + 10 / 28, 2);
    const path = polylinePath(raceWaypoints(track), 28, T0 + 12);
    const truth =
      (exactEntry(path, finishSphere, T0 + 15, T0 + 40) as number) - (late?.startAt as number);
    expect(Math.abs((late?.time as number) - truth)).toBeLessThan(0.002);
  });

  it('counts laps, lap times, sectors and the best lap', () => {
    const circuit = testTrack({ circuit: true, checkpoints: testTrack().checkpoints.slice(0, 4) });
    const inputs = simulateRace(
      circuit,
      [
        { playerId: 'a', speed: 30 },
        { playerId: 'b', speed: 26 },
      ],
      {
        seed: 15,
        laps: 3,
        endAfter: 70,
      },
    );
    let state = createRaceState(circuit);
    const events: EngineEvent[] = [];
    for (const input of inputs) {
      const [next, out] = step(state, input);
      state = next;
      events.push(...out);
    }
    const results = raceResults(state);
    expect(results.laps).toBe(3);
    const a = results.racers[0];
    expect(a?.playerId).toBe('a');
    expect(a?.status).toBe('finished');
    expect(a?.lapTimes).toHaveLength(3);
    expect(a?.lapTimes.reduce((x, y) => x + y, 0)).toBeCloseTo(a?.time as number, 9);
    expect(a?.sectors.map((lap) => lap.length)).toEqual([4, 4, 4]);
    expect(a?.bestSectors.every((s) => typeof s === 'number')).toBe(true);
    expect(results.ranking[0]?.lap).toBe(3);
    expect(
      events
        .filter((e) => e.type === 'lap' && e.playerId === 'a')
        .map((e) => (e as { lap: number }).lap),
    ).toEqual([1, 2, 3]);
    expect(results.bestLap?.playerId).toBe('a');
    // The clients' reports (the start closing each lap included) all match the stream.
    expect(serious(results.flags)).toEqual([]);
    expect(events.filter((e) => e.type === 'report-confirmed')).toHaveLength(24);
    // Laps 2 and 3 ride the same loop at the same speed; lap 1 starts from the start's centre,
    // 10 m past the line later laps cross, so it is 10 m / 30 m/s shorter.
    const [lap1, lap2, lap3] = (a?.lapTimes ?? []) as [number, number, number];
    expect(Math.abs(lap3 - lap2)).toBeLessThan(0.002);
    expect(Math.abs(lap2 - lap1 - 10 / 30)).toBeLessThan(0.002);
  });

  it('takes laps and start rule from the state message before the start, options first', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], {
      seed: 16,
      laps: 2,
      endAfter: 50,
    });
    expect(adjudicate(track, inputs).laps).toBe(2);
    expect(adjudicate(track, inputs, { laps: 1 }).laps).toBe(1);
  });

  it('holds the countdown on PAUSE before t0 and restarts on a new START', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], { seed: 17, endAfter: 40 });
    const pause: EngineInput = {
      kind: 'control',
      at: T0 - 5,
      message: { cmd: 'PAUSE', reason: 'lag' },
    };
    const start: EngineInput = {
      kind: 'control',
      at: T0 - 4,
      message: { cmd: 'START', t0: T0 + 5 },
    };
    const held = [
      ...inputs.filter((i) => i.at < T0 - 5),
      pause,
      start,
      ...inputs.filter((i) => i.at >= T0 - 5),
    ];
    const results = adjudicate(track, held);
    expect(results.t0).toBe(T0 + 5);
    // The racer set off at the old t0, before the new one: nothing counts until 5 s later,
    // when they are past cp 1 and cannot go back to it.
    expect(results.ranking[0]?.checkpoints).toBe(0);
  });

  it('reports an aborted race as not final', () => {
    const inputs = simulateRace(track, [{ playerId: 'a', speed: 30 }], {
      seed: 18,
      endAfter: null,
    });
    const abort: EngineInput = {
      kind: 'control',
      at: T0 + 8,
      message: { cmd: 'ABORT', reason: 'server down' },
    };
    const results = adjudicate(track, [
      ...inputs.filter((i) => i.at < T0 + 8),
      abort,
      ...inputs.filter((i) => i.at >= T0 + 8),
    ]);
    expect(results).toMatchObject({
      aborted: true,
      final: false,
      reason: 'server down',
      phase: 'aborted',
    });
    expect(results.ranking[0]?.status).toBe('racing');
  });

  it('refuses invalid options and a ranking message without a race id', () => {
    expect(() => createRaceState(track, { speedWindow: 0 })).toThrow(/speedWindow/);
    expect(() => createRaceState(track, { speedLimits: { 6: -1 } })).toThrow(/speedLimits/);
    try {
      toRankingMessage(createRaceState(track));
      expect.unreachable();
    } catch (error) {
      expect(isRaceEngineError(error)).toBe(true);
    }
  });
});

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v, seen);
    return;
  }
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v, seen);
}
