/** Size in bytes of the LinkedMem block that GW2 shares: `uiVersion` through `description`. */
export const LINKED_MEM_SIZE = 5460;

/**
 * Where the game's useful data ends: the GW2 context's `mountIndex` byte (1108 + 84) plus one.
 * Some Linux bridges copy only this prefix; {@link DecodeOptions.partial} accepts them.
 */
export const GW2_DATA_SIZE = 1193;

/**
 * Byte offsets of the LinkedMem fields (little-endian; `wchar_t` is UTF-16, as on Windows).
 * Exported for bridge authors who copy or check the block themselves.
 */
export const LINKED_MEM_LAYOUT = {
  /** `uint32 uiVersion` (GW2 writes 2). */
  version: 0,
  /** `uint32 uiTick`, incremented when the game updates the block (about once per rendered frame). */
  tick: 4,
  /** `float[3] fAvatarPosition`, metres. */
  avatarPosition: 8,
  /** `float[3] fAvatarFront`, unit vector. */
  avatarFront: 20,
  /** `float[3] fAvatarTop`. */
  avatarTop: 32,
  /** `wchar_t name[256]` ("Guild Wars 2"). */
  name: 44,
  /** `float[3] fCameraPosition`, metres. */
  cameraPosition: 556,
  /** `float[3] fCameraFront`. */
  cameraFront: 568,
  /** `float[3] fCameraTop`. */
  cameraTop: 580,
  /** `wchar_t identity[256]`: JSON about the character. */
  identity: 592,
  /** `uint32 context_len` (GW2 writes 48, the part Mumble uses to group players). */
  contextLength: 1104,
  /** `uint8 context[256]`: the GW2 context, see {@link GW2_CONTEXT_LAYOUT}. */
  context: 1108,
  /** `wchar_t description[2048]` (GW2 leaves it empty). */
  description: 1364,
} as const;

/** Length in UTF-16 code units of `name` and `identity` (including the terminating NUL). */
export const NAME_UNITS = 256;
/** Length in UTF-16 code units of `description` (including the terminating NUL). */
export const DESCRIPTION_UNITS = 2048;
/** Size in bytes of the context area. */
export const CONTEXT_SIZE = 256;

/** Byte offsets inside the GW2 context (relative to {@link LINKED_MEM_LAYOUT.context}). */
export const GW2_CONTEXT_LAYOUT = {
  /** `uint8 serverAddress[28]`: a Windows `sockaddr_in` or `sockaddr_in6`. */
  serverAddress: 0,
  /** `uint32 mapId`. */
  mapId: 28,
  /** `uint32 mapType`, see {@link MAP_TYPE_NAMES}. */
  mapType: 32,
  /** `uint32 shardId`. */
  shardId: 36,
  /** `uint32 instance`. */
  instance: 40,
  /** `uint32 buildId`. */
  buildId: 44,
  /** `uint32 uiState`, bit field, see {@link UI_STATE_BITS}. */
  uiState: 48,
  /** `uint16 compassWidth`, pixels. */
  compassWidth: 52,
  /** `uint16 compassHeight`, pixels. */
  compassHeight: 54,
  /** `float compassRotation`, radians. */
  compassRotation: 56,
  /** `float playerX`, continent coordinates. */
  playerX: 60,
  /** `float playerY`, continent coordinates. */
  playerY: 64,
  /** `float mapCenterX`, continent coordinates. */
  mapCenterX: 68,
  /** `float mapCenterY`, continent coordinates. */
  mapCenterY: 72,
  /** `float mapScale`. */
  mapScale: 76,
  /** `uint32 processId` of the game client. */
  processId: 80,
  /** `uint8 mountIndex`, see {@link MOUNT_NAMES}. */
  mountIndex: 84,
} as const;

/** The bits of `uiState`, as GW2 documents them (bit 0 first). */
export const UI_STATE_BITS = {
  /** The world map is open. */
  mapOpen: 1 << 0,
  /** The compass sits at the top right of the screen (else bottom right). */
  compassTopRight: 1 << 1,
  /** Compass rotation is enabled. */
  compassRotation: 1 << 2,
  /** The game window has focus. */
  gameFocus: 1 << 3,
  /** The player is in a competitive game mode (PvP, WvW). */
  competitive: 1 << 4,
  /** A text box (chat, search) has focus. */
  textboxFocus: 1 << 5,
  /** The character is in combat. */
  inCombat: 1 << 6,
} as const;

/** The mounts by `mountIndex` (0 is "not mounted"); names are stable, lower-case, kebab-case. */
export const MOUNT_NAMES = [
  null,
  'jackal',
  'griffon',
  'springer',
  'skimmer',
  'raptor',
  'roller-beetle',
  'warclaw',
  'skyscale',
  'skiff',
  'siege-turtle',
] as const;

/** A mount GW2 reports in `mountIndex`. */
export type MountName = Exclude<(typeof MOUNT_NAMES)[number], null>;

/** The map types by `mapType`, following the game's own `EMapType` order. */
export const MAP_TYPE_NAMES = [
  'redirect',
  'character-create',
  'pvp',
  'gvg',
  'instance',
  'public',
  'tournament',
  'tutorial',
  'user-tournament',
  'wvw-eternal-battlegrounds',
  'wvw-blue-borderlands',
  'wvw-green-borderlands',
  'wvw-red-borderlands',
  'wvw-reward',
  'wvw-obsidian-sanctum',
  'wvw-edge-of-the-mists',
  'public-mini',
  'big-battle',
  'wvw-lounge',
  'wvw',
] as const;

/** A map type GW2 reports in `mapType`. */
export type MapTypeName = (typeof MAP_TYPE_NAMES)[number];

/** Metres to the game's own unit, the inch (MumbleLink positions are in metres). */
export const INCHES_PER_METRE = 39.3701;
