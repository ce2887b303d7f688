import { createFileSource, decodeFrame } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulation, startSimulation } from '../simulate';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'line',
  name: 'Line',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 10 },
    { id: 1, x: 300, y: 10, z: 0, r: 10 },
  ],
};

let simulation: Simulation | undefined;
afterEach(() => simulation?.stop());

describe('--simulate', () => {
  it('writes MumbleLink blocks the real file source reads: the bot on the track, on a roller beetle', async () => {
    let raceSeconds: number | undefined;
    simulation = startSimulation({ track, name: 'Sim', seed: 7, raceSeconds: () => raceSeconds });
    const source = createFileSource({ path: simulation.path });
    const read = async () => {
      const bytes = source.read();
      if (!bytes) throw new Error('no block yet');
      const frame = decodeFrame(bytes);
      if (!frame.ok) throw frame.error;
      return frame.value;
    };
    const waiting = await read();
    expect(waiting.context?.mapId).toBe(24);
    expect(waiting.context?.mount).toBe('roller-beetle');
    expect(waiting.identity?.name).toBe('Sim');
    expect(waiting.avatar.position.x).toBeCloseTo(0, 3);

    // Five seconds into the race the bot is on its way along the line, where its path says.
    raceSeconds = 5;
    await new Promise((resolve) => setTimeout(resolve, 80));
    const moving = await read();
    const expected = simulation.bot.at(5).position;
    expect(moving.avatar.position.x).toBeCloseTo(expected.x, 2);
    expect(moving.avatar.position.x).toBeGreaterThan(50);
    expect(moving.tick).toBeGreaterThan(waiting.tick);
    source.close();
  });
});
