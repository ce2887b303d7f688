import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createColors } from '@gw2race/app-shared';
import type { OffsetEstimator } from '@gw2race/clock-sync';
import {
  type ControlMessage,
  decodeTopicMessage,
  encodeMessage,
  type MessageKind,
  type MessageOf,
  type RankingMessage,
  type StateMessage,
  type Track,
} from '@gw2race/protocol';
import { validateTrack } from '@gw2race/race-engine';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejudge } from '../commands/results';
import { closeStageLine, postRaceLines } from '../host/post-race';
import { createHostSession, type HostSession, type HostSessionOptions } from '../host/session';
import { renderHostScreen } from '../ui/host-screen';

const T = 1_795_000_000;
const RACE = 'unit';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'unit-short',
  name: 'Unit short course',
  mapId: 24,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, role: 'finish', x: 200, y: 12, z: 150, r: 12 },
  ],
};

/** A hub connection that keeps what the host publishes and lets the test deliver messages. */
class FakeHub extends EventEmitter {
  readonly published: { topic: string; payload: Buffer }[] = [];
  publish(topic: string, payload: Buffer) {
    this.published.push({ topic, payload });
    return this;
  }
  async subscribeAsync() {
    return [];
  }
  deliver<K extends MessageKind>(topic: string, kind: K, message: MessageOf<K>) {
    this.emit('message', topic, Buffer.from(encodeMessage(kind, message)));
  }
  controls(): ControlMessage[] {
    return this.decoded('control') as ControlMessage[];
  }
  decodedRankings(): RankingMessage[] {
    return this.decoded('ranking') as RankingMessage[];
  }
  lastState(): StateMessage {
    return this.decoded('state').at(-1) as StateMessage;
  }
  private decoded(channel: string): unknown[] {
    return this.published
      .filter((p) => p.topic === `race/${RACE}/${channel}`)
      .map((p) => {
        const decoded = decodeTopicMessage(p.topic, p.payload);
        if (!decoded.ok) throw new Error(decoded.error.message);
        return decoded.value.message;
      });
  }
}

let nowMs = T * 1000;
const clock = { now: () => nowMs } as unknown as OffsetEstimator;
let hub: FakeHub;
const sessions: HostSession[] = [];

function makeSession(options: Partial<HostSessionOptions> = {}): HostSession {
  const session = createHostSession({
    client: hub as unknown as MqttClient,
    raceId: RACE,
    track: TRACK,
    name: 'Unit Cup',
    laps: 1,
    startRule: 'mass',
    startDelay: 10,
    autoStart: undefined,
    timeLimit: undefined,
    finishTimeout: undefined,
    outDir: mkdtempSync(join(tmpdir(), 'gw2race-session-')),
    clock,
    version: 'test',
    log: () => {},
    changed: () => {},
    ...options,
  });
  sessions.push(session);
  return session;
}

/** Racers whose client sends presence every second while the test moves the clock. */
const online = new Set<string>();

/** Moves the organizer clock and lets the host's 250 ms tick run; online racers send presence. */
function advance(seconds: number) {
  const steps = Math.ceil(seconds / 0.25);
  for (let i = 0; i < steps; i++) {
    nowMs += (seconds * 1000) / steps;
    if (i % 4 === 3) for (const playerId of online) heartbeat(playerId);
    vi.advanceTimersByTime(250);
  }
}

function join_(playerId: string) {
  online.add(playerId);
  hub.deliver(`race/${RACE}/presence`, 'presence', {
    playerId,
    event: 'join',
    status: 'ready',
    mode: 'racer',
    name: playerId.toUpperCase(),
  });
}

/** The racer's connection drops: the hub publishes their last will. */
function drop(playerId: string) {
  online.delete(playerId);
  hub.deliver(`race/${RACE}/presence`, 'presence', { playerId, event: 'disconnected' });
}

function heartbeat(playerId: string) {
  hub.deliver(`race/${RACE}/presence`, 'presence', { playerId, event: 'heartbeat' });
}

