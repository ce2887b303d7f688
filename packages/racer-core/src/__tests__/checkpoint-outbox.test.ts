import type { CheckpointMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { createCheckpointOutbox } from '../checkpoint-outbox';

function setup() {
  const sent: number[] = [];
  const givenUp: number[] = [];
  const hub = { online: true, now: 0 };
  const outbox = createCheckpointOutbox({
    send: (message) => sent.push(message.cp),
    online: () => hub.online,
    now: () => hub.now,
    giveUp: (message) => givenUp.push(message.cp),
    resendAfterMs: 2000,
    maxSends: 5,
  });
  const report = (cp: number): CheckpointMessage => ({ playerId: 'p1', cp, ts: 1000 + cp });
  /** Advances the clock in the racer's 500 ms steps, ticking the outbox at each. */
  const run = (ms: number) => {
    for (let t = 0; t < ms; t += 500) {
      hub.now += 500;
      outbox.tick();
    }
  };
  return { sent, givenUp, hub, outbox, report, run };
}

describe('the checkpoint outbox', () => {
  it('sends a report at once and re-sends it every 2 s until credited', () => {
    const { sent, outbox, report, run } = setup();
    outbox.add(report(1), 0);
    expect(sent).toEqual([1]);
    run(1500);
    expect(sent).toEqual([1]);
    run(500);
    expect(sent).toEqual([1, 1]);
    outbox.credited(1);
    expect(outbox.size).toBe(0);
    run(10_000);
    expect(sent).toEqual([1, 1]);
  });

  it('gives a report up after five sends while online, saying so', () => {
    const { sent, givenUp, outbox, report, run } = setup();
    outbox.add(report(2), 1);
    run(20_000);
    expect(sent).toEqual([2, 2, 2, 2, 2]);
    expect(givenUp).toEqual([2]);
    expect(outbox.size).toBe(0);
  });

  it('while offline sends nothing and spends no tries; keeps every report until back online', () => {
    const { sent, givenUp, hub, outbox, report, run } = setup();
    outbox.add(report(1), 0);
    expect(sent).toEqual([1]);
    hub.online = false;
    // Detected while offline: kept, not handed to mqtt.js (which would queue it).
    outbox.add(report(2), 1);
    run(60_000);
    expect(sent).toEqual([1]);
    expect(givenUp).toEqual([]);
    expect(outbox.size).toBe(2);

    // Back online: every pending report goes out at once, with fresh tries.
    hub.online = true;
    outbox.reconnected();
    expect(sent).toEqual([1, 1, 2]);
    run(2000);
    expect(sent).toEqual([1, 1, 2, 1, 2]);
    outbox.credited(2);
    expect(outbox.size).toBe(0);
  });

  it('counts a reconnect as a fresh start of the tries', () => {
    const { sent, givenUp, hub, outbox, report, run } = setup();
    outbox.add(report(3), 2);
    run(6000); // 4 sends so far
    expect(sent).toHaveLength(4);
    hub.online = false;
    run(5000);
    hub.online = true;
    outbox.reconnected();
    run(8000);
    // 4 before the drop, then 1 on reconnect and 4 more (every 2 s): 5 since the reconnect.
    expect(sent).toHaveLength(9);
    expect(givenUp).toEqual([]);
    run(2000);
    expect(givenUp).toEqual([3]);
  });

  it('clear() forgets everything (a new start)', () => {
    const { sent, outbox, report, run } = setup();
    outbox.add(report(1), 0);
    outbox.clear();
    run(10_000);
    expect(sent).toEqual([1]);
    expect(outbox.size).toBe(0);
  });
});
