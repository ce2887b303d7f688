import type { MumbleLinkIdentity } from './frame';
import type { Result } from './result';
import { err, ok } from './result';

const NUMBER_FIELDS = [
  ['profession', 'profession'],
  ['spec', 'spec'],
  ['race', 'race'],
  ['mapId', 'map_id'],
  ['worldId', 'world_id'],
  ['teamColorId', 'team_color_id'],
  ['fov', 'fov'],
  ['uiSize', 'uisz'],
] as const;

/**
 * Parses the `identity` JSON that GW2 writes. Never throws: empty text, invalid or cut-off JSON,
 * and missing or mistyped fields give a failed {@link Result} whose error says why. Keys GW2
 * adds later (or the legacy `map`) are ignored.
 *
 * @example
 * parseIdentity('{"name":"Ael","profession":5,...}') // { ok: true, value: { name: 'Ael', ... } }
 */
export function parseIdentity(json: string): Result<MumbleLinkIdentity, string> {
  if (json.length === 0) return err('identity is empty (no character loaded yet)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return err(`identity is not valid JSON (${detail})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return err('identity JSON is not an object');
  }
  const record = parsed as Record<string, unknown>;
  const name = record['name'];
  if (typeof name !== 'string') return err('identity has no string "name"');
  const commander = record['commander'];
  if (typeof commander !== 'boolean') return err('identity has no boolean "commander"');
  const numbers: Record<string, number> = {};
  for (const [key, jsonKey] of NUMBER_FIELDS) {
    const value = record[jsonKey];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return err(`identity has no numeric "${jsonKey}"`);
    }
    numbers[key] = value;
  }
  return ok({
    name,
    profession: numbers['profession']!,
    spec: numbers['spec']!,
    race: numbers['race']!,
    mapId: numbers['mapId']!,
    worldId: numbers['worldId']!,
    teamColorId: numbers['teamColorId']!,
    commander,
    fov: numbers['fov']!,
    uiSize: numbers['uiSize']!,
  });
}

/**
 * Writes an identity as GW2 does: its snake_case keys, in the game's order.
 */
export function formatIdentity(identity: MumbleLinkIdentity): string {
  return JSON.stringify({
    name: identity.name,
    profession: identity.profession,
    spec: identity.spec,
    race: identity.race,
    map_id: identity.mapId,
    world_id: identity.worldId,
    team_color_id: identity.teamColorId,
    commander: identity.commander,
    fov: identity.fov,
    uisz: identity.uiSize,
  });
}