/** A racer rides straight through every checkpoint, one sample every 0.2 s of organizer time. */
function ride(playerId: string, from = 0, to = TRACK.checkpoints.length - 1) {
  for (let i = from; i < to; i++) {
    const a = TRACK.checkpoints[i] as { x: number; y: number; z: number };
    const b = TRACK.checkpoints[i + 1] as { x: number; y: number; z: number };
    for (let f = 0; f < 1; f += 0.1) {
      nowMs += 200;
      if (online.has(playerId) && Math.round(f * 10) % 5 === 0) heartbeat(playerId);
      hub.deliver(`race/${RACE}/pos/${playerId}`, 'pos', {
        playerId,
        t: nowMs / 1000,
        x: a.x + (b.x - a.x) * f,
        y: a.y + (b.y - a.y) * f,
        z: a.z + (b.z - a.z) * f,
      });
    }
  }
  if (to === TRACK.checkpoints.length - 1) {
    const last = TRACK.checkpoints[to] as { x: number; y: number; z: number };
    nowMs += 200;
    hub.deliver(`race/${RACE}/pos/${playerId}`, 'pos', { playerId, t: nowMs / 1000, ...last });
    nowMs += 200;
    hub.deliver(`race/${RACE}/pos/${playerId}`, 'pos', {
      playerId,
      t: nowMs / 1000,
      x: last.x + 20,
      y: last.y,
      z: last.z + 20,
    });
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
  nowMs = T * 1000;
  hub = new FakeHub();
  online.clear();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) {
    await session.end('test over');
    await session.close();
  }
  vi.useRealTimers();
});

describe('pause and resume', () => {
  it('a pause during the countdown holds it; resume publishes a new t0 and the race runs from it', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    session.startRace();
    expect(session.t0).toBe(T + 10);
    advance(2);

    expect(session.pause()).toBe(true);
    expect(hub.controls().at(-1)).toMatchObject({ cmd: 'PAUSE' });
    // The engine dropped t0 (the countdown is called off), and so does the state racers see.
    expect(session.engine.t0).toBeNull();
    expect(session.t0).toBeNull();
    expect(hub.lastState()).toMatchObject({ stage: 'active', t0: null });

    advance(3);
    expect(session.resume()).toBe(true);
    const resume = hub.controls().at(-1);
    expect(resume).toMatchObject({ cmd: 'RESUME', t0: T + 15 });
    expect(session.t0).toBe(T + 15);
    expect(session.engine.t0).toBe(T + 15);
    expect(hub.lastState()).toMatchObject({ stage: 'active', t0: T + 15 });

    advance(10.5);
    ride('ann');
    advance(0.5);
    const outcome = await session.done;
    expect(outcome.results.ranking).toMatchObject([{ playerId: 'ann', status: 'finished' }]);
    // Timed from the new t0: the ride took 3.4 s after it (3 legs of 10 samples, then 2 more).
    const time = outcome.results.ranking[0]?.time as number;
    expect(time).toBeGreaterThan(0);
    expect(time).toBeLessThan(8);
    expect(session.endReason).toBe('every racer finished');
  });

  it('a pause mid-race keeps t0; resume sends no new one and the race goes on', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    session.startRace();
    advance(10.5);
    ride('ann', 0, 1);
    expect(session.pause()).toBe(true);
    expect(session.pause()).toBe(false);
    expect(session.t0).toBe(T + 10);
    expect(session.engine.t0).toBe(T + 10);
    advance(2);
    expect(session.resume()).toBe(true);
    expect(session.resume()).toBe(false);
    const resume = hub.controls().at(-1);
    expect(resume).toMatchObject({ cmd: 'RESUME' });
    expect(resume && 't0' in resume ? resume.t0 : undefined).toBeUndefined();
    expect(session.t0).toBe(T + 10);
    ride('ann', 1);
    advance(0.5);
    const outcome = await session.done;
    expect(outcome.results.ranking).toMatchObject([{ playerId: 'ann', status: 'finished' }]);
  });

  it('pause and resume are refused before START and after the end', async () => {
    const session = makeSession();
    await session.start();
    expect(session.command({ action: 'pause' })).toEqual({
      ok: false,
      error: 'the race is not running',
    });
    expect(session.command({ action: 'resume' })).toEqual({
      ok: false,
      error: 'the race is not paused',
    });
    await session.end('done');
    expect(session.pause()).toBe(false);
  });
});

