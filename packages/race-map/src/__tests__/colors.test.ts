import { describe, expect, it } from 'vitest';
import { createColorAssigner, hexToRgb, isCssHexColor, RACER_PALETTE } from '../colors';

describe('racer colours', () => {
  it('gives distinct colours in order, the organizer’s when valid, the same one again', () => {
    const colors = createColorAssigner();
    expect(colors.colorOf('a')).toBe(RACER_PALETTE[0]);
    expect(colors.colorOf('b', '#00ff00')).toBe('#00ff00');
    expect(colors.colorOf('c', 'red;background:url(x)')).toBe(RACER_PALETTE[1]);
    expect(colors.colorOf('a')).toBe(RACER_PALETTE[0]);
    expect(isCssHexColor('#abc')).toBe(true);
    expect(isCssHexColor('abc')).toBe(false);
    expect(hexToRgb('#ff8000')).toEqual([255, 128, 0]);
    expect(hexToRgb('#f80')).toEqual([255, 136, 0]);
  });
});
