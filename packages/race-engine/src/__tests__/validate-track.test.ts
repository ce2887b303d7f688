import { readFileSync } from 'node:fs';
import type { SphereCheckpoint, Track, TrackCheckpoint } from '@gw2race/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBeetlerankCsv } from '../beetlerank-csv';
import { parseTrack } from '../course';
import { TRACK_WARNING_CODES, type TrackWarning, validateTrack } from '../validate-track';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function sphere(id: number, x: number, z: number, r = 15, extra: Partial<SphereCheckpoint> = {}) {
  return { id, x, y: 10, z, r, ...extra } satisfies SphereCheckpoint;
}

function track(checkpoints: TrackCheckpoint[], extra: Partial<Track> = {}): Track {
  const result = parseTrack({
    format: 'gw2race-track',
    version: 1,
    id: 'test',
    name: 'Test',
    mapId: 24,
    checkpoints,
    ...extra,
  });
  if (!result.ok) throw result.error;
  return result.value;
}

/** A clean open course: 200 m legs, 15 m spheres. */
const CLEAN = [sphere(0, 0, 0), sphere(1, 200, 0), sphere(2, 200, 200), sphere(3, 0, 200)];

const codes = (warnings: TrackWarning[]) => warnings.map((w) => w.code);

describe('validateTrack', () => {
  it('finds nothing wrong with a clean course or the community fixtures', () => {
    expect(validateTrack(track(CLEAN))).toEqual([]);
    for (const [file, mapId] of [
      ['TYRIA DIESSA PLATEAU.csv', 32],
      ['TYRIA GENDARRAN.csv', 24],
    ] as const) {
      const imported = parseBeetlerankCsv(fixture(file), { mapId });
      if (!imported.ok) throw imported.error;
      expect(validateTrack(imported.value), file).toEqual([]);
    }
  });

  it('flags radii too small and too large, alternatives and gates included', () => {
    const warnings = validateTrack(
      track([
        sphere(0, 0, 0, 2),
        sphere(1, 300, 0, 150),
        sphere(2, 600, 0, 15, { alternatives: [{ x: 600, y: 10, z: 300, r: 1 }] }),
        { id: 3, kind: 'gate', a: { x: 900, y: 0, z: 0 }, b: { x: 904, y: 0, z: 0 } },
        { id: 4, kind: 'gate', a: { x: 1200, y: 0, z: 0 }, b: { x: 1500, y: 0, z: 0 } },
      ]),
    );
    expect(warnings).toEqual([
      {
        code: 'RADIUS_TOO_SMALL',
        message: expect.stringMatching(/^the start \(0\) has a radius of 2 m \(under 3 m\)/),
        checkpointIds: [0],
      },
      {
        code: 'RADIUS_TOO_LARGE',
        message: expect.stringMatching(/^checkpoint 1 has a radius of 150 m \(over 100 m\)/),
        checkpointIds: [1],
      },
      {
        code: 'RADIUS_TOO_SMALL',
        message: expect.stringMatching(/^checkpoint 2's alternative 1 has a radius of 1 m/),
        checkpointIds: [2],
      },
      {
        code: 'RADIUS_TOO_SMALL',
        message: expect.stringMatching(/^checkpoint 3 is a gate only 4 m wide \(under 6 m\)/),
        checkpointIds: [3],
      },
      {
        code: 'RADIUS_TOO_LARGE',
        message: expect.stringMatching(/^the finish \(4\) is a gate 300 m wide \(over 200 m\)/),
        checkpointIds: [4],
      },
    ]);
  });

  it('takes other thresholds', () => {
    const t = track([sphere(0, 0, 0, 8), sphere(1, 300, 0, 40)]);
    expect(validateTrack(t)).toEqual([]);
    expect(codes(validateTrack(t, { minRadius: 10, maxRadius: 30 }))).toEqual([
      'RADIUS_TOO_SMALL',
      'RADIUS_TOO_LARGE',
    ]);
  });

  it('tells checkpoints closer than their radii from ones that merely overlap', () => {
    const warnings = validateTrack(
      track([sphere(0, 0, 0), sphere(1, 200, 0), sphere(2, 210, 0), sphere(3, 228, 0)]),
    );
    expect(warnings).toEqual([
      {
        code: 'TOO_CLOSE',
        message:
          "checkpoints 1 and 2 are closer (10 m) than their radii (15 m and 15 m): one holds the other's centre, racers touch both at once",
        checkpointIds: [1, 2],
      },
      {
        code: 'OVERLAP',
        message:
          'checkpoint 1 and the finish (3) overlap (28 m apart, radii 15 m and 15 m): racers on one part of the course pass through the other',
        checkpointIds: [1, 3],
      },
      {
        code: 'OVERLAP',
        message:
          'checkpoint 2 and the finish (3) overlap (18 m apart, radii 15 m and 15 m): racers touch both at once',
        checkpointIds: [2, 3],
      },
    ]);
  });

  it('compares alternatives with other checkpoints but not with their own', () => {
    const alternatives = [{ x: 200, y: 10, z: 20, r: 15 }];
    expect(
      validateTrack(
        track([sphere(0, 0, 0), sphere(1, 200, 0, 15, { alternatives }), sphere(2, 400, 0)]),
      ),
    ).toEqual([]);
    const crowding = validateTrack(
      track([
        sphere(0, 0, 0),
        sphere(1, 200, 0, 15, { alternatives: [{ x: 390, y: 10, z: 0, r: 15 }] }),
        sphere(2, 400, 0),
      ]),
    );
    expect(crowding.map((w) => [w.code, w.checkpointIds])).toEqual([['TOO_CLOSE', [1, 2]]]);
  });

  it('never compares checkpoints on different maps', () => {
    const t = track([sphere(0, 0, 0), sphere(1, 5, 0, 15, { mapId: 50 }), sphere(2, 400, 0)]);
    expect(validateTrack(t)).toEqual([]);
    const sameMap = track([sphere(0, 0, 0), sphere(1, 5, 0, 15, { mapId: 24 }), sphere(2, 400, 0)]);
    expect(codes(validateTrack(sameMap))).toEqual(['TOO_CLOSE']);
  });

  it('sees gates cutting spheres and gates crossing gates', () => {
    const cuts = validateTrack(
      track([
        sphere(0, 0, 0),
        { id: 1, kind: 'gate', a: { x: 10, y: 0, z: -20 }, b: { x: 10, y: 0, z: 20 } },
        sphere(2, 300, 0),
      ]),
    );
    expect(cuts).toEqual([
      {
        code: 'OVERLAP',
        message: 'the start (0) and checkpoint 1 overlap: racers touch both at once',
        checkpointIds: [0, 1],
      },
    ]);
    const gate = (id: number, ax: number, az: number, bx: number, bz: number, y = 0) =>
      ({ id, kind: 'gate', a: { x: ax, y, z: az }, b: { x: bx, y, z: bz } }) as const;
    const crossing = validateTrack(
      track([gate(0, 0, -20, 0, 20), gate(1, -20, 0, 20, 0), sphere(2, 300, 0)]),
    );
    expect(codes(crossing)).toEqual(['OVERLAP']);
    // The same gates, one far above the other, do not touch.
    expect(
      validateTrack(
        track([gate(0, 0, -20, 0, 20), gate(1, -20, 0, 20, 0, 100), sphere(2, 300, 0)]),
      ),
    ).toEqual([]);
    // Parallel gates side by side do not touch; on one line and overlapping, they do.
    expect(
      validateTrack(track([gate(0, 0, -20, 0, 20), gate(1, 10, -20, 10, 20), sphere(2, 300, 0)])),
    ).toEqual([]);
    expect(
      codes(
        validateTrack(track([gate(0, 0, -20, 0, 20), gate(1, 0, 10, 0, 50), sphere(2, 300, 0)])),
      ),
    ).toEqual(['OVERLAP']);
  });

  it('sees a start equal to the finish on an open course, and a circuit that repeats its start', () => {
    const loop = [sphere(0, 0, 0), sphere(1, 200, 0), sphere(2, 200, 200), sphere(3, 2, 3)];
    expect(validateTrack(track(loop))).toEqual([
      {
        code: 'START_IS_FINISH',
        message: expect.stringMatching(
          /^the finish is at the start \(3\.6 m apart\) but the track is not a circuit/,
        ),
        checkpointIds: [0, 3],
      },
    ]);
    expect(validateTrack(track(loop, { circuit: true }))).toEqual([
      {
        code: 'CIRCUIT_REPEATS_START',
        message: expect.stringMatching(
          /^checkpoint 3 is at the start \(3\.6 m apart\) on a circuit/,
        ),
        checkpointIds: [0, 3],
      },
    ]);
    // A draft's last checkpoint is not the finish yet.
    expect(validateTrack(track(loop), { draft: true })).toEqual([
      {
        code: 'TOO_CLOSE',
        message:
          "the start (0) and checkpoint 3 are closer (3.6 m) than their radii (15 m and 15 m): one holds the other's centre, racers on one part of the course pass through the other",
        checkpointIds: [0, 3],
      },
    ]);
    // A circuit's last checkpoint and start are consecutive: an overlap says "both at once".
    const close = validateTrack(track([...CLEAN.slice(0, 3), sphere(3, 25, 0)], { circuit: true }));
    expect(close.map((w) => w.message)).toEqual([
      'the start (0) and checkpoint 3 overlap (25 m apart, radii 15 m and 15 m): racers touch both at once',
    ]);
  });

  it('warns about laps on an open course and a track without a map', () => {
    expect(codes(validateTrack(track(CLEAN, { laps: 3 })))).toEqual(['LAPS_WITHOUT_CIRCUIT']);
    expect(validateTrack(track(CLEAN, { laps: 3, circuit: true }))).toEqual([]);
    const { mapId: _, ...noMap } = track(CLEAN);
    expect(validateTrack(noMap)).toEqual([
      {
        code: 'NO_MAP',
        message: expect.stringMatching(/^the track has no map id/),
        checkpointIds: [],
      },
    ]);
    // A map on a checkpoint is a map.
    const withCheckpointMap = {
      ...noMap,
      checkpoints: [sphere(0, 0, 0, 15, { mapId: 24 }), ...CLEAN.slice(1)],
    };
    expect(validateTrack(withCheckpointMap)).toEqual([]);
  });

  it('checks the reference line reaches every checkpoint and runs forward in time', () => {
    const through: [number, number, number, number][] = [
      [0, 0, 10, 0],
      [6, 200, 10, 0],
      [12, 200, 10, 200],
      [18, 0, 10, 200],
    ];
    expect(validateTrack(track(CLEAN, { referenceLine: through }))).toEqual([]);
    const cutting: [number, number, number, number][] = [
      [0, 0, 10, 0],
      [6, 180, 10, 40],
      [12, 200, 10, 200],
      [11, 0, 10, 200],
    ];
    expect(validateTrack(track(CLEAN, { referenceLine: cutting }))).toEqual([
      {
        code: 'REFERENCE_LINE_TIME',
        message: 'the reference line goes back in time at point 4 (12.00 s, then 11.00 s)',
        checkpointIds: [],
      },
      {
        code: 'REFERENCE_LINE_MISSES',
        message: expect.stringMatching(/^the reference line never reaches checkpoint 1: /),
        checkpointIds: [1],
      },
    ]);
    // Checkpoints on another map are not expected on the line.
    const multiMap = track([...CLEAN.slice(0, 3), sphere(3, 900, 900, 15, { mapId: 50 })], {
      referenceLine: through.slice(0, 3),
    });
    expect(validateTrack(multiMap)).toEqual([]);
    // A gate crossed by the line counts.
    const gated = track(
      [
        sphere(0, 0, 0),
        { id: 1, kind: 'gate', a: { x: 100, y: 0, z: -10 }, b: { x: 100, y: 0, z: 10 } },
        sphere(2, 200, 0),
      ],
      { referenceLine: through.slice(0, 2) },
    );
    expect(validateTrack(gated)).toEqual([]);
  });

  it('documents every code it can return', () => {
    expect(Object.keys(TRACK_WARNING_CODES).sort()).toEqual(
      Object.values(TRACK_WARNING_CODES).sort(),
    );
  });

  it('says nothing about checkpoints spaced further apart than their radii (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            r: fc.double({ min: 3, max: 100, noNaN: true }),
            heading: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
            gap: fc.double({ min: 0.01, max: 500, noNaN: true }),
          }),
          { minLength: 2, maxLength: 30 },
        ),
        (legs) => {
          // A course that only moves away from the start along +X: no two spheres ever touch.
          let x = 0;
          let previousR = 0;
          const checkpoints = legs.map((leg, id) => {
            x += previousR + leg.r + leg.gap;
            previousR = leg.r;
            return sphere(id, x, Math.sin(leg.heading) * 0.001 * leg.gap, leg.r);
          });
          expect(validateTrack(track(checkpoints))).toEqual([]);
        },
      ),
    );
  });
});
