import { describe, expect, it } from 'vitest';
import { createColorAssigner, hexToRgb, isCssHexColor, RACER_PALETTE, racerColor } from '../colors';

describe('racer colours', () => {
  it('follow the race’s field: distinct for its first racers, the same in any view', () => {
    const field = ['alice', 'bob', 'carol'];
    const live = createColorAssigner(() => field);
    // The replay meets the racers in another order; its field is the same.
    const replay = createColorAssigner(() => [...field, 'dave']);
    expect(['carol', 'bob', 'alice'].map((id) => replay.colorOf(id))).toEqual(
      ['carol', 'bob', 'alice'].map((id) => live.colorOf(id)),
    );
    expect(field.map((id) => live.colorOf(id))).toEqual(RACER_PALETTE.slice(0, 3));
    const many = Array.from({ length: RACER_PALETTE.length }, (_, i) => `r${i}`);
    expect(new Set(many.map((id) => racerColor(id, many))).size).toBe(RACER_PALETTE.length);
  });

  it('come from the player id alone for a player outside the field, whoever came first', () => {
    const live = createColorAssigner();
    const replay = createColorAssigner();
    const ids = ['alice', 'bob', 'carol', 'dave', 'brakk'];
    const liveColors = ids.map((id) => live.colorOf(id));
    // Another view meets the racers in another order.
    const replayColors = [...ids].reverse().map((id) => replay.colorOf(id));
    expect(replayColors.reverse()).toEqual(liveColors);
    for (const [i, id] of ids.entries()) {
      expect(liveColors[i]).toBe(racerColor(id));
      expect(RACER_PALETTE).toContain(liveColors[i]);
    }
  });

  it('spread ids over the palette', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => racerColor(`racer-${i}`)));
    expect(used.size).toBe(RACER_PALETTE.length);
  });

  it('use the organizer’s colour when it is a hex colour, and refuse anything else', () => {
    const colors = createColorAssigner();
    expect(colors.colorOf('b', '#00ff00')).toBe('#00ff00');
    expect(colors.colorOf('b')).toBe('#00ff00');
    expect(colors.colorOf('c', 'red;background:url(x)')).toBe(racerColor('c'));
    expect(isCssHexColor('#abc')).toBe(true);
    expect(isCssHexColor('abc')).toBe(false);
    expect(hexToRgb('#ff8000')).toEqual([255, 128, 0]);
    expect(hexToRgb('#f80')).toEqual([255, 136, 0]);
  });
});
