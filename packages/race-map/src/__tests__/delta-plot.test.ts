import { describe, expect, it } from 'vitest';
import { axisLabels, drawDeltaPlot, formatDelta } from '../delta-plot';
import { fakeContext } from './fake-context';

describe('the delta plot', () => {
  it('signs every label', () => {
    expect(formatDelta(1.321)).toBe('+1.32 s');
    expect(formatDelta(-17.884)).toBe('-17.88 s');
    expect(formatDelta(0)).toBe('+0.00 s');
    expect(formatDelta(-0.001)).toBe('+0.00 s');
  });

  it('drops an axis label that would print over zero', () => {
    // -1.32 s sits 6 px under zero: only zero and the top are labelled.
    const sy = (v: number) => 100 - v * 4.5;
    const labels = axisLabels(-1.32, 20, sy);
    expect(labels.map((l) => l.text)).toEqual(['+0.00 s', '+20.00 s']);
    const spread = axisLabels(-10, 20, sy);
    expect(spread.map((l) => l.text)).toEqual(['+0.00 s', '+20.00 s', '-10.00 s']);
  });

  it('leaves room for the widest label: none starts left of the canvas', () => {
    const { ctx, calls } = fakeContext();
    const distance = [0, 100, 200, 300];
    drawDeltaPlot(
      ctx,
      400,
      200,
      { distance, delta: [0, -6, -12, -17.88], length: 300 },
      { reference: 'Ann', compared: 'Bob', color: '#ff5d5d' },
    );
    const texts = calls.filter((c) => c.name === 'fillText');
    const axis = texts.filter((c) => / s$/.test(String(c.args[0])));
    expect(axis.length).toBeGreaterThanOrEqual(2);
    for (const call of axis) {
      // right-aligned at x: the text's left edge is x minus its width (6 px a character here)
      const left = (call.args[1] as number) - String(call.args[0]).length * 6;
      expect(left, String(call.args[0])).toBeGreaterThanOrEqual(0);
    }
    const ys = axis.map((c) => c.args[2] as number).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(14);
  });
});
