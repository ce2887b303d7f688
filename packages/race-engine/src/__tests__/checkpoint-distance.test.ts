import type { Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { distanceToCheckpoint } from '../checkpoint-distance';
import { checkpointAt, compileCourse, lapOf } from '../course';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'mixed',
  name: 'Mixed',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 0, z: 0, r: 10 },
    { id: 1, x: 100, y: 0, z: 0, r: 10, alternatives: [{ x: 100, y: 0, z: 50, r: 5 }] },
    { id: 2, kind: 'gate', a: { x: 200, y: 0, z: -10 }, b: { x: 200, y: 0, z: 10 } },
  ],
};
const course = compileCourse(track, { laps: 2, circuit: true });

describe('distanceToCheckpoint', () => {
  it('measures to the nearest sphere’s surface, 0 inside', () => {
    const cp = course.checkpoints[1];
    if (!cp) throw new Error('no checkpoint 1');
    expect(distanceToCheckpoint(cp, { x: 70, y: 0, z: 0 })).toBeCloseTo(20);
    expect(distanceToCheckpoint(cp, { x: 95, y: 0, z: 0 })).toBe(0);
    // The alternative sphere (r 5 at z 50) is nearer from z 60.
    expect(distanceToCheckpoint(cp, { x: 100, y: 0, z: 60 })).toBeCloseTo(5);
  });

  it('measures a gate to its line in the horizontal plane, ends included', () => {
    const gate = course.checkpoints[2];
    if (!gate) throw new Error('no gate');
    expect(distanceToCheckpoint(gate, { x: 180, y: 30, z: 5 })).toBeCloseTo(20);
    expect(distanceToCheckpoint(gate, { x: 200, y: 0, z: 13 })).toBeCloseTo(3);
  });

  it('checkpointAt and lapOf walk a circuit’s laps', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => checkpointAt(course, i).id)).toEqual([1, 2, 0, 1, 2, 0]);
    expect([0, 2, 3, 5].map((i) => lapOf(course, i))).toEqual([1, 1, 2, 2]);
  });
});
