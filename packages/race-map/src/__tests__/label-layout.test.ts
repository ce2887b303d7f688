import { describe, expect, it } from 'vitest';
import { LABEL_HEIGHT, type LabelBox, placeLabels } from '../label-layout';

const overlap = (a: LabelBox, b: LabelBox) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('racer name labels', () => {
  it('stay beside their marker when there is room', () => {
    const [a, b] = placeLabels(
      [
        { sx: 100, sy: 100, width: 30, rank: 1 },
        { sx: 300, sy: 100, width: 30, rank: 2 },
      ],
      7,
    );
    expect(a).toMatchObject({ moved: false, y: 100 - LABEL_HEIGHT / 2 });
    expect(a?.x).toBeGreaterThan(100 + 7);
    expect(b).toMatchObject({ moved: false });
  });

  it('of a bunch never cover each other: moved above, below, to the left, else the last ranked left out', () => {
    // Twelve racers within 4 px of each other.
    const requests = Array.from({ length: 12 }, (_, i) => ({
      sx: 200 + (i % 3),
      sy: 200 + (i % 4),
      width: 40,
      rank: i + 1,
    }));
    const boxes = placeLabels(requests, 7);
    const shown = boxes.filter((b): b is LabelBox => b !== null);
    for (const [i, a] of shown.entries())
      for (const b of shown.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    // The leader keeps the place beside the marker; those left out are the last ranked.
    expect(boxes[0]).toMatchObject({ moved: false });
    expect(shown.length).toBeGreaterThan(5);
    const hidden = boxes.flatMap((b, i) => (b === null ? [i] : []));
    expect(hidden.length).toBe(12 - shown.length);
    expect(Math.min(...hidden)).toBeGreaterThanOrEqual(shown.length);
  });

  it('go by rank, not by the order they are given in', () => {
    const boxes = placeLabels(
      [
        { sx: 100, sy: 100, width: 30, rank: 2 },
        { sx: 100, sy: 100, width: 30, rank: 1 },
      ],
      7,
    );
    expect(boxes[1]?.moved).toBe(false);
    expect(boxes[0]?.moved).toBe(true);
  });
});
