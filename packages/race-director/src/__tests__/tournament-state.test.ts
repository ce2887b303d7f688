import { describe, expect, it } from 'vitest';
import { fakeRace } from './fake-race';

describe('a race of a tournament', () => {
  it('says so in every state it publishes, so clients stay for the next race', () => {
    const race = fakeRace({ tournament: { race: 2, races: 3 } });
    expect(race.state.stateMessage.tournament).toEqual({ race: 2, races: 3 });
    race.open();
    const published = race.effects.filter((e) => e.type === 'publish' && e.kind === 'state');
    expect(published.length).toBeGreaterThan(0);
    for (const effect of published)
      expect(effect.type === 'publish' && effect.message).toMatchObject({
        tournament: { race: 2, races: 3 },
      });
  });

  it('a race on its own has no tournament in its state', () => {
    expect(fakeRace().state.stateMessage).not.toHaveProperty('tournament');
  });
});
