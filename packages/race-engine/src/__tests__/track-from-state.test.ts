import { trackSchema } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { createCrossingDetector } from '../crossing-detector';
import { trackFromState } from '../track-from-state';

describe('trackFromState', () => {
  const state = {
    raceId: 'abc123',
    trackId: 'desert_beetle',
    trackName: 'Desert Beetle',
    mapId: 24,
    laps: 2,
    circuit: true,
    checkpoints: [
      { id: 0, x: 0, y: 0, z: 0, r: 10 },
      { id: 1, x: 100, y: 0, z: 0, r: 10 },
      { id: 2, x: 100, y: 0, z: 100, r: 10 },
    ],
  };

  it('gives a valid track with the state checkpoints, map, laps and circuit', () => {
    const track = trackFromState(state);
    expect(trackSchema.safeParse(track).success).toBe(true);
    expect(track).toMatchObject({
      id: 'desert_beetle',
      name: 'Desert Beetle',
      mapId: 24,
      laps: 2,
      circuit: true,
    });
    expect(track.checkpoints).toEqual(state.checkpoints);
  });

  it('replaces a track id the track schema would refuse', () => {
    const track = trackFromState({
      ...state,
      trackId: 'Desert Beetle (2024)',
      trackName: undefined,
    } as never);
    expect(track.id).toBe('track');
    expect(track.name).toBe('Desert Beetle (2024)');
    expect(trackSchema.safeParse(track).success).toBe(true);
  });

  it('feeds a crossing detector', () => {
    const detector = createCrossingDetector(trackFromState(state), { t0: 1000 });
    const crossings = [
      ...detector.push({ t: 1000.5, x: 0, y: 0, z: 0 }),
      ...detector.push({ t: 1004.5, x: 120, y: 0, z: 0 }),
    ];
    expect(crossings.map((c) => c.cp)).toContain(1);
  });
});