describe('abort', () => {
  it('publishes ABORT and the post-race state, and writes results marked aborted', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    session.startRace();
    advance(11);
    ride('ann', 0, 1);
    const outcome = await session.abort('a storm');
    expect(hub.controls().at(-1)).toEqual({ cmd: 'ABORT', reason: 'a storm' });
    expect(hub.lastState()).toMatchObject({ stage: 'post' });
    expect(session.stage).toBe('post');
    expect(outcome.results.aborted).toBe(true);
    expect(session.endReason).toBe('a storm');
    // A second end is the same outcome, not a second END.
    expect(await session.end('again')).toBe(outcome);
    expect(hub.controls().filter((c) => c.cmd === 'ABORT' || c.cmd === 'END')).toHaveLength(1);
  });
});

describe('the post-race stage', () => {
  it('a ruling after the end is recorded and written: re-judging the recording gives the final live ranking', async () => {
    const lines: string[] = [];
    const session = makeSession({ log: (line) => lines.push(line) });
    await session.start();
    join_('ann');
    join_('bob');
    session.startRace();
    advance(10.5);
    ride('ann');
    ride('bob');
    advance(0.5);
    const outcome = await session.done;
    expect(outcome.results.ranking.map((r) => r.playerId)).toEqual(['ann', 'bob']);
    // Minutes later, the organizer rules on a flag from the viewer.
    advance(120);
    expect(
      session.command({ action: 'ruling', playerId: 'ann', ruling: 'dsq', reason: 'cut' }),
    ).toEqual({ ok: true });
    const final = hub.decodedRankings().at(-1);
    expect(final?.final).toBe(true);
    expect(final?.entries.map((e) => [e.playerId, e.status])).toEqual([
      ['bob', 'finished'],
      ['ann', 'dsq'],
    ]);
    const closed = await session.close();
    expect(lines).toContain(`results written again after the ruling: ${outcome.resultsJson}`);
    expect(closed?.results.ranking.map((r) => [r.playerId, r.status])).toEqual([
      ['bob', 'finished'],
      ['ann', 'dsq'],
    ]);
    const written = JSON.parse(readFileSync(outcome.resultsJson, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(closed?.results)));
    const rejudged = await rejudge(outcome.recording);
    expect(rejudged.warnings).toEqual([]);
    expect(JSON.parse(JSON.stringify(rejudged.results))).toEqual(written);
    // Closed is closed: a second close gives the same, and the recording takes nothing more.
    expect(await session.close()).toBe(closed);
  });
});

describe('the end of the race', () => {
  it('waits the rejoin grace for a dropped last racer, and goes on when they come back', async () => {
    const session = makeSession({ rejoinGrace: 20 });
    await session.start();
    join_('ann');
    session.startRace();
    advance(10.5);
    ride('ann', 0, 1);
    drop('ann');
    advance(15);
    expect(session.stage).toBe('active');
    // Back within the grace: still racing, and she finishes.
    join_('ann');
    advance(30);
    expect(session.stage).toBe('active');
    ride('ann', 1);
    advance(0.5);
    const outcome = await session.done;
    expect(outcome.results.ranking).toMatchObject([{ playerId: 'ann', status: 'finished' }]);
  });

  it('ends once a dropped racer stays away longer than the grace, or at once on a goodbye', async () => {
    const session = makeSession({ rejoinGrace: 20 });
    await session.start();
    join_('ann');
    join_('bob');
    session.startRace();
    advance(10.5);
    ride('ann', 0, 1);
    ride('bob', 0, 1);
    online.delete('bob');
    hub.deliver(`race/${RACE}/presence`, 'presence', { playerId: 'bob', event: 'leave' });
    drop('ann');
    advance(19);
    expect(session.stage).toBe('active');
    advance(1.5);
    expect(session.stage).toBe('post');
    expect(session.endReason).toBe('every racer finished or left');
  });

  it('a racer who went silent counts from their last message', async () => {
    const session = makeSession({ rejoinGrace: 10 });
    await session.start();
    join_('ann');
    session.startRace();
    advance(10.5);
    ride('ann', 0, 1);
    // Nothing more from Ann: silent after 5 s, gone 10 s after her last message.
    online.delete('ann');
    advance(9);
    expect(session.client('ann')?.status).toBe('silent');
    expect(session.stage).toBe('active');
    advance(1.5);
    expect(session.stage).toBe('post');
  });
});

