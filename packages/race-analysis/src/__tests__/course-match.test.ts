import type { Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { courseDifferences } from '../course-match';
import { TRACK } from './recording';

const copy = (change: (t: { -readonly [K in keyof Track]: Track[K] }) => void): Track => {
  const t = structuredClone(TRACK) as { -readonly [K in keyof Track]: Track[K] };
  change(t);
  return t;
};

describe('are two recordings on the same course', () => {
  it('finds no difference between a track and itself (or a copy a few cm off)', () => {
    expect(courseDifferences(TRACK, TRACK)).toEqual([]);
    const nudged = copy((t) => {
      t.checkpoints = t.checkpoints.map((cp) =>
        cp.kind === 'gate' ? cp : { ...cp, x: cp.x + 0.05, z: cp.z - 0.05 },
      );
    });
    expect(courseDifferences(TRACK, nudged)).toEqual([]);
  });

  it('says when the track ids differ', () => {
    const other = copy((t) => {
      t.id = 'another-course';
    });
    expect(courseDifferences(TRACK, other)).toEqual([
      'track “unit-short” here, “another-course” in the other',
    ]);
  });

  it('says when the checkpoints differ: count, place, radius, kind', () => {
    const fewer = copy((t) => {
      t.checkpoints = t.checkpoints.slice(0, 4);
    });
    expect(courseDifferences(TRACK, fewer)).toEqual(['5 checkpoints here, 4 in the other']);
    const moved = copy((t) => {
      t.checkpoints = t.checkpoints.map((cp) =>
        cp.id === 2 && cp.kind !== 'gate' ? { ...cp, x: cp.x + 30 } : cp,
      );
    });
    expect(courseDifferences(TRACK, moved)).toEqual(['checkpoint 2 is 30.0 m away']);
    const wider = copy((t) => {
      t.checkpoints = t.checkpoints.map((cp) =>
        cp.id === 3 && cp.kind !== 'gate' ? { ...cp, r: 20 } : cp,
      );
    });
    expect(courseDifferences(TRACK, wider)).toEqual([
      'checkpoint 3 has radius 12 m, 20 m in the other',
    ]);
    const gate = copy((t) => {
      t.checkpoints = t.checkpoints.map((cp) =>
        cp.id === 1
          ? { id: 1, kind: 'gate', a: { x: 90, y: 12, z: 0 }, b: { x: 90, y: 12, z: 20 } }
          : cp,
      );
    });
    expect(courseDifferences(TRACK, gate)).toEqual(['checkpoint 1 is a gate in the other']);
  });

  it('cannot check a recording without a track, and says so', () => {
    expect(courseDifferences(TRACK, null)).toEqual([
      'the other recording has no track: the course cannot be checked',
    ]);
    expect(courseDifferences(null, null)).toHaveLength(1);
  });
});
