import { decodeTopicMessage } from '@gw2race/protocol';
import { findRacer } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import { getClient } from '../client-table';
import { checkCommand } from '../commands';
import { createDirector } from '../director-state';
import { isRaceDirectorError } from '../errors';
import { hostSubscriptions } from '../subscriptions';
import { readyRacers } from '../views';
import { fakeRace, T, TRACK } from './fake-race';

type Point = { x: number; y: number; z: number };

describe('opening', () => {
  it('publishes the retained state and SYNC_T0, records both, and asks for the first tick', () => {
    const race = fakeRace();
    const effects = race.open();
    const publishes = effects.filter((e) => e.type === 'publish');
    expect(publishes.map((e) => [e.topic, e.qos, e.retain])).toEqual([
      ['race/unit/state', 1, true],
      ['race/unit/control', 1, false],
    ]);
    for (const e of publishes) {
      const decoded = decodeTopicMessage(e.topic, e.payload);
      expect(decoded.ok && decoded.value.message).toEqual(e.message);
    }
    expect(race.controls()).toEqual([{ cmd: 'SYNC_T0', serverClock: T }]);
    expect(
      effects.filter((e) => e.type === 'record').map((e) => e.type === 'record' && e.entry.kind),
    ).toEqual(['state', 'control']);
    expect(effects.at(-1)).toEqual({ type: 'schedule', at: T + 0.25 });
  });

  it('refuses rules out of range with a typed error', () => {
    const race = fakeRace();
    const error = (() => {
      try {
        createDirector({ ...race.state.config, laps: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(isRaceDirectorError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toBe('laps must be at least 1, got 0');
  });

  it('subscribes to what ROLE_TOPICS gives the host, positions per player on request', () => {
    expect(hostSubscriptions('unit')).toEqual({
      'race/unit/presence': { qos: 1 },
      'race/unit/checkpoints': { qos: 1 },
      'race/unit/pos/+': { qos: 0 },
      'race/unit/ping': { qos: 0 },
      'race/unit/chat': { qos: 1 },
      'race/unit/request': { qos: 0 },
    });
    expect(Object.keys(hostSubscriptions('unit', { positionsPerPlayer: true }))).not.toContain(
      'race/unit/pos/+',
    );
  });
});

describe('countdown, pause and resume', () => {
  it('START sets t0 the start delay ahead; a pause in the countdown holds it, resume gives a new one', () => {
    const race = fakeRace();
    race.open();
    race.join('ann');
    // A join within a second of the last state goes out with the next one: START's here.
    race.command({ action: 'start' });
    expect(race.lastState().participants).toEqual([{ playerId: 'ann', name: 'ANN' }]);
    expect(race.controls().at(-1)).toEqual({ cmd: 'START', t0: T + 10, serverClock: T });
    expect(race.state.stage).toBe('active');
    race.advance(2);
    race.command({ action: 'pause' });
    expect(race.state.engine.t0).toBeNull();
    expect(race.lastState()).toMatchObject({ stage: 'active', t0: null });
    expect(race.logs()).toContain('PAUSE: the countdown is held; resume to start a new one');
    race.advance(3);
    race.command({ action: 'resume' });
    expect(race.controls().at(-1)).toEqual({ cmd: 'RESUME', at: T + 5, t0: T + 15 });
    expect(race.lastState()).toMatchObject({ t0: T + 15 });
    race.advance(10.5);
    race.ride('ann');
    race.advance(0.5);
    expect(race.state.stage).toBe('post');
    expect(race.state.endReason).toBe('every racer finished');
  });

  it('a pause mid-race keeps t0 and RESUME carries none', () => {
    const race = fakeRace();
    race.open();
    race.join('ann');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('ann', 0, 1);
    race.command({ action: 'pause' });
    expect(race.state.paused).toBe(true);
    expect(race.state.engine.t0).toBe(T + 10);
    race.command({ action: 'resume' });
    expect(race.controls().at(-1)).toEqual({ cmd: 'RESUME', at: race.now });
    expect(race.state.engine.t0).toBe(T + 10);
  });

  it('starts by itself once autoStart racers are ready', () => {
    const race = fakeRace({ autoStart: 2 });
    race.open();
    race.join('ann');
    race.join('bob', 'not-ready');
    race.advance(1);
    expect(race.state.stage).toBe('pre');
    expect(readyRacers(race.state).map((c) => c.playerId)).toEqual(['ann']);
    race.ready('bob');
    race.advance(0.25);
    expect(race.state.stage).toBe('active');
    expect(race.controls().filter((c) => c.cmd === 'START')).toHaveLength(1);
  });
});

describe('end rules', () => {
  it('ends at the time limit after t0', () => {
    const race = fakeRace({ timeLimit: 5 });
    race.open();
    race.join('ann');
    race.command({ action: 'start' });
    race.advance(14.9);
    expect(race.state.stage).toBe('active');
    race.advance(0.3);
    expect(race.state.endReason).toBe('time limit of 5 s reached');
    expect(race.controls().at(-1)).toMatchObject({
      cmd: 'END',
      reason: 'time limit of 5 s reached',
    });
    expect(race.published('ranking').at(-1)?.final).toBe(true);
    expect(race.lastState().stage).toBe('post');
    expect(race.effects.at(-1)).toEqual({
      type: 'ended',
      reason: 'time limit of 5 s reached',
      aborted: false,
    });
  });

  it('ends the finish timeout after the first finisher, while others still ride', () => {
    const race = fakeRace({ finishTimeout: 3 });
    race.open();
    race.join('ann');
    race.join('bob');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('bob', 0, 1);
    race.ride('ann');
    const finishedAt = race.state.firstFinishAt as number;
    expect(finishedAt).toBeGreaterThan(T + 10);
    race.advance(2.5);
    expect(race.state.stage).toBe('active');
    race.advance(1);
    expect(race.state.endReason).toBe('3 s after the first finisher');
  });

  it('waits the rejoin grace for a silent racer, counted from their last message', () => {
    const race = fakeRace({ rejoinGrace: 10 });
    race.open();
    race.join('ann');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('ann', 0, 1);
    race.quiet('ann');
    race.advance(5.3);
    expect(getClient(race.state.clients, 'ann')).toMatchObject({
      status: 'silent',
      connected: false,
    });
    expect(race.logs()).toContain('ANN went silent');
    race.advance(4);
    expect(race.state.stage).toBe('active');
    race.advance(1);
    expect(race.state.endReason).toBe('every racer finished or left');
  });

  it('after the end nothing more is recorded, judged or scheduled', () => {
    const race = fakeRace();
    race.open();
    race.command({ action: 'abort', reason: 'storm' });
    expect(race.controls().at(-1)).toEqual({ cmd: 'ABORT', reason: 'storm' });
    expect(race.state.aborted).toBe(true);
    const after = race.send('presence', { playerId: 'late', event: 'join', mode: 'racer' });
    expect(after.some((e) => e.type === 'record' || e.type === 'publish')).toBe(false);
    expect(race.feed({ type: 'tick', at: race.now + 1 })).toEqual([]);
  });
});

describe('organizer commands', () => {
  it('are refused with a reason when they do not fit the stage', () => {
    const race = fakeRace();
    race.open();
    race.command({ action: 'pause' });
    race.command({ action: 'resume' });
    race.command({ action: 'ruling', playerId: 'nobody', ruling: 'dsq' });
    race.command({ action: 'start', delay: 5 });
    race.command({ action: 'start' });
    race.command({ action: 'pause' });
    race.command({ action: 'pause' });
    race.command({ action: 'end' });
    race.command({ action: 'end' });
    race.command({ action: 'message', text: 'hi' });
    expect(race.replies()).toEqual([
      { ok: false, error: 'the race is not running' },
      { ok: false, error: 'the race is not paused' },
      { ok: false, error: 'no racer "nobody" in this race' },
      { ok: true },
      { ok: false, error: 'the race has already started' },
      { ok: true },
      { ok: false, error: 'already paused' },
      { ok: true },
      { ok: false, error: 'the race is already over' },
      { ok: false, error: 'the race is over' },
    ]);
    expect(race.controls().find((c) => c.cmd === 'START')).toMatchObject({ t0: T + 5 });
    expect(race.state.endReason).toBe('ended by the organizer');
  });

  it('a ruling on a known racer is published, recorded and judged', () => {
    const race = fakeRace();
    race.open();
    race.join('ann');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('ann', 0, 1);
    expect(checkCommand(race.state, { action: 'ruling', playerId: 'ann', ruling: 'dsq' })).toEqual({
      ok: true,
    });
    race.command({ action: 'ruling', playerId: 'ann', ruling: 'dsq', reason: 'cut' });
    expect(race.controls().at(-1)).toMatchObject({
      cmd: 'RULING',
      playerId: 'ann',
      action: 'dsq',
      reason: 'cut',
    });
    expect(race.logs()).toContain('ruling: dsq ANN (cut)');
    race.advance(0.25);
    expect(race.published('ranking').at(-1)?.entries[0]).toMatchObject({
      playerId: 'ann',
      status: 'dsq',
    });
  });

  it('a ruling after the end is published, recorded with the final ranking it changes, and amends the results', () => {
    const race = fakeRace();
    race.open();
    race.join('ann');
    race.join('bob');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('ann');
    race.ride('bob');
    race.advance(3);
    expect(race.state.stage).toBe('post');
    expect(race.published('ranking').at(-1)?.entries[0]).toMatchObject({ playerId: 'ann' });
    const effects = race.command({
      action: 'ruling',
      playerId: 'ann',
      ruling: 'dsq',
      reason: 'cut',
    });
    expect(race.replies().at(-1)).toEqual({ ok: true });
    const recorded = effects.flatMap((e) => (e.type === 'record' ? [e.entry.kind] : []));
    expect(recorded).toEqual(['control', 'ranking']);
    expect(effects.filter((e) => e.type === 'flush' || e.type === 'amended')).toEqual([
      { type: 'flush' },
      { type: 'amended' },
    ]);
    const final = race.published('ranking').at(-1);
    expect(final?.final).toBe(true);
    expect(final?.entries.map((e) => [e.playerId, e.status])).toEqual([
      ['bob', 'finished'],
      ['ann', 'dsq'],
    ]);
    expect(findRacer(race.state.engine, 'ann')?.ruling).toBe('dsq');
    // Still nothing a client says is recorded or judged, and no tick is asked for.
    const late = race.send('presence', { playerId: 'late', event: 'join', mode: 'racer' });
    expect(late.some((e) => e.type === 'record' || e.type === 'publish')).toBe(false);
    expect(effects.some((e) => e.type === 'schedule')).toBe(false);
  });

  it('a message goes to every racer, or one', () => {
    const race = fakeRace();
    race.open();
    race.command({ action: 'message', text: 'two minutes', to: 'ann' });
    expect(race.controls().at(-1)).toEqual({
      cmd: 'MSG',
      text: 'two minutes',
      level: 'important',
      to: 'ann',
    });
  });
});

/** A point `f` of the way along leg `leg` of the test track. */
function legPoint(leg: number, f: number) {
  const a = TRACK.checkpoints[leg] as Point;
  const b = TRACK.checkpoints[leg + 1] as Point;
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, z: a.z + (b.z - a.z) * f };
}

describe('the ranking schedule', () => {
  it('is published once a second when nothing changes, at most five times a second when it does', () => {
    const race = fakeRace();
    race.open();
    race.advance(10);
    // The first tick publishes, then one a second.
    expect(race.published('ranking')).toHaveLength(10);
    race.join('ann');
    race.join('bob');
    race.command({ action: 'start', delay: 0 });
    race.ride('bob', 0, 1);
    const before = race.published('ranking').length;
    for (let leg = 0; leg < 3; leg++) {
      for (let i = 0; i < 10; i++) {
        race.send('pos', { playerId: 'ann', t: race.now, ...legPoint(leg, i / 10) }, 'ann');
        race.advance(0.1);
      }
    }
    const rankings = race.published('ranking').slice(before);
    // 3 s with three crossings: the steady ones plus those the crossings made due, none closer
    // than 0.2 s apart.
    expect(rankings.length).toBeGreaterThan(3);
    expect(rankings.length).toBeLessThanOrEqual(15);
    const times = rankings.map((r) => r.t as number);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(0.2 - 1e-9);
  });

  it('a changed ranking goes out within one tick, not a second later', () => {
    const race = fakeRace();
    race.open();
    race.join('ann');
    race.advance(0.3);
    const count = race.published('ranking').length;
    race.command({ action: 'start' });
    race.advance(0.25);
    expect(race.published('ranking').length).toBe(count + 1);
  });
});

describe('the state republish', () => {
  const states = (race: ReturnType<typeof fakeRace>) =>
    race.effects.filter((e) => e.type === 'publish' && e.kind === 'state');

  it('publishes the unchanged state again every few seconds, retained, and records none of it', () => {
    const race = fakeRace();
    race.open();
    const recorded = () =>
      race.effects.filter((e) => e.type === 'record' && e.entry.kind === 'state').length;
    expect(states(race)).toHaveLength(1);
    race.advance(12);
    const again = states(race).slice(1);
    expect(again.length).toBeGreaterThanOrEqual(2);
    const first = states(race)[0];
    for (const e of again) {
      if (e.type !== 'publish' || first?.type !== 'publish') throw new Error('not a publish');
      expect([e.topic, e.qos, e.retain]).toEqual(['race/unit/state', 1, true]);
      const decoded = decodeTopicMessage(e.topic, e.payload);
      expect(decoded.ok && decoded.value.message).toEqual(e.message);
      expect({ ...e.message, serverClock: 0 }).toEqual({ ...first.message, serverClock: 0 });
      expect((e.message as { serverClock: number }).serverClock).toBeGreaterThan(T);
    }
    expect(recorded()).toBe(1);
  });

  it('follows the configured interval, counted from the last change', () => {
    const race = fakeRace({ stateRepublish: 2 });
    race.open();
    race.advance(12);
    expect(states(race).length - 1).toBeGreaterThanOrEqual(5);
    race.advance(1.5);
    const count = states(race).length;
    race.join('ann'); // a join before the start publishes the state with the new participant
    expect(states(race)).toHaveLength(count + 1);
    race.advance(1.5);
    expect(states(race)).toHaveLength(count + 1);
    race.advance(1);
    expect(states(race)).toHaveLength(count + 2);
  });

  it('sends the state to a client that joins or comes back mid-race, as a request for it', () => {
    const race = fakeRace({ stateRepublish: 3600 });
    race.open();
    race.join('ann');
    race.command({ action: 'start', delay: 0 });
    race.advance(1);
    const count = states(race).length;
    race.join('bob');
    expect(states(race)).toHaveLength(count + 1);
    race.quiet('ann');
    race.advance(6); // ann went silent
    race.join('ann');
    expect(states(race)).toHaveLength(count + 2);
  });

  it('refuses an interval out of range', () => {
    expect(() => fakeRace({ stateRepublish: -1 })).toThrow(
      'stateRepublish must be at least 0, got -1',
    );
    expect(() => fakeRace({ stateRepublish: 3601 })).toThrow(/at most 3600/);
  });

  it('with an interval of 0 sends the unchanged state only on request', () => {
    const race = fakeRace({ stateRepublish: 0 });
    race.open();
    race.advance(30);
    expect(states(race)).toHaveLength(1);
    race.send('request', { playerId: 'ann', want: 'state' });
    expect(states(race)).toHaveLength(2);
  });
});

describe('a request for the state', () => {
  const publishes = (race: ReturnType<typeof fakeRace>, from = 0) =>
    race.effects.slice(from).filter((e) => e.type === 'publish');

  it('is answered with the state and the current ranking, neither recorded, the request neither', () => {
    const race = fakeRace({ stateRepublish: 3600 });
    race.open();
    race.join('ann');
    race.command({ action: 'start', delay: 0 });
    race.advance(2);
    const from = race.effects.length;
    const out = race.send('request', { playerId: 'zed', want: 'state' });
    expect(out.filter((e) => e.type === 'record')).toEqual([]);
    const answer = publishes(race, from);
    expect(answer.map((e) => e.type === 'publish' && [e.topic, e.kind])).toEqual([
      ['race/unit/state', 'state'],
      ['race/unit/ranking', 'ranking'],
    ]);
    for (const e of answer) {
      if (e.type !== 'publish') continue;
      const decoded = decodeTopicMessage(e.topic, e.payload);
      expect(decoded.ok && decoded.value.message).toEqual(e.message);
    }
    const [state, ranking] = answer.map((e) => (e.type === 'publish' ? e.message : undefined));
    expect(state).toMatchObject({ stage: 'active', t0: T, serverClock: T + 2 });
    expect(ranking).toMatchObject({ t: T + 2, entries: [{ playerId: 'ann', name: 'ANN' }] });
  });

  it('a flood is answered at most once a second, and the last asker is still served', () => {
    const race = fakeRace({ stateRepublish: 3600 });
    race.open();
    race.advance(1);
    const from = race.effects.length;
    // 500 requests over 5 s (one every 10 ms), from ever new ids.
    for (let i = 0; i < 500; i++) {
      race.send('request', { playerId: `flood${i}`, want: 'state' });
      race.advance(0.01);
    }
    const states = () =>
      publishes(race, from).filter((e) => e.type === 'publish' && e.kind === 'state');
    const times = states().map(
      (e) => (e.type === 'publish' ? e.message : {}) as { serverClock: number },
    );
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(times.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < times.length; i++)
      expect(
        (times[i]?.serverClock as number) - (times[i - 1]?.serverClock as number),
      ).toBeGreaterThanOrEqual(1 - 1e-9);
    // The requests of the last second are answered by the next due tick.
    const before = states().length;
    race.advance(1.25);
    expect(states()).toHaveLength(before + 1);
    race.advance(5);
    expect(states()).toHaveLength(before + 1);
  });

  it('joins and comebacks share the limit with requests', () => {
    const race = fakeRace({ stateRepublish: 3600 });
    race.open();
    race.join('ann');
    race.command({ action: 'start', delay: 0 });
    race.advance(1);
    const count = race.effects.filter((e) => e.type === 'publish' && e.kind === 'state').length;
    race.send('request', { playerId: 'zed', want: 'state' });
    race.join('bob');
    race.join('cat');
    const now = () => race.effects.filter((e) => e.type === 'publish' && e.kind === 'state').length;
    expect(now()).toBe(count + 1);
    race.advance(1);
    expect(now()).toBe(count + 2);
  });

  it('is not answered after the end', () => {
    const race = fakeRace();
    race.open();
    race.command({ action: 'end' });
    const from = race.effects.length;
    race.send('request', { playerId: 'ann', want: 'state' });
    race.advance(3);
    expect(publishes(race, from)).toEqual([]);
  });
});

describe('determinism', () => {
  it('the same inputs fed to a fresh director give the same effects and state', () => {
    const race = fakeRace({ finishTimeout: 2 });
    race.open();
    race.join('ann');
    race.join('bob');
    race.command({ action: 'start' });
    race.advance(10.5);
    race.ride('ann');
    race.ride('bob', 0, 2);
    race.advance(3);
    expect(race.state.stage).toBe('post');
    const again = fakeRace({ finishTimeout: 2 });
    for (const input of race.inputs) again.feed(input);
    expect(again.effects).toEqual(race.effects);
    expect(again.state.flags).toEqual(race.state.flags);
    expect(again.state.engine.racers).toEqual(race.state.engine.racers);
    expect(TRACK.checkpoints).toHaveLength(4);
  });
});
