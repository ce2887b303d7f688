import { rankingMessageSchema, stateMessageSchema } from '@gw2race/protocol';
import { adjudicate, engineInputOf } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import { DIRECTOR_DEFAULTS } from '../director-config';
import { fakeRace, TRACK } from './fake-race';

/** 1,100 made-up racers joining from one client over 6 s, as the red team's flood did. */
function flood() {
  const race = fakeRace();
  race.open();
  for (let n = 0; n < 1100; n++) {
    race.send('presence', {
      playerId: `bot${n}`,
      event: 'join',
      status: 'not-ready',
      mode: 'racer',
      name: `Bot ${n}`,
    });
    race.advance(6 / 1100);
  }
  race.advance(1);
  return race;
}

describe('a flood of joins', () => {
  it('makes about one state a second, never one per join', () => {
    const race = flood();
    const states = race.published('state');
    expect(states.length).toBeLessThanOrEqual(9);
    expect(race.lastState().participants).toHaveLength(1000);
  });

  it('stops at maxPlayers: the rest are refused, not recorded, counted and said on the log', () => {
    const race = flood();
    expect(race.state.fullRefusals).toBe(100);
    const recorded = race.effects.filter((e) => e.type === 'record' && e.entry.kind === 'presence');
    expect(recorded).toHaveLength(1000);
    const full = race.logs().filter((line) => line.startsWith('the race is full (1000 players)'));
    expect(full).toHaveLength(2); // the first refusal and the 100th
    expect(full[0]).toBe(
      "the race is full (1000 players): refused bot1000's presence (1 refused so far)",
    );
  });

  it('publishes only what every client accepts, and still hears the players it has', () => {
    const race = flood();
    expect(stateMessageSchema.safeParse(race.lastState()).success).toBe(true);
    race.send('presence', { playerId: 'bot7', event: 'ready', status: 'ready' });
    expect(race.state.fullRefusals).toBe(100);
    race.command({ action: 'start' });
    race.advance(2);
    const ranking = race.published('ranking').at(-1);
    expect(ranking?.entries).toHaveLength(1000);
    expect(rankingMessageSchema.safeParse(ranking).success).toBe(true);
  });

  it('takes a smaller maxPlayers from the config', () => {
    const race = fakeRace({ maxPlayers: 2 });
    race.open();
    race.join('ann');
    race.join('bob');
    race.join('cat');
    expect(race.state.fullRefusals).toBe(1);
    race.send('pos', { playerId: 'dan', t: race.now, x: 0, y: 0, z: 0 }, 'dan');
    expect(race.state.fullRefusals).toBe(2);
    race.advance(1.5);
    expect(race.lastState().participants?.map((p) => p.playerId)).toEqual(['ann', 'bob']);
  });
});

describe('joins that never get ready (issue 18)', () => {
  it('give their places to newcomers once the race is full, oldest first; ready racers keep theirs', () => {
    const race = fakeRace({ maxPlayers: 3 });
    race.open();
    race.join('ann'); // ready
    race.join('bot1', 'not-ready');
    race.advance(5);
    race.join('bot2', 'not-ready');
    race.advance(10);
    // Full, and nobody's join is old enough yet: refused.
    race.join('cat');
    race.quiet('cat');
    expect(race.state.fullRefusals).toBe(1);
    race.advance(20);
    // bot1 joined 35 s ago and never got ready: cat takes its place.
    race.join('cat');
    expect(race.state.fullRefusals).toBe(1);
    expect(race.logs()).toContain(
      'the race is full: BOT1 joined 35 s ago and never got ready, so cat takes the place (1 expired so far)',
    );
    race.advance(1.5);
    expect(race.lastState().participants?.map((p) => p.playerId)).toEqual(['ann', 'bot2', 'cat']);
    race.advance(10);
    // bot2 is 40 s old now: dan takes its place; then nobody has expired (ann and cat are ready).
    race.join('dan');
    race.join('eve');
    race.quiet('eve');
    expect(race.state.fullRefusals).toBe(2);
    race.advance(1.5);
    expect(race.lastState().participants?.map((p) => p.playerId)).toEqual(['ann', 'cat', 'dan']);
  });

  it('cannot keep real racers out of a race a flood filled, and the ranking is the one a re-judgement gives', () => {
    const race = flood();
    race.advance(DIRECTOR_DEFAULTS.joinExpiry);
    race.join('ann');
    race.join('bob');
    race.advance(1.5);
    const ids = race.lastState().participants?.map((p) => p.playerId) ?? [];
    expect(ids).toHaveLength(1000);
    expect(ids).toEqual(expect.arrayContaining(['ann', 'bob']));
    expect(ids).not.toContain('bot0');
    expect(ids).not.toContain('bot1');
    race.command({ action: 'start' });
    race.advance(11);
    race.ride('ann');
    race.advance(2);
    const live = race.published('ranking').at(-1);
    expect(live?.entries).toHaveLength(1000);
    expect(live?.entries[0]).toMatchObject({ playerId: 'ann', status: 'finished' });
    // What `results` does: the recorded entries through the engine.
    const recorded = race.effects.flatMap((e) => (e.type === 'record' ? [e.entry] : []));
    const inputs = recorded.flatMap((entry) => {
      const input = engineInputOf(entry);
      return input ? [input] : [];
    });
    const rejudged = adjudicate(TRACK, inputs, { raceId: 'unit', laps: 1, startRule: 'mass' });
    expect(rejudged.ranking).toHaveLength(1000);
    expect(rejudged.ranking[0]).toMatchObject({ playerId: 'ann', status: 'finished' });
    expect(rejudged.ranking.map((r) => r.playerId)).toEqual(live?.entries.map((e) => e.playerId));
  });

  it('lets an expired join take a place again by joining as a racer when there is room', () => {
    const race = fakeRace({ maxPlayers: 1 });
    race.open();
    race.join('bot', 'not-ready');
    race.advance(31);
    race.join('ann');
    race.advance(1.5);
    expect(race.lastState().participants?.map((p) => p.playerId)).toEqual(['ann']);
    race.quiet('ann');
    race.send('presence', { playerId: 'ann', event: 'leave', mode: 'spectator' });
    race.join('bot', 'ready');
    race.advance(1.5);
    expect(race.lastState().participants?.map((p) => p.playerId)).toEqual(['bot']);
  });

  it('refuses new ids past ten times maxPlayers in all, so memory stays bounded', () => {
    const race = fakeRace({ maxPlayers: 2 });
    race.open();
    for (let n = 0; n < 40; n++) {
      race.join(`bot${n}`, 'not-ready');
      race.quiet(`bot${n}`);
      race.advance(31);
    }
    expect(race.state.clients.index.size).toBe(20);
    expect(race.state.expiredJoins).toBe(18);
    expect(race.state.fullRefusals).toBe(20);
    expect(race.logs()).toContain(
      "the race is full (2 players): refused bot20's presence (1 refused so far)",
    );
  });
});

describe('what the host publishes (issue 18)', () => {
  it('is checked as its clients check it: a state they would refuse is not sent, and the log says why', () => {
    const race = fakeRace({ name: 'x'.repeat(300) });
    race.open();
    race.join('ann');
    expect(race.published('state')).toEqual([]);
    expect(race.state.unsent).toBeGreaterThan(0);
    expect(race.logs()[0]).toMatch(
      /^not sent: the state message would be refused by every client \(invalid state message at name: /,
    );
  });
});
