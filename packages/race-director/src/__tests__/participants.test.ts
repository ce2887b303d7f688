import { rankingMessageSchema, stateMessageSchema } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { fakeRace } from './fake-race';

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
