import type { ReceivedMessage } from '@gw2race/protocol';
import { createReplayWriter, type ReplayEntry, readReplay } from '@gw2race/replay-format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_RECORDED_ORDER, placeEntry } from '../recorded-order';

type Step = { kind: 'pos' | 'presence' | 'checkpoint' | 'control'; player: 'a' | 'b'; gap: number };

const T0 = 1_795_000_000.123;

function entryOf(step: Step, index: number, at: number): ReplayEntry {
  const playerId = step.player;
  switch (step.kind) {
    case 'pos':
      return {
        kind: 'pos',
        at,
        playerId,
        message: { playerId, t: at - 0.04, x: index * 1.5, y: 2, z: -index, seq: index },
      };
    case 'presence':
      return { kind: 'presence', at, message: { playerId, event: 'heartbeat', seq: index } };
    case 'checkpoint':
      return { kind: 'checkpoint', at, message: { playerId, cp: 1, ts: at - 0.05, seq: index } };
    case 'control':
      return { kind: 'control', at, message: { cmd: 'MSG', text: `m${index}`, seq: index } };
  }
}

async function roundTrip(steps: Step[]): Promise<{ live: ReplayEntry[]; back: ReplayEntry[] }> {
  const chunks: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void chunks.push(bytes.slice()) },
    { raceId: 'order', createdAt: T0 },
  );
  let order = EMPTY_RECORDED_ORDER;
  const live: ReplayEntry[] = [];
  let now = T0;
  steps.forEach((step, index) => {
    now += step.gap;
    const placed = placeEntry(order, writer.header, entryOf(step, index, now) as ReceivedMessage);
    order = placed.order;
    const { entry, recorded } = placed;
    writer.append(entry);
    live.push(recorded);
  });
  await writer.close();
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  const back: ReplayEntry[] = [];
  for await (const entry of readReplay(bytes)) back.push(entry);
  return { live, back };
}

const seqOf = (entry: ReplayEntry) => (entry.message as { seq: number }).seq;

describe('recorded order', () => {
  it('a recording gives entries back in the order the host judged them, and as it judged them', async () => {
    const step = fc.record({
      kind: fc.constantFrom(
        'pos' as const,
        'pos' as const,
        'pos' as const,
        'presence' as const,
        'checkpoint' as const,
        'control' as const,
      ),
      player: fc.constantFrom('a' as const, 'b' as const),
      // Mostly sub-millisecond gaps, so events and positions share milliseconds all the time.
      gap: fc.oneof(
        fc.double({ min: 0, max: 0.0012, noNaN: true }),
        fc.constant(0),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 60 }), async (steps) => {
        const { live, back } = await roundTrip(steps);
        expect(back.map(seqOf).sort((x, y) => x - y)).toEqual(
          live.map(seqOf).sort((x, y) => x - y),
        );
        // What the engine judged live is exactly what the recording gives back.
        const bySeq = new Map(back.map((entry) => [seqOf(entry), entry]));
        for (const entry of live) expect(bySeq.get(seqOf(entry))).toEqual(entry);
        // Same order, except positions of two players at the very same instant (the engine does not
        // depend on that order: race-engine's property tests).
        const position = new Map(back.map((entry, i) => [seqOf(entry), i]));
        for (let i = 0; i < live.length; i++) {
          for (let j = i + 1; j < live.length; j++) {
            const x = live[i] as ReplayEntry;
            const y = live[j] as ReplayEntry;
            const swappable =
              x.kind === 'pos' && y.kind === 'pos' && x.playerId !== y.playerId && x.at === y.at;
            if (!swappable)
              expect(
                position.get(seqOf(x)),
                `${x.kind} ${seqOf(x)} before ${y.kind} ${seqOf(y)}`,
              ).toBeLessThan(position.get(seqOf(y)) as number);
          }
        }
        // Receive times are never earlier than the real ones by more than half a millisecond, and run
        // ahead by at most one millisecond per position-then-event pair, catching up over any gap.
        let now = T0;
        let ahead = 0;
        steps.forEach((s, index) => {
          now += s.gap;
          const recorded = live[index] as ReplayEntry;
          const afterPosition = index > 0 && steps[index - 1]?.kind === 'pos' && s.kind !== 'pos';
          ahead = Math.max(0, ahead - s.gap) + (afterPosition ? 0.001 : 0);
          expect(recorded.at - now).toBeGreaterThanOrEqual(-0.0005 - 1e-7);
          expect(recorded.at - now).toBeLessThanOrEqual(ahead + 0.001 + 1e-7);
        });
      }),
      { numRuns: 300 },
    );
  });
});
