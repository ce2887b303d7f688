/**
 * Racer colours: distinct on the dark map and on a stream, assigned in order of first appearance
 * so the first racers never share one; a colour the organizer gave (`participants[].color`) wins.
 */
export const RACER_PALETTE = [
  '#ff5d5d',
  '#4fc3f7',
  '#ffd54f',
  '#81c784',
  '#ba68c8',
  '#ff9f43',
  '#4dd0e1',
  '#f06292',
  '#aed581',
  '#9575cd',
  '#ffb74d',
  '#e0e0e0',
] as const;

const CSS_HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Whether a value is a colour we accept from the wire (`#rgb` or `#rrggbb`; nothing that could inject CSS). */
export function isCssHexColor(value: unknown): value is string {
  return typeof value === 'string' && CSS_HEX.test(value);
}

/** Hands out racer colours; the same player always gets the same one. */
export interface ColorAssigner {
  /** The player's colour; `preferred` (from the race state) is used when it is a valid hex colour. */
  colorOf(playerId: string, preferred?: string): string;
}

/** Creates a {@link ColorAssigner}. */
export function createColorAssigner(): ColorAssigner {
  const given = new Map<string, string>();
  return {
    colorOf(playerId, preferred) {
      if (isCssHexColor(preferred)) {
        given.set(playerId, preferred);
        return preferred;
      }
      let color = given.get(playerId);
      if (color === undefined) {
        const used = new Set(given.values());
        color =
          RACER_PALETTE.find((c) => !used.has(c)) ??
          (RACER_PALETTE[given.size % RACER_PALETTE.length] as string);
        given.set(playerId, color);
      }
      return color;
    },
  };
}

/** `#rrggbb` or `#rgb` → `[r, g, b]`. */
export function hexToRgb(hex: string): [number, number, number] {
  const h = hex.slice(1);
  const full =
    h.length === 3
      ? h
          .split('')
          .map((c) => c + c)
          .join('')
      : h;
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
