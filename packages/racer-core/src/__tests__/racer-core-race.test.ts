import type { CheckpointMessage, PresenceMessage, RankingMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import type { RacerEffect } from '../index';
import { createHarness, playerId, raceId, state } from './support/harness';

/** A racer on the line, clock synced, the race started `ago` seconds before now. */
function started(ago = 0) {
  const h = createHarness();
  h.connect();
  h.deliver('state', 'state', state);
  h.begin();
  h.take(h.core.handle({ type: 'game', status: 'live' }));
  h.run(1000);
  h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() - ago });
  return h;
}

const ranking = (
  h: ReturnType<typeof createHarness>,
  checkpoints: number,
  extra: Partial<RankingMessage> = {},
): RankingMessage => ({
  raceId,
  t: h.hostNow(),
  entries: [
    {
      playerId,
      position: 1,
      status: 'racing',
      lap: 0,
      checkpoints,
      splits: [10, 20, 30].slice(0, checkpoints),
    },
  ],
  ...extra,
});

const of = <T extends RacerEffect['type']>(effects: readonly RacerEffect[], type: T) =>
  effects.filter((e): e is Extract<RacerEffect, { type: T }> => e.type === type);

describe('the racer core: checkpoints', () => {
  it('reports each crossing on the organizer clock, with the clock bound and stamping window', () => {
    const h = started();
    const from = h.clock.monotonicMs();
    // 50 m/s along the line: checkpoint 1's sphere (x = 100, r 10) is entered at 1.8 s.
    h.run(7000, (ms) => (ms / 1000) * 50);
    const crossings = h.effects.map((e) => e.effect).filter((e) => e.type === 'crossing');
    expect(crossings.map((c) => c.type === 'crossing' && c.message.cp)).toEqual([1, 2, 3]);
    const reports = h.published('checkpoint');
    // Each report is re-sent until credited: the same message, the same seq.
    const seqs = reports.map((r) => (r.effect.message as CheckpointMessage).seq);
    expect([...new Set(seqs)]).toEqual([0, 1, 2]);
    expect(reports.every((r) => r.effect.qos === 1 && r.effect.queueOffline)).toBe(true);
    const first = reports[0]?.effect.message as CheckpointMessage;
    expect(first).toMatchObject({ raceId, playerId, cp: 1, lap: 1, seq: 0 });
    // Organizer time at the first sample of the run, plus 1.8 s to the sphere (r 10) of x = 100.
    const runStart = h.hostNow() - (h.clock.monotonicMs() - from) / 1000;
    expect(first.ts - runStart).toBeCloseTo(1.8, 1);
    expect(first.uncertainty).toBeGreaterThan(0);
    expect(first.uncertainty).toBeLessThan(0.05);
    expect(h.core.view).toMatchObject({ crossings: 3, courseLength: 3, unconfirmed: 3 });
    const presence = h.published('presence').at(-1)?.effect.message as PresenceMessage;
    expect(presence.status).toBe('racing');
  });

  it('re-sends a report until the ranking credits it, not while offline, at once on reconnect', () => {
    const h = started();
    h.run(2500, (ms) => (ms / 1000) * 50);
    expect(h.published('checkpoint')).toHaveLength(1);
    h.run(2100);
    expect(h.published('checkpoint')).toHaveLength(2);

    h.take(h.core.handle({ type: 'hub', status: 'offline' }));
    h.run(5000);
    expect(h.published('checkpoint')).toHaveLength(2);
    const back = h.take(h.core.handle({ type: 'hub', status: 'online' }));
    expect(back.map((e) => (e.type === 'publish' ? e.kind : e.type))).toEqual([
      'presence',
      'checkpoint',
      'note',
    ]);

    h.deliver('ranking', 'ranking', ranking(h, 1));
    expect(h.core.view.unconfirmed).toBe(0);
    h.run(5000);
    expect(h.published('checkpoint')).toHaveLength(3);
  });

  it('gives up on a report the host keeps ignoring, and says so', () => {
    const h = started();
    h.run(2500, (ms) => (ms / 1000) * 50);
    h.run(12_000);
    expect(h.published('checkpoint')).toHaveLength(5);
    const notes = of(
      h.effects.map((e) => e.effect),
      'note',
    );
    expect(notes.at(-1)?.text).toContain('has not credited checkpoint 1');
    expect(h.core.view.unconfirmed).toBe(0);
  });

  it('a client restarted mid-race catches up with the ranking and reports the next checkpoint', () => {
    const h = started(40);
    h.deliver('ranking', 'ranking', ranking(h, 2));
    expect(h.core.view.crossings).toBe(2);
    // From x = 250 at 50 m/s: the finish (x = 300) in about a second.
    h.run(2000, (ms) => 250 + (ms / 1000) * 50);
    const reports = h.published('checkpoint').map((r) => r.effect.message as CheckpointMessage);
    expect(reports.map((r) => r.cp)).toEqual([3]);
    expect(h.core.view.crossings).toBe(3);
  });

  it('a new start forgets progress and unconfirmed reports', () => {
    const h = started();
    h.run(2500, (ms) => (ms / 1000) * 50);
    expect(h.core.view).toMatchObject({ crossings: 1, unconfirmed: 1 });
    h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() + 10 });
    expect(h.core.view).toMatchObject({ crossings: 0, unconfirmed: 0 });
    expect(h.core.view.clock?.countdown().started).toBe(false);
  });
});