describe('hub refusals', () => {
  it('are counted and logged, once and then every 100th time', async () => {
    const lines: string[] = [];
    const session = makeSession({ log: (line) => lines.push(line) });
    await session.start();
    for (let i = 0; i < 100; i++)
      session.hubRefused('mallory-1', `race/${RACE}/state`, 'only the host publishes on state');
    expect(session.counters.hubRefused).toBe(100);
    expect(lines.filter((l) => l.startsWith('the hub refused'))).toEqual([
      `the hub refused a publish on race/${RACE}/state from mallory-1: only the host publishes on state`,
      `the hub refused a publish on race/${RACE}/state from mallory-1: only the host publishes on state (×100)`,
    ]);
  });
});

describe('the host screen', () => {
  const colors = createColors({ isTTY: false } as NodeJS.WriteStream);
  const info = {
    hubUrl: 'mqtt://127.0.0.1:1883',
    embedded: true,
    hubClients: () => 2,
    webUrl: 'http://127.0.0.1:8080/',
    organizerUrl: 'http://127.0.0.1:8080/?token=sesame',
    clockNote: 'this machine',
    keys: '',
  };

  it('keeps the organizer address and the track warnings in sight, and says when the countdown is held', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    session.startRace();
    advance(1);
    session.pause();
    const { mapId: _none, ...noMap } = TRACK;
    const screen = renderHostScreen(
      session,
      { ...info, trackWarnings: validateTrack(noMap) },
      colors,
    );
    expect(screen).toContain(
      'Organizer controls (keep private): http://127.0.0.1:8080/?token=sesame',
    );
    expect(screen).toMatch(/track warning NO_MAP: /);
    expect(screen).toContain('COUNTDOWN HELD');
    // Piped output leaves the organizer address out of the repeated screen.
    expect(renderHostScreen(session, { ...info, organizerUrl: undefined }, colors)).not.toContain(
      'token=',
    );
  });

  it('keeps the post-race lines in sight after the end (never before it), above the keys', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    session.startRace();
    advance(10.5);
    ride('ann');
    advance(0.5);
    const outcome = await session.done;
    const postRace = postRaceLines(outcome, {
      webUrl: 'http://127.0.0.1:8080/',
      keys: true,
      pid: 4242,
      self: 'gw2race-host',
    });
    expect(postRace).toEqual([
      'the race is over; the viewer stays open at http://127.0.0.1:8080/ for the results, "Replay so far" and rulings on flags (Organizer tab)',
      `results: ${outcome.resultsJson} (written again after each ruling); recording: ${outcome.recording}`,
      `afterwards: gw2race-host replay ${outcome.recording}   (or: gw2race-host results ${outcome.recording})`,
      'press q or Ctrl-C to close the race and quit (--exit-after-race: quit right after the results)',
    ]);
    const keys = 'the race is over · keys: [q] or Ctrl-C close the race and quit';
    const screen = renderHostScreen(session, { ...info, postRace, keys }, colors).split('\n');
    const at = screen.indexOf(postRace[0] as string);
    expect(at).toBeGreaterThan(0);
    expect(screen.slice(at, at + 4)).toEqual(postRace);
    expect(screen.at(-1)).toBe(keys);
    expect(closeStageLine({ keys: false, pid: 4242 })).toBe(
      'Ctrl-C (SIGINT) or SIGTERM closes the race and quits: kill -INT 4242',
    );
  });

  it('counts as the viewer does: crossings per lap, the first lap is 1, nobody leads before a checkpoint', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    join_('bob');
    // A start, 2 checkpoints and a finish: 3 to cross, not 4.
    expect(renderHostScreen(session, info, colors)).toContain(
      'Track: Unit short course · 3 checkpoints · 1 lap',
    );
    session.startRace();
    advance(10.5);
    const rowsOf = () =>
      renderHostScreen(session, info, colors)
        .split('\n')
        .filter((line) => /^(\d+|–)\s/.test(line));
    // Started, nobody has moved: no positions, nobody shown as the leader.
    const waiting = rowsOf();
    expect(waiting).toHaveLength(2);
    for (const row of waiting) {
      expect(row).toMatch(/^–\s+\S+\s+waiting\s+–\s+–/);
      expect(row).not.toMatch(/leader/);
    }
    // Ann past checkpoint 1: the first lap is lap 1, one of its 3 crossings done.
    ride('ann', 0, 1);
    const [first, second] = rowsOf();
    expect(first).toMatch(/^1\s+ANN\s+racing\s+1\s+1\/3/);
    expect(second).toMatch(/^2\s+BOB\s+waiting\s+–\s+–/);
  });

  it('shows no gap for a racer who did not finish', async () => {
    const session = makeSession();
    await session.start();
    join_('ann');
    join_('bob');
    session.startRace();
    advance(10.5);
    ride('ann');
    ride('bob', 0, 1);
    await session.end('over');
    const screen = renderHostScreen(session, info, colors);
    const rows = screen.split('\n').filter((line) => /^\d+\s/.test(line));
    expect(rows[0]).toMatch(/ANN\s+finished .*leader/);
    expect(rows[1]).toMatch(/BOB\s+dnf/);
    expect(rows[1]).not.toMatch(/leader|\+\d/);
  });
});

