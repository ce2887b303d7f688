import type { Track } from '@gw2race/protocol';
import { parseTrack } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import {
  csvLosses,
  encodeTrackJson,
  isTrackAuthoringError,
  nameFromFile,
  TrackAuthoringError,
  trackIdFrom,
  withoutRepeatedStart,
} from '../index';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'loop',
  name: 'Loop',
  mapId: 24,
  circuit: true,
  laps: 3,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12, mapId: 50 },
    { id: 2, kind: 'gate', a: { x: 150, y: 10, z: 50 }, b: { x: 160, y: 10, z: 60 } },
  ],
  referenceLine: [
    [0, 0, 10, 0],
    [3.5, 90, 12, 10],
  ],
};

describe('track files', () => {
  it('names and ids from what the organizer typed', () => {
    expect(trackIdFrom('Gendarran Fields — Sprint!')).toBe('gendarran-fields-sprint');
    expect(trackIdFrom('***')).toBe('track');
    expect(nameFromFile('tracks/my-track.track.json')).toBe('my-track');
    expect(nameFromFile('C:\\races\\Beetle Run.CSV')).toBe('Beetle Run');
    expect(nameFromFile('plain.json')).toBe('plain');
  });

  it('writes the JSON with one reference-line row per line, which parses back to the track', () => {
    const text = encodeTrackJson(TRACK);
    expect(text).toContain('  "referenceLine": [\n    [0,0,10,0],\n    [3.5,90,12,10]\n  ]\n}\n');
    const parsed = parseTrack(JSON.parse(text));
    expect(parsed.ok && parsed.value).toEqual(TRACK);
    const { referenceLine: _line, ...without } = TRACK;
    expect(encodeTrackJson(without)).toBe(`${JSON.stringify(without, null, 2)}\n`);
  });

  it('says what a Beetlerank CSV loses', () => {
    expect(csvLosses(TRACK)).toEqual([
      'the CSV has no map id: import it again with --map 24, or pass --map when racing it',
      'a circuit: the start is written again as the end (import it with --circuit)',
      'the CSV does not keep the 3 laps',
      'gate 2 written as spheres (middle, half the width as radius)',
      'checkpoint 1 on other maps lose their map',
      'the reference line is not part of the CSV',
    ]);
  });

  it('drops a last row that repeats the start, and only that', () => {
    const cps = [
      { id: 0, x: 0, y: 10, z: 0, r: 12 },
      { id: 1, x: 90, y: 12, z: 10, r: 12 },
      { id: 2, x: 0.005, y: 10, z: 0, r: 12 },
    ];
    const repeated = withoutRepeatedStart({ ...TRACK, checkpoints: cps });
    expect(repeated.dropped).toBe(true);
    expect(repeated.track.checkpoints.map((cp) => cp.id)).toEqual([0, 1]);
    const other = { ...TRACK, checkpoints: [...cps.slice(0, 2), { ...cps[0]!, id: 2, r: 8 }] };
    expect(withoutRepeatedStart(other)).toEqual({ track: other, dropped: false });
  });

  it('has one error class with a typed code', () => {
    const error = new TrackAuthoringError('INVALID_TRACK', 'bad', { cause: 'why' });
    expect(isTrackAuthoringError(error)).toBe(true);
    expect(error.code).toBe('INVALID_TRACK');
    expect(error.cause).toBe('why');
    expect(isTrackAuthoringError(new Error('bad'))).toBe(false);
    const copy = Object.assign(new Error('x'), { name: 'TrackAuthoringError', code: 'NOPE' });
    expect(isTrackAuthoringError(copy)).toBe(false);
  });
});
