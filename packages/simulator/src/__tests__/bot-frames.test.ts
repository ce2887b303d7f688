import type { Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { BOT_MISBEHAVIOURS, createBot, createBotFrames, seedFrom } from '../index';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'short',
  name: 'Short',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
  ],
};

describe('createBotFrames', () => {
  it('writes what the game writes: the tick every call, the position every second tick', () => {
    let seconds: number | undefined;
    const frames = createBotFrames({ track: TRACK, seed: 3, name: 'Bot', seconds: () => seconds });
    const waiting = frames.next();
    expect(frames.tick).toBe(1);
    expect(waiting.tick).toBe(1);
    expect(waiting.avatar.position).toEqual({ x: 0, y: 10, z: 0 });
    expect(waiting.identity?.name).toBe('Bot');
    expect(waiting.context).toMatchObject({ mapId: 24, mount: 'roller-beetle', processId: 0 });
    // The camera sits behind and above the bot.
    expect(waiting.camera.position.y).toBeCloseTo(12.5, 5);

    seconds = 5;
    const even = frames.next(); // tick 2: the position is not read again
    expect(even.avatar.position).toEqual(waiting.avatar.position);
    const odd = frames.next(); // tick 3: it is
    const expected = createBot(TRACK, { seed: 3 }).at(5).position;
    expect(odd.avatar.position.x).toBeCloseTo(expected.x, 3);
    expect(odd.avatar.position.z).toBeCloseTo(expected.z, 3);
  });

  it('says once that the bot finished, and takes the map and process it is given', () => {
    let finished = 0;
    const frames = createBotFrames({
      track: TRACK,
      seed: 1,
      name: 'Bot',
      mapId: 50,
      processId: 77,
      seconds: () => 1000,
      onFinished: () => finished++,
    });
    for (let i = 0; i < 10; i++) frames.next();
    expect(finished).toBe(1);
    expect(frames.next().context).toMatchObject({ mapId: 50, processId: 77 });
  });

  it('names every misbehaviour, and seeds from a player id the same way every time', () => {
    expect(BOT_MISBEHAVIOURS).toEqual(['teleport', 'speed', 'skip']);
    expect(seedFrom('racer-1')).toBe(seedFrom('racer-1'));
    expect(seedFrom('racer-1')).not.toBe(seedFrom('racer-2'));
  });
});
