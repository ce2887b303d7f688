import type { MapTypeName, MountName } from './layout';

/**
 * A vector in the MumbleLink frame: metres, Y up, left-handed (X east–west, Z north–south).
 */
export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** Where something is and which way it faces. */
export interface Pose {
  /** Position in metres. */
  readonly position: Vec3;
  /** Unit vector pointing forward. */
  readonly front: Vec3;
  /** Unit vector pointing up out of the head (GW2 may leave it zero). */
  readonly top: Vec3;
}

/** The character, as the `identity` JSON describes it (GW2's snake_case keys in camelCase). */
export interface MumbleLinkIdentity {
  /** Character name. */
  readonly name: string;
  /** Profession id: 1 Guardian, 2 Warrior, 3 Engineer, 4 Ranger, 5 Thief, 6 Elementalist, 7 Mesmer, 8 Necromancer, 9 Revenant. */
  readonly profession: number;
  /** Elite specialization id (API `/v2/specializations`), 0 when none. */
  readonly spec: number;
  /** Race id: 0 Asura, 1 Charr, 2 Human, 3 Norn, 4 Sylvari. */
  readonly race: number;
  /** Map id (`map_id`). */
  readonly mapId: number;
  /** World id (`world_id`); no longer the home world since megaservers. */
  readonly worldId: number;
  /** Team colour in competitive modes (`team_color_id`), 0 otherwise. */
  readonly teamColorId: number;
  /** The character is a commander (tag shown). */
  readonly commander: boolean;
  /** Vertical field of view, radians. */
  readonly fov: number;
  /** UI size (`uisz`): 0 small, 1 normal, 2 large, 3 larger. */
  readonly uiSize: number;
}

/** The `uiState` bits as named booleans. */
export interface UiState {
  /** The world map is open. */
  readonly mapOpen: boolean;
  /** The compass is at the top right. */
  readonly compassTopRight: boolean;
  /** Compass rotation is enabled. */
  readonly compassRotation: boolean;
  /** The game window has focus. */
  readonly gameFocus: boolean;
  /** In a competitive game mode (PvP, WvW). */
  readonly competitive: boolean;
  /** A text box has focus. */
  readonly textboxFocus: boolean;
  /** The character is in combat. */
  readonly inCombat: boolean;
}

/** The game server's address (`/ip` in game), from the context's `sockaddr`. */
export interface ServerAddress {
  /** Address family. */
  readonly family: 'ipv4' | 'ipv6';
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  readonly address: string;
  /** TCP port. */
  readonly port: number;
}

/** The GW2 part of the MumbleLink context. */
export interface Gw2Context {
  /** Server address, or `null` when the `sockaddr` family is neither IPv4 nor IPv6 (e.g. zero). */
  readonly serverAddress: ServerAddress | null;
  /** Map id: pair it with positions, tracks are per map. */
  readonly mapId: number;
  /** Raw map type. */
  readonly mapType: number;
  /** Name of {@link Gw2Context.mapType}, `'unknown'` for values this version does not know. */
  readonly mapTypeName: MapTypeName | 'unknown';
  /** Shard id. */
  readonly shardId: number;
  /** Instance (seems unused by the game). */
  readonly instance: number;
  /** Game build id. */
  readonly buildId: number;
  /** `uiState` as named booleans. */
  readonly uiState: UiState;
  /** `uiState` as the raw 32-bit field (keeps bits this version does not name). */
  readonly uiStateBits: number;
  /** Compass width, pixels. */
  readonly compassWidth: number;
  /** Compass height, pixels. */
  readonly compassHeight: number;
  /** Compass rotation, radians. */
  readonly compassRotation: number;
  /** Player X in continent coordinates (not updated in competitive modes). */
  readonly playerX: number;
  /** Player Y in continent coordinates. */
  readonly playerY: number;
  /** X of the map or compass centre in continent coordinates. */
  readonly mapCenterX: number;
  /** Y of the map or compass centre in continent coordinates. */
  readonly mapCenterY: number;
  /** Zoom of the world map (when open) or the compass. */
  readonly mapScale: number;
  /** Process id of the game client: a change means the game restarted. */
  readonly processId: number;
  /** Raw mount index (0 when not mounted). */
  readonly mountIndex: number;
  /** Mount name, `null` when not mounted, `'unknown'` for an index this version does not know. */
  readonly mount: MountName | 'unknown' | null;
}

/** One decoded LinkedMem block. */
export interface MumbleLinkFrame {
  /** `uiVersion` (GW2 writes 2; 0 means nothing has written the block yet). */
  readonly version: number;
  /** `uiTick`: changes whenever the game updates the block. */
  readonly tick: number;
  /** The character. */
  readonly avatar: Pose;
  /** The camera. */
  readonly camera: Pose;
  /** Application name ("Guild Wars 2"). */
  readonly name: string;
  /** The parsed identity, or `null` when the JSON is empty, invalid or incomplete (see `identityError`). */
  readonly identity: MumbleLinkIdentity | null;
  /** Why `identity` is `null`; `null` when it parsed. */
  readonly identityError: string | null;
  /** The identity text exactly as the block holds it. */
  readonly identityJson: string;
  /** `context_len` as written (GW2 writes 48; the GW2 fields are decoded regardless). */
  readonly contextLength: number;
  /** The GW2 context. */
  readonly context: Gw2Context;
  /** `description` (GW2 leaves it empty). */
  readonly description: string;
}
