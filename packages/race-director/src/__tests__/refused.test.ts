import { decodeTopicMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { fakeRace, T } from './fake-race';

const refusal = (playerId: string | undefined, reason: string, at = T + 1) =>
  ({
    type: 'refused',
    at,
    playerId,
    reason,
    topic: 'race/unit/checkpoints',
    detail: 'the signature is not ann’s',
  }) as const;

describe('messages the gate refused', () => {
  it('counts them per player, and flags each player once per reason (published and recorded)', () => {
    const race = fakeRace();
    race.open();
    const first = race.feed(refusal('ann', 'forged'));
    for (let i = 0; i < 50; i++) race.feed(refusal('ann', 'forged', T + 2 + i));
    race.feed(refusal('ann', 'replayed'));
    race.feed(refusal(undefined, 'malformed'));
    expect(race.state.refused).toEqual({ ann: 52, '': 1 });
    expect(race.state.flags.map((f) => [f.playerId, f.kind, f.id])).toEqual([
      ['ann', 'signature', 'refused-forged-ann'],
      ['ann', 'replay', 'refused-replayed-ann'],
    ]);
    const published = first.find((e) => e.type === 'publish');
    expect(published?.type === 'publish' && published.topic).toBe('race/unit/flags');
    if (published?.type !== 'publish') return;
    const decoded = decodeTopicMessage(published.topic, published.payload);
    expect(decoded.ok && decoded.value.message).toMatchObject({
      playerId: 'ann',
      kind: 'signature',
      severity: 'warning',
      t: T + 1,
      message:
        "refused a message in ann's name on race/unit/checkpoints (forged): the signature is not ann’s",
    });
    expect(first.some((e) => e.type === 'record' && e.entry.kind === 'flag')).toBe(true);
    expect(
      first.some((e) => e.type === 'log' && e.line.startsWith('FLAG warning signature ann')),
    ).toBe(true);
  });

  it('neither flags nor keys each made-up id of a flood in the name of players not invited', () => {
    const race = fakeRace();
    race.open();
    for (let n = 0; n < 300; n++) race.feed(refusal(`bot${n}`, 'unknown-sender', T + 1 + n / 100));
    expect(race.state.refused).toEqual({ '': 300 });
    expect(race.state.flags).toEqual([]);
    expect(race.published('flag')).toEqual([]);
  });
});
