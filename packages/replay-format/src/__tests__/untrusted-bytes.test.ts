import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openReplay } from '../open-replay';
import { recoverReplay } from '../recover-replay';
import { createReplayDecoder } from '../replay-decoder';
import { recordedRace } from './helpers';

describe('untrusted bytes', () => {
  it('never make a reader throw: damage is reported, not fatal', async () => {
    const race = await recordedRace(
      { racers: 2, durationS: 8, countdownS: 1 },
      { flushIntervalMs: 1000, keyframeIntervalMs: 2000 },
    );
    const original = race.bytes;
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        bits: fc.integer({ min: 1, max: 255 }),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        junk: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      }),
      fc.record({
        kind: fc.constant('zero' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 200 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let bytes = original.slice();
        for (const m of mutations) {
          const at = m.at % (bytes.length + 1);
          if (m.kind === 'flip' && at < bytes.length) bytes[at]! ^= m.bits;
          else if (m.kind === 'cut') bytes = bytes.slice(0, at);
          else if (m.kind === 'insert')
            bytes = new Uint8Array([...bytes.subarray(0, at), ...m.junk, ...bytes.subarray(at)]);
          else if (m.kind === 'zero') bytes.fill(0, at, at + m.length);
        }
        const decoder = createReplayDecoder();
        const messages = [...decoder.push(bytes), ...decoder.finish()];
        expect(messages.length).toBeLessThanOrEqual(race.messages.length + 5);
        const opened = openReplay(bytes);
        if (opened.ok) {
          const replay = opened.value;
          replay.seek(3000);
          replay.messages();
          replay.tracks();
          void replay.index;
          void replay.complete;
        }
        const recovered = recoverReplay(bytes);
        if (recovered.ok) {
          const again = createReplayDecoder();
          again.push(recovered.value.bytes);
          again.finish();
          expect(again.fatal).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });
});