describe('one authority', () => {
  const state = (id: string, since: number): StateMessage => ({
    raceId: RACE,
    trackId: TRACK.id,
    checkpoints: [],
    host: { id, since },
  });

  it('names this host in its state; a host that started later stands down at once, publishing nothing more', async () => {
    const errors: Error[] = [];
    const session = makeSession({
      host: { id: 'h-late', since: T },
      onAnotherHost: (error) => errors.push(error),
    });
    await session.start();
    expect(hub.lastState().host).toEqual({ id: 'h-late', since: T });
    // Our own state coming back changes nothing.
    hub.deliver(`race/${RACE}/state`, 'state', state('h-late', T));
    expect(errors).toEqual([]);
    hub.deliver(`race/${RACE}/state`, 'state', state('h-first', T - 60));
    expect(errors.map((e) => e.message)).toEqual([
      `another host is directing race ${RACE} on this hub (up since ${new Date((T - 60) * 1000).toISOString()}): two hosts would split the race, so this one does not publish`,
    ]);
    const published = hub.published.length;
    join_('ann');
    advance(3);
    expect(hub.published.length).toBe(published);
    await session.standDown();
    // It has no results to write: the race is the other host's.
    sessions.splice(sessions.indexOf(session), 1);
  });

  it('keeps the race when the other host started later, and says so once', async () => {
    const errors: Error[] = [];
    const lines: string[] = [];
    const session = makeSession({
      host: { id: 'h-first', since: T - 60 },
      onAnotherHost: (error) => errors.push(error),
      log: (line) => lines.push(line),
    });
    await session.start();
    hub.deliver(`race/${RACE}/state`, 'state', state('h-late', T));
    hub.deliver(`race/${RACE}/state`, 'state', state('h-late', T));
    expect(errors).toEqual([]);
    expect(lines.filter((l) => l.includes('another host'))).toEqual([
      `another host (h-late) publishes race ${RACE} on this hub; it started later and stands down`,
    ]);
    const published = hub.published.length;
    advance(2);
    expect(hub.published.length).toBeGreaterThan(published);
  });
});
