import { describe, expect, it } from 'vitest';
import type { PublishEffect } from '../index';
import { createHarness, state } from './support/harness';

/** A racer through join, clock sync and the start, then `ms` of driving at 50 m/s. */
function race(sign: boolean, ms: number) {
  const h = createHarness({ sign });
  h.connect();
  h.deliver('state', 'state', state);
  h.begin();
  h.take(h.core.handle({ type: 'game', status: 'live' }));
  h.run(1000);
  h.deliver('control', 'control', { cmd: 'START', t0: h.hostNow() });
  h.run(ms, (t) => (t / 1000) * 50);
  return h;
}

const seqOf = (effect: PublishEffect) => (effect.message as { seq?: number }).seq;

describe('the racer core in a closed race (sign: true)', () => {
  it('numbers every message from one counter that starts at the wall clock, and asks for it to be signed', () => {
    const h = race(true, 4000);
    const published = h.published().map((p) => p.effect);
    expect(published.length).toBeGreaterThan(20);
    expect(published.every((p) => p.sign)).toBe(true);
    const kinds = new Set(published.map((p) => p.kind));
    for (const kind of ['presence', 'ping', 'pos', 'checkpoint'] as const)
      expect(kinds).toContain(kind);
    // Per topic the numbers only grow, except a checkpoint re-sent with its own number.
    const byTopic = new Map<string, number[]>();
    for (const p of published)
      byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), seqOf(p) as number]);
    for (const [topic, seqs] of byTopic) {
      const distinct = [...new Set(seqs)];
      expect(distinct, topic).toEqual([...distinct].sort((a, b) => a - b));
    }
    const first = Math.min(...published.map((p) => seqOf(p) as number));
    expect(first).toBeGreaterThanOrEqual(Math.floor(h.clock.wallMs()) - 60_000);
  });

  it('gives a last will the next number, signed; each call a new one', () => {
    const h = race(true, 0);
    const a = h.core.lastWill();
    const b = h.core.lastWill();
    expect(a).toMatchObject({ kind: 'presence', sign: true, message: { event: 'disconnected' } });
    expect(seqOf(b)).toBe((seqOf(a) as number) + 1);
  });

  it('in an open race numbers only checkpoints (as before) and signs nothing', () => {
    const h = race(false, 4000);
    const published = h.published().map((p) => p.effect);
    expect(published.some((p) => p.sign)).toBe(false);
    expect(published.filter((p) => p.kind === 'pos').every((p) => seqOf(p) === undefined)).toBe(
      true,
    );
    expect(h.core.lastWill().message).not.toHaveProperty('seq');
  });
});
