import type { EngineInput } from '@gw2race/race-engine';
import { adjudicate, engineInputOf, raceResults, toRankingMessage } from '@gw2race/race-engine';
import { createReplayWriter, readReplay } from '@gw2race/replay-format';
import { describe, expect, it } from 'vitest';
import { runInMemoryRace, track } from '../../examples/in-memory-race';

describe('the README example', () => {
  it('directs a race over an in-memory transport to its end, and its recording re-judges the same', async () => {
    const race = runInMemoryRace();
    expect(race.stage).toBe('post');
    expect(race.endReason).toBe('every racer finished');
    expect(race.log).toContain('START: the race starts in 3 s');
    expect(race.log.some((line) => line.startsWith('FLAG'))).toBe(false);
    expect(race.bus.map((p) => p.topic)).toContain('race/demo/ranking');
    expect(toRankingMessage(race.engine, { splits: false }).entries).toMatchObject([
      { playerId: 'ann', status: 'finished' },
    ]);
    // Written as a real recording and read back, the lines re-judge to the same results: what
    // a restarted host (or `results FILE`) would see.
    const chunks: Uint8Array[] = [];
    const writer = createReplayWriter(
      { write: (bytes) => void chunks.push(bytes.slice()) },
      { raceId: 'demo', createdAt: race.createdAt },
    );
    for (const entry of race.recording) writer.append(entry);
    await writer.close();
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    const inputs: EngineInput[] = [];
    for await (const entry of readReplay(bytes)) {
      const input = engineInputOf(entry);
      if (input) inputs.push(input);
    }
    expect(adjudicate(track, inputs, { raceId: 'demo' })).toEqual(raceResults(race.engine));
  });
});
