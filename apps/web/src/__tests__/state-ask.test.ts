import { decodeTopicMessage } from '@gw2race/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { askForState } from '../core/state-ask';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('asking for the race state', () => {
  it('asks after 1 s, 2 s, 4 s, then every 5 s, until a state comes', () => {
    const sentAt: number[] = [];
    let state = false;
    const start = Date.now();
    askForState({
      raceId: 'cup-1',
      playerId: 'web-abc',
      hasState: () => state,
      publish: (topic, payload) => {
        const decoded = decodeTopicMessage(topic, payload);
        expect(decoded.ok && decoded.value).toMatchObject({
          kind: 'request',
          message: { playerId: 'web-abc', want: 'state' },
        });
        sentAt.push(Date.now() - start);
      },
    });
    vi.advanceTimersByTime(17_000);
    expect(sentAt).toEqual([1000, 3000, 7000, 12_000, 17_000]);
    state = true;
    vi.advanceTimersByTime(60_000);
    expect(sentAt).toHaveLength(5);
  });

  it('asks nothing when the retained state came first, or once stopped', () => {
    const sent: string[] = [];
    askForState({
      raceId: 'r',
      playerId: 'web-a',
      hasState: () => true,
      publish: (t) => sent.push(t),
    });
    const stop = askForState({
      raceId: 'r',
      playerId: 'web-b',
      hasState: () => false,
      publish: (t) => sent.push(t),
    });
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['race/r/request']);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual(['race/r/request']);
  });
});