describe('the racer core: the host’s word', () => {
  it('ends with the final ranking (leave soon) or another end (wait for the ranking)', () => {
    const h = started();
    const final = h.deliver('ranking', 'ranking', ranking(h, 0, { final: true }));
    expect(of(final, 'ended')).toEqual([
      { type: 'ended', reason: 'final results are in', leaveAfterMs: 300 },
    ]);
    h.run(1100);
    const presence = h.published('presence').at(-1)?.effect.message as PresenceMessage;
    expect(presence.status).toBe('finished');
    expect(h.deliver('control', 'control', { cmd: 'END' })).toEqual([]);

    const other = started();
    const end = other.deliver('control', 'control', { cmd: 'ABORT', reason: 'rain' });
    expect(end).toEqual([
      { type: 'note', text: 'ABORT: rain', level: 'warning' },
      { type: 'ended', reason: 'aborted: rain', leaveAfterMs: 3000 },
    ]);
    const post = createHarness();
    expect(of(post.deliver('state', 'state', { ...state, stage: 'post' }), 'ended')).toHaveLength(
      1,
    );
  });

  it('after the end, the hub going away is the race being over, not a lost hub', () => {
    const notes = (effects: readonly RacerEffect[]) => of(effects, 'note').map((n) => n.text);
    const racing = started();
    expect(notes(racing.take(racing.core.handle({ type: 'hub', status: 'offline' })))).toEqual([
      'lost the hub; reconnecting…',
    ]);
    const over = started();
    over.deliver('control', 'control', { cmd: 'END', reason: 'every racer finished' });
    const closed = over.take(over.core.handle({ type: 'hub', status: 'offline' }));
    expect(of(closed, 'note')).toEqual([
      {
        type: 'note',
        text: 'the race is over and the host has closed it: nothing more will come',
        level: 'info',
      },
    ]);
    // A client that joined after the end knows it from the retained post-race state.
    const late = createHarness();
    late.connect();
    late.deliver('state', 'state', { ...state, stage: 'post' });
    expect(notes(late.take(late.core.handle({ type: 'hub', status: 'offline' })))).toEqual([
      'the race is over and the host has closed it: nothing more will come',
    ]);
  });

  it('pauses, resumes, shows messages to everyone or to this racer, rulings and chat', () => {
    const h = started();
    const notes = (effects: readonly RacerEffect[]) => of(effects, 'note').map((n) => n.text);
    expect(notes(h.deliver('control', 'control', { cmd: 'PAUSE', reason: 'fog' }))).toEqual([
      'PAUSE: fog',
    ]);
    expect(h.core.view.paused).toBe(true);
    expect(notes(h.deliver('control', 'control', { cmd: 'RESUME' }))).toEqual(['RESUME']);
    expect(h.core.view.paused).toBe(false);
    expect(h.deliver('control', 'control', { cmd: 'MSG', text: 'hi', to: 'p2' })).toEqual([]);
    expect(h.deliver('control', 'control', { cmd: 'MSG', text: 'go', level: 'important' })).toEqual(
      [{ type: 'note', text: 'go', level: 'important' }],
    );
    const ruling = h.deliver('control', 'control', {
      cmd: 'RULING',
      playerId,
      action: 'dsq',
      reason: 'cut',
    });
    expect(ruling).toEqual([
      { type: 'note', text: 'Ruling: you were disqualified (cut)', level: 'important' },
    ]);
    expect(
      notes(
        h.deliver('control', 'control', { cmd: 'RULING', playerId: 'p9', action: 'reinstate' }),
      ),
    ).toEqual(['Ruling: p9 was reinstated']);
    // A chat is shown by its sender's player id; one without a sender is nobody's, not the organizer's.
    expect(notes(h.deliver('chat', 'chat', { text: 'gl', name: 'Bob', from: 'bob' }))).toEqual([
      'Bob (bob): gl',
    ]);
    expect(notes(h.deliver('chat', 'chat', { text: 'gl', name: 'Org' }))).toEqual([
      'unnamed sender: gl',
    ]);
  });

  it('shows and ignores a bad message', () => {
    const h = createHarness();
    const effects = h.take(
      h.core.handle({ type: 'message', topic: 'race/unit/state', payload: '{"nope":1}' }),
    );
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ type: 'note', level: 'warning' });
    expect(h.core.view.state).toBeUndefined();
  });

  it('a new course (and only a new one) is announced', () => {
    const h = createHarness();
    expect(of(h.deliver('state', 'state', state), 'course')).toHaveLength(1);
    expect(of(h.deliver('state', 'state', { ...state, stage: 'active' }), 'course')).toEqual([]);
    const moved = { ...state, checkpoints: state.checkpoints.map((c) => ({ ...c, r: 12 })) };
    const course = of(h.deliver('state', 'state', moved), 'course');
    expect(course[0]?.track.checkpoints[0]).toMatchObject({ r: 12 });
  });
});
