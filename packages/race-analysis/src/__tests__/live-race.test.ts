import { createSimulatedClock, type SimulatedClock } from '@gw2race/clock-sync';
import { decodeTopicMessage, encodeMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { LiveRace, TRAIL_LENGTH } from '../live-race';

/**
 * A page's clocks under test control, starting at `startMs` on both (so local time reads like
 * the monotonic clock): the monotonic one runs, the wall one can be stepped.
 */
function fakeClocks(startMs: number): SimulatedClock {
  return createSimulatedClock({ trueMs: startMs, wallMs: startMs, monotonicMs: startMs });
}

/**
 * One round trip to the host's clock (`GET /api/time`) that took no time, answered at local
 * time `localMs` with the organizer's clock at `organizerMs`.
 */
function sync(race: LiveRace, localMs: number, organizerMs: number) {
  const verdict = race.clock.addSample({
    t1: localMs,
    t2: organizerMs,
    t3: organizerMs,
    t4: localMs,
    source: 'organizer',
  });
  expect(verdict.accepted).toBe(true);
}

function feed(
  race: LiveRace,
  topic: string,
  kind: Parameters<typeof encodeMessage>[0],
  message: object,
  localMs: number,
) {
  const decoded = decodeTopicMessage(topic, encodeMessage(kind, message as never));
  if (!decoded.ok) throw decoded.error;
  race.apply(decoded.value, localMs);
}

describe('the organizer clock seen from the browser', () => {
  it('runs on the local clock until a round trip to the host says otherwise', () => {
    const clocks = fakeClocks(1_000_000);
    const race = new LiveRace('r1', clocks);
    feed(race, 'race/r1/control', 'control', { cmd: 'START', t0: 1000 }, 1_000_000);
    expect(race.raceTime(1_001_000)).toBeCloseTo(1, 6);
    // The organizer's clock is 2 s ahead: the race clock moves on by 2 s.
    sync(race, 1_000_000, 1_002_000);
    expect(race.raceTime(1_001_000)).toBeCloseTo(3, 6);
  });

  it('keeps the estimate between samples and takes a consistent later one', () => {
    const clocks = fakeClocks(1_000_000);
    const race = new LiveRace('r1', clocks);
    sync(race, 1_000_000, 1_002_000);
    clocks.advance(10_000);
    sync(race, 1_010_000, 1_012_000);
    expect(race.clock.estimate()?.offsetMs).toBeCloseTo(2000, 3);
  });
});

describe('a live race on the page clocks', () => {
  function startedRace() {
    const clocks = fakeClocks(1_000_000);
    const race = new LiveRace('r1', clocks);
    const receive = (topic: string, kind: Parameters<typeof encodeMessage>[0], message: object) => {
      const decoded = decodeTopicMessage(topic, encodeMessage(kind, message as never));
      if (!decoded.ok) throw decoded.error;
      race.receive(decoded.value);
    };
    // The organizer's clock is 2 s ahead of the page's at load; START at organizer 1004 s.
    sync(race, 1_000_000, 1_002_000);
    receive('race/r1/control', 'control', { cmd: 'START', t0: 1004, serverClock: 1002 });
    return { clocks, race, receive };
  }

  it('a step of the wall clock moves neither the race clock nor the staleness of positions', () => {
    const { clocks, race, receive } = startedRace();
    clocks.advance(3000);
    receive('race/r1/pos/p1', 'pos', { playerId: 'p1', t: 1005, x: 1, y: 0, z: 2 });
    clocks.advance(2000);
    expect(race.raceTimeNow()).toBeCloseTo(3, 6);
    const racer = race.racers.get('p1');
    if (!racer) throw new Error('no racer');
    expect(race.ageOf(racer)).toBeCloseTo(2, 6);
    // NTP (or a person) moves the computer's date an hour back, then two forward.
    clocks.stepWall(-3_600_000);
    expect(race.raceTimeNow()).toBeCloseTo(3, 6);
    expect(race.ageOf(racer)).toBeCloseTo(2, 6);
    clocks.stepWall(7_200_000);
    expect(race.raceTimeNow()).toBeCloseTo(3, 6);
    expect(race.ageOf(racer)).toBeCloseTo(2, 6);
    // A round trip after the step neither: the offset estimate stays.
    sync(race, clocks.monotonicMs(), 1_007_000);
    receive('race/r1/control', 'control', { cmd: 'SYNC_T0', serverClock: 1007 });
    expect(race.raceTimeNow()).toBeCloseTo(3, 6);
    clocks.advance(1000);
    expect(race.raceTimeNow()).toBeCloseTo(4, 6);
  });

  it('logs the wall time of day of each line, for display', () => {
    const { clocks, race, receive } = startedRace();
    clocks.stepWall(-60_000);
    receive('race/r1/control', 'control', { cmd: 'MSG', text: 'hello' });
    expect(race.log.map((l) => [l.text, l.wall - l.at])).toEqual([
      ['START', 0],
      ['hello', -60_000],
    ]);
  });

  it('stops the race clock at END, on the monotonic clock', () => {
    const { clocks, race, receive } = startedRace();
    clocks.advance(10_000);
    receive('race/r1/control', 'control', { cmd: 'END' });
    clocks.advance(5000);
    clocks.stepWall(86_400_000);
    expect(race.raceTimeNow()).toBeCloseTo(8, 6);
  });
});

describe('a live race fed with hub messages', () => {
  it('tracks state, positions, trails, ranking, commands and the race clock', () => {
    const race = new LiveRace('r1', fakeClocks(1_000_000));
    sync(race, 1_000_000, 1_000_000);
    feed(
      race,
      'race/r1/state',
      'state',
      {
        raceId: 'r1',
        trackId: 't',
        checkpoints: [
          { id: 0, x: 0, y: 0, z: 0, r: 5 },
          { id: 1, x: 9, y: 0, z: 0, r: 5 },
        ],
        participants: [{ playerId: 'p1', name: 'Alice', color: '#abcdef' }],
        serverClock: 1000,
      },
      1_000_000,
    );
    expect(race.nameOf('p1')).toBe('Alice');
    expect(race.colorOf('p1')).toBe('#abcdef');
    expect(race.raceTime(1_000_000)).toBeNull();
    feed(
      race,
      'race/r1/control',
      'control',
      { cmd: 'START', t0: 1010, serverClock: 1001 },
      1_001_000,
    );
    expect(race.t0).toBe(1010);
    expect(race.raceTime(1_015_000)).toBeCloseTo(5, 6);
    for (let i = 0; i < TRAIL_LENGTH + 10; i++)
      feed(
        race,
        'race/r1/pos/p1',
        'pos',
        { playerId: 'p1', t: 1010 + i / 10, x: i, y: 0, z: -i },
        1_010_000 + i * 100,
      );
    expect(race.racers.get('p1')).toMatchObject({ x: TRAIL_LENGTH + 9, z: -(TRAIL_LENGTH + 9) });
    expect(race.trails.get('p1')).toHaveLength(TRAIL_LENGTH * 2);
    feed(
      race,
      'race/r1/ranking',
      'ranking',
      {
        raceId: 'r1',
        t: 1020,
        entries: [
          { playerId: 'p1', position: 1, status: 'racing', lap: 0, checkpoints: 1, name: 'Alice' },
        ],
      },
      1_020_000,
    );
    expect(race.ranking?.entries).toHaveLength(1);
    feed(
      race,
      'race/r1/control',
      'control',
      { cmd: 'MSG', text: 'hello', level: 'important' },
      1_021_000,
    );
    feed(race, 'race/r1/control', 'control', { cmd: 'PAUSE' }, 1_022_000);
    expect(race.paused).toBe(true);
    feed(
      race,
      'race/r1/flags',
      'flag',
      { playerId: 'p1', kind: 'speed', severity: 'warning', t: 1021, message: 'too fast' },
      1_023_000,
    );
    feed(race, 'race/r1/control', 'control', { cmd: 'END' }, 1_030_000);
    expect(race.ended).toBe('ended');
    // The clock stops at END.
    expect(race.raceTime(1_090_000)).toBeCloseTo(20, 6);
    expect(race.log.map((l) => l.text)).toEqual([
      'START',
      'hello',
      'PAUSE',
      'flag speed (warning) Alice: too fast',
      'END',
    ]);
    expect(race.flags).toHaveLength(1);
  });

  it('ignores other races and counts what it applied', () => {
    const race = new LiveRace('r1');
    feed(race, 'race/r2/control', 'control', { cmd: 'START', t0: 5 }, 0);
    expect(race.t0).toBeNull();
    expect(race.received).toBe(0);
  });

  it('notes who joins and who drops', () => {
    const race = new LiveRace('r1');
    feed(race, 'race/r1/presence', 'presence', { playerId: 'p1', event: 'join', name: 'Alice' }, 0);
    feed(
      race,
      'race/r1/presence',
      'presence',
      { playerId: 'w', event: 'join', name: 'Watcher', mode: 'spectator' },
      0,
    );
    feed(race, 'race/r1/presence', 'presence', { playerId: 'p1', event: 'disconnected' }, 10);
    expect(race.log.map((l) => l.text)).toEqual([
      'Alice joined',
      'Watcher joined as spectator',
      'Alice disconnected',
    ]);
  });
});
