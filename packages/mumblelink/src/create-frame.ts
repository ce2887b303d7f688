import type {
  Gw2Context,
  MumbleLinkFrame,
  MumbleLinkIdentity,
  Pose,
  ServerAddress,
  UiState,
  Vec3,
} from './frame';
import { formatIdentity, parseIdentity } from './identity';
import type { MapTypeName, MountName } from './layout';
import { MAP_TYPE_NAMES, MOUNT_NAMES } from './layout';

/** What {@link createFrame} takes: any part of a frame; the rest gets plausible GW2 values. */
export interface FrameInit {
  /** Default 2, as GW2 writes. */
  version?: number;
  /** Default 1. */
  tick?: number;
  /** Default at the origin, facing +Z. */
  avatar?: Partial<Pose>;
  /** Default 5 m behind and 2 m above the avatar's default place, facing +Z. */
  camera?: Partial<Pose>;
  /** Default "Guild Wars 2". */
  name?: string;
  /**
   * Fields of the identity (its `mapId` defaults to the context's); `null` to take the identity
   * from `identityJson` instead.
   */
  identity?: Partial<MumbleLinkIdentity> | null;
  /**
   * Raw identity text, used only when `identity` is `null` (default `''`, as before a character
   * is loaded). Text that is not a valid identity is kept verbatim, with `identity: null` and the
   * reason in `identityError`, exactly as decoding it gives; a valid one is parsed.
   */
  identityJson?: string;
  /** Default 48, as GW2 writes. */
  contextLength?: number;
  /** Context fields; `mount` and `mapTypeName` may be given instead of the raw indices. */
  context?: ContextInit;
  /** Default `''`. */
  description?: string;
}

/** The context part of {@link FrameInit}. */
export type ContextInit = Partial<
  Omit<Gw2Context, 'uiState' | 'mount' | 'mapTypeName' | 'serverAddress'>
> & {
  /** Named `uiState` bits to set. */
  uiState?: Partial<UiState>;
  /** Mount by name (sets `mountIndex`); `null` for none. */
  mount?: MountName | null;
  /** Map type by name (sets `mapType`). */
  mapTypeName?: MapTypeName;
  /** Server address, `null` for none. */
  serverAddress?: ServerAddress | null;
};

const ZERO: Vec3 = { x: 0, y: 0, z: 0 };
const FORWARD: Vec3 = { x: 0, y: 0, z: 1 };

/**
 * Builds a complete, consistent frame from the fields you care about: what a simulation bot or a
 * test writes through a writer. Derived fields (`mount`, `mapTypeName`, `uiStateBits`,
 * `identityJson`) agree with the raw ones, so `decodeFrame(encodeFrame(frame))` equals `frame`
 * (numbers given as float32-representable values).
 *
 * @example
 * writer.write(createFrame({ tick: 42, avatar: { position: { x: 10, y: 2, z: -30 } },
 *   context: { mapId: 1206, mount: 'roller-beetle' } }));
 */
export function createFrame(init: FrameInit = {}): MumbleLinkFrame {
  const contextInit = init.context ?? {};
  const mountIndex =
    contextInit.mount !== undefined
      ? contextInit.mount === null
        ? 0
        : MOUNT_NAMES.indexOf(contextInit.mount)
      : (contextInit.mountIndex ?? 0);
  const mapType =
    contextInit.mapTypeName !== undefined
      ? MAP_TYPE_NAMES.indexOf(contextInit.mapTypeName)
      : (contextInit.mapType ?? 5);
  const mapId = contextInit.mapId ?? 15;
  const uiState: UiState = {
    mapOpen: false,
    compassTopRight: false,
    compassRotation: false,
    gameFocus: true,
    competitive: false,
    textboxFocus: false,
    inCombat: false,
    ...contextInit.uiState,
  };
  let uiStateBits = contextInit.uiStateBits ?? 0;
  (Object.keys(uiState) as (keyof UiState)[]).forEach((key, bit) => {
    uiStateBits = uiState[key] ? uiStateBits | (1 << bit) : uiStateBits & ~(1 << bit);
  });
  const context: Gw2Context = {
    serverAddress:
      contextInit.serverAddress === undefined
        ? { family: 'ipv4', address: '34.230.8.30', port: 0 }
        : contextInit.serverAddress,
    mapId,
    mapType,
    mapTypeName: MAP_TYPE_NAMES[mapType] ?? 'unknown',
    shardId: contextInit.shardId ?? 0,
    instance: contextInit.instance ?? 0,
    buildId: contextInit.buildId ?? 0,
    uiState,
    uiStateBits: uiStateBits >>> 0,
    compassWidth: contextInit.compassWidth ?? 362,
    compassHeight: contextInit.compassHeight ?? 362,
    compassRotation: contextInit.compassRotation ?? 0,
    playerX: contextInit.playerX ?? 0,
    playerY: contextInit.playerY ?? 0,
    mapCenterX: contextInit.mapCenterX ?? 0,
    mapCenterY: contextInit.mapCenterY ?? 0,
    mapScale: contextInit.mapScale ?? 1,
    processId: contextInit.processId ?? 4242,
    mountIndex,
    mount: mountIndex < MOUNT_NAMES.length ? MOUNT_NAMES[mountIndex]! : 'unknown',
  };
  let identity: MumbleLinkIdentity | null = null;
  let identityError: string | null = null;
  let identityJson = init.identityJson ?? '';
  if (init.identity === null) {
    const parsed = parseIdentity(identityJson);
    if (parsed.ok) identity = parsed.value;
    else identityError = parsed.error;
  } else {
    identity = {
      name: 'Racer',
      profession: 4,
      spec: 0,
      race: 2,
      mapId,
      worldId: 0,
      teamColorId: 0,
      commander: false,
      fov: 0.873,
      uiSize: 1,
      ...init.identity,
    };
  }
  if (identity !== null) identityJson = formatIdentity(identity);
  return {
    version: init.version ?? 2,
    tick: init.tick ?? 1,
    avatar: { position: ZERO, front: FORWARD, top: ZERO, ...init.avatar },
    camera: { position: { x: 0, y: 2, z: -5 }, front: FORWARD, top: ZERO, ...init.camera },
    name: init.name ?? 'Guild Wars 2',
    identity,
    identityError,
    identityJson,
    contextLength: init.contextLength ?? 48,
    context,
    description: init.description ?? '',
  };
}
