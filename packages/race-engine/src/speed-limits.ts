/**
 * Names of the MumbleLink mount indices (`context.mountIndex`, the `mount` of a `pos` message).
 */
export const MOUNT_NAMES = {
  0: 'none',
  1: 'jackal',
  2: 'griffon',
  3: 'springer',
  4: 'skimmer',
  5: 'raptor',
  6: 'roller beetle',
  7: 'warclaw',
  8: 'skyscale',
  9: 'skiff',
  10: 'siege turtle',
} as const;

/** MumbleLink's mount index of the roller beetle. */
export const ROLLER_BEETLE = 6;

/**
 * Highest plausible **horizontal** speed per mount, in metres per second, over half a second or
 * more. Vertical motion is not limited (falls and dives are legitimately fast); jumps no speed
 * explains are caught as teleports instead.
 *
 * These defaults are deliberately generous so an honest racer is never flagged; tighten them
 * for a given track with the engine's `speedLimits` option. Reasoning:
 * - on foot (`0`): the game caps running at 400 units/s (10.2 m/s; 1 m = 39.37 units); leaps and
 *   movement skills briefly exceed it, hence 15;
 * - roller beetle (`6`): the fastest ground mount; boosted beetles on downhill stretches run in the
 *   30s of m/s, hence 45;
 * - griffon (`2`) and skyscale (`8`): dives convert height into horizontal speed, hence 60 and 40;
 * - other ground and water mounts: 20–25;
 * - `unknown` applies when a client does not report a mount: racers are held to the beetle limit.
 */
export const DEFAULT_SPEED_LIMITS: Readonly<Record<number | 'unknown', number>> = {
  0: 15,
  1: 25,
  2: 60,
  3: 20,
  4: 20,
  5: 25,
  6: 45,
  7: 20,
  8: 40,
  9: 20,
  10: 15,
  unknown: 45,
};

/** Speed limits keyed by MumbleLink mount index, plus `unknown` for samples without a mount. */
export type SpeedLimits = Readonly<Partial<Record<number | 'unknown', number>>>;

/**
 * The horizontal speed limit (m/s) for a mount index under `limits` (falling back to
 * {@link DEFAULT_SPEED_LIMITS}); an index with no entry gets the `unknown` limit.
 */
export function speedLimitFor(mount: number | undefined, limits: SpeedLimits = {}): number {
  if (mount !== undefined) {
    const own = limits[mount] ?? DEFAULT_SPEED_LIMITS[mount];
    if (own !== undefined) return own;
  }
  return limits.unknown ?? DEFAULT_SPEED_LIMITS.unknown;
}
