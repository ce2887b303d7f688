/**
 * Racer colours: distinct on the dark map and on a stream. A racer's colour comes from their place
 * in the race's field, else their player id ({@link racerColor}), so the live view, the overlay
 * and every replay of the race show them in the same one; a colour the organizer gave
 * (`participants[].color`) wins.
 */
export const RACER_PALETTE = [
  '#ff5252',
  '#40c4ff',
  '#ffd740',
  '#69f0ae',
  '#ea80fc',
  '#ff9800',
  '#18ffff',
  '#ff4081',
  '#c6ff00',
  '#b388ff',
  '#eeeeee',
  '#448aff',
  '#ff8a80',
  '#64dd17',
  '#bcaaa4',
] as const;

const CSS_HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Whether a value is a colour we accept from the wire (`#rgb` or `#rrggbb`; nothing that could inject CSS). */
export function isCssHexColor(value: unknown): value is string {
  return typeof value === 'string' && CSS_HEX.test(value);
}

/** FNV-1a (32 bit) of a string's UTF-16 code units: a small, stable spread of ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The colour of a player: by their place in the race's `field` (its racers in the host's order of
 * arrival, as the race state lists them: race-analysis `LiveRace.field`, `ReplayData.field`), so
 * that the first 15 racers never share one and the live view, the overlay and every replay of
 * the race agree; for a player not in it, from their id alone.
 *
 * @example
 * racerColor('alice', ['bob', 'alice']); // RACER_PALETTE[1], live and in the replay
 * racerColor('alice'); // from the id: the same everywhere
 */
export function racerColor(playerId: string, field?: readonly string[]): string {
  const i = field ? field.indexOf(playerId) : -1;
  const index = i >= 0 ? i : fnv1a(playerId);
  return RACER_PALETTE[index % RACER_PALETTE.length] as string;
}

/** Hands out racer colours; the same player always gets the same one. */
export interface ColorAssigner {
  /** The player's colour; `preferred` (from the race state) is used when it is a valid hex colour. */
  colorOf(playerId: string, preferred?: string): string;
}

/**
 * Creates a {@link ColorAssigner}: the organizer's colour when it is a valid hex colour (kept for
 * the player once seen), else {@link racerColor} by the race's field as `field()` gives it now.
 */
export function createColorAssigner(field?: () => readonly string[]): ColorAssigner {
  const given = new Map<string, string>();
  return {
    colorOf(playerId, preferred) {
      if (isCssHexColor(preferred)) {
        given.set(playerId, preferred);
        return preferred;
      }
      return given.get(playerId) ?? racerColor(playerId, field?.());
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
