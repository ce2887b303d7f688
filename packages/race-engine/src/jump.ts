import type { Sample } from './advance-course';
import type { EngineConfig } from './race-state';

/**
 * @internal A move of `d2` square metres in `dt` s is a teleport: longer than `teleportDistance`
 * and more than `teleportSpeed` explains.
 */
export function isTeleport(
  config: Pick<EngineConfig, 'teleportDistance' | 'teleportSpeed'>,
  d2: number,
  dt: number,
): boolean {
  const jump = config.teleportSpeed * dt;
  return d2 > config.teleportDistance * config.teleportDistance && d2 > jump * jump;
}

/** @internal Both samples name a map, and not the same one. */
export function isMapChange(a: Sample, b: Sample): boolean {
  return a.mapId !== undefined && b.mapId !== undefined && a.mapId !== b.mapId;
}

/** @internal The racer did not travel from `a` to `b`: a map change or a teleport. */
export function isJump(
  config: Pick<EngineConfig, 'teleportDistance' | 'teleportSpeed'>,
  a: Sample,
  b: Sample,
): boolean {
  if (isMapChange(a, b)) return true;
  const d2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2 + (b.z - a.z) ** 2;
  return isTeleport(config, d2, b.t - a.t);
}
