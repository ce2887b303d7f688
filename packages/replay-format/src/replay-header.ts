import {
  err,
  ok,
  parseId,
  type Result,
  type StateMessage,
  type Track,
  trackSchema,
  validateMessage,
} from '@gw2race/protocol';
import { ReplayError } from './replay-error';

/** The `format` of every header line. */
export const REPLAY_FORMAT = 'gw2race-replay';
/** The format version this package writes and the newest it reads. */
export const REPLAY_FORMAT_VERSION = 1;

/**
 * How positions are quantized, as integer units per SI unit. Integers on purpose: a reader
 * divides by them, so a 1 mm or 1 cm step comes back as the nearest double of the decimal
 * (`123456 / 100` is exactly `1234.56`), and the same file decodes to the same numbers in any
 * language.
 */
export interface ReplayQuantization {
  /** Time units per second for `t` and the receive time of positions (1000: 1 ms). */
  readonly timeScale: number;
  /** Position units per metre for x, y, z (100: 1 cm). */
  readonly positionScale: number;
  /** Speed units per m/s for `v` (10: 0.1 m/s, the precision of the spec's own examples). */
  readonly speedScale: number;
}

/** Default quantization: 1 ms, 1 cm, 0.1 m/s. */
export const DEFAULT_QUANTIZATION: ReplayQuantization = Object.freeze({
  timeScale: 1000,
  positionScale: 100,
  speedScale: 10,
});

/** A racer's clock offset as the host knew it when the recording started. */
export interface ClockOffset {
  /** Host clock minus client clock, ms. */
  readonly offsetMs: number;
  /** Error bound of `offsetMs`, ms. */
  readonly boundMs?: number;
  /** Round trip to the host, ms. */
  readonly rttMs?: number;
}

/** What the host knows when it starts recording; {@link createReplayWriter} completes it. */
export interface ReplayHeaderInit {
  /** The race id (also the `{raceId}` of the file name). */
  readonly raceId: string;
  /** Host clock when recording starts (epoch s). The core has no clock: the caller passes it. */
  readonly createdAt: number;
  /** The full track, so a recording can be re-judged on its own. */
  readonly track?: Track | null;
  /** The last `state` the host published. */
  readonly state?: StateMessage | null;
  /** GW2 map id; defaults to the state's, then the track's. */
  readonly mapId?: number | null;
  /** Laps; defaults to the state's, then the track's, then 1. */
  readonly laps?: number;
  /** Start instant (epoch s, host clock) if already known; defaults to the state's. */
  readonly t0?: number | null;
  /** Clock offsets known now, by player id. Later ones are in the recorded `ping` messages. */
  readonly clockOffsets?: Readonly<Record<string, ClockOffset>>;
  /** Anything else the host wants to keep (tournament name, stage, operator, ...). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** The header line: the first line of every recording. */
export interface ReplayHeader {
  readonly type: 'header';
  /** Always {@link REPLAY_FORMAT}. */
  readonly format: typeof REPLAY_FORMAT;
  /** Format version ({@link REPLAY_FORMAT_VERSION}). */
  readonly version: number;
  /** Software that wrote the file, e.g. `@gw2race/replay-format 0.1.0`. */
  readonly writer: string;
  readonly raceId: string;
  /** Host clock when recording started (epoch s). */
  readonly createdAt: number;
  /** Time origin of position columns, in time units since the epoch: `round(createdAt × timeScale)`. */
  readonly origin: number;
  readonly quantization: ReplayQuantization;
  /** Members are cut at least this often (by host receive time), ms. */
  readonly flushIntervalMs: number;
  /** A keyframe member starts at least this often, ms. */
  readonly keyframeIntervalMs: number;
  readonly track: Track | null;
  readonly state: StateMessage | null;
  readonly mapId: number | null;
  readonly laps: number;
  readonly t0: number | null;
  readonly clockOffsets: Readonly<Record<string, ClockOffset>>;
  readonly meta?: Readonly<Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 1e9;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function parseClockOffsets(value: unknown): Record<string, ClockOffset> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, ClockOffset> = {};
  for (const [playerId, entry] of Object.entries(value)) {
    if (!isRecord(entry) || !isFiniteNumber(entry.offsetMs)) return undefined;
    const offset: { offsetMs: number; boundMs?: number; rttMs?: number } = {
      offsetMs: entry.offsetMs,
    };
    if (isFiniteNumber(entry.boundMs)) offset.boundMs = entry.boundMs;
    if (isFiniteNumber(entry.rttMs)) offset.rttMs = entry.rttMs;
    out[playerId] = offset;
  }
  return out;
}

/**
 * Completes a header from what the host knows. Throws a {@link ReplayError}
 * (`INVALID_ARGUMENT`) for a bad race id, time or quantization: these come from the program.
 */
export function createReplayHeader(
  init: ReplayHeaderInit,
  settings: {
    readonly writer: string;
    readonly quantization: ReplayQuantization;
    readonly flushIntervalMs: number;
    readonly keyframeIntervalMs: number;
  },
): ReplayHeader {
  const id = parseId('race id', init.raceId);
  if (!id.ok) throw new ReplayError('INVALID_ARGUMENT', id.error.message, { cause: id.error });
  if (!isFiniteNumber(init.createdAt) || init.createdAt < 0) {
    throw new ReplayError(
      'INVALID_ARGUMENT',
      `createdAt must be epoch seconds, got ${init.createdAt}`,
    );
  }
  const q = settings.quantization;
  for (const key of ['timeScale', 'positionScale', 'speedScale'] as const) {
    if (!isPositiveInteger(q[key])) {
      throw new ReplayError('INVALID_ARGUMENT', `quantization.${key} must be a positive integer`);
    }
  }
  const state = init.state ?? null;
  const track = init.track ?? null;
  const header: ReplayHeader = {
    type: 'header',
    format: REPLAY_FORMAT,
    version: REPLAY_FORMAT_VERSION,
    writer: settings.writer,
    raceId: init.raceId,
    createdAt: init.createdAt,
    origin: Math.round(init.createdAt * q.timeScale),
    quantization: {
      timeScale: q.timeScale,
      positionScale: q.positionScale,
      speedScale: q.speedScale,
    },
    flushIntervalMs: settings.flushIntervalMs,
    keyframeIntervalMs: settings.keyframeIntervalMs,
    track,
    state,
    mapId: init.mapId ?? state?.mapId ?? track?.mapId ?? null,
    laps: init.laps ?? state?.laps ?? track?.laps ?? 1,
    t0: init.t0 ?? state?.t0 ?? null,
    clockOffsets: { ...(init.clockOffsets ?? {}) },
    ...(init.meta ? { meta: { ...init.meta } } : {}),
  };
  return header;
}

/**
 * Checks a parsed header line. Fails (`NOT_A_REPLAY`, `UNSUPPORTED_VERSION`, `INVALID_HEADER`)
 * only when positions could not be decoded; a track or state that does not match the protocol
 * schema comes back as `null` with a warning in `warnings`. Never throws.
 */
export function parseReplayHeader(
  value: unknown,
): Result<{ header: ReplayHeader; warnings: ReplayError[] }, ReplayError> {
  if (!isRecord(value) || value.type !== 'header' || value.format !== REPLAY_FORMAT) {
    return err(new ReplayError('NOT_A_REPLAY', 'the first line is not a gw2race-replay header'));
  }
  if (!isPositiveInteger(value.version)) {
    return err(new ReplayError('INVALID_HEADER', 'header version is not a positive integer'));
  }
  if (value.version > REPLAY_FORMAT_VERSION) {
    return err(
      new ReplayError(
        'UNSUPPORTED_VERSION',
        `format version ${value.version} is newer than this reader (${REPLAY_FORMAT_VERSION}): update @gw2race/replay-format`,
      ),
    );
  }
  const problems: string[] = [];
  const q = value.quantization;
  if (
    !isRecord(q) ||
    !isPositiveInteger(q.timeScale) ||
    !isPositiveInteger(q.positionScale) ||
    !isPositiveInteger(q.speedScale)
  ) {
    problems.push('quantization must hold positive integer timeScale, positionScale, speedScale');
  }
  if (typeof value.raceId !== 'string') problems.push('raceId must be a string');
  if (!isFiniteNumber(value.createdAt)) problems.push('createdAt must be a number');
  if (!isFiniteNumber(value.origin) || !Number.isInteger(value.origin)) {
    problems.push('origin must be an integer');
  }
  if (problems.length > 0) {
    return err(new ReplayError('INVALID_HEADER', `invalid header: ${problems.join('; ')}`));
  }
  const warnings: ReplayError[] = [];
  let track: Track | null = null;
  if (value.track !== null && value.track !== undefined) {
    const parsed = trackSchema.safeParse(value.track);
    if (parsed.success) track = parsed.data;
    else
      warnings.push(
        new ReplayError('INVALID_HEADER', 'header track does not match the track schema; ignored', {
          cause: parsed.error,
        }),
      );
  }
  let state: StateMessage | null = null;
  if (value.state !== null && value.state !== undefined) {
    const parsed = validateMessage('state', value.state);
    if (parsed.ok) state = parsed.value;
    else
      warnings.push(
        new ReplayError('INVALID_HEADER', `header state: ${parsed.error.message}; ignored`, {
          cause: parsed.error,
        }),
      );
  }
  const clockOffsets = parseClockOffsets(value.clockOffsets ?? {});
  if (!clockOffsets) {
    warnings.push(new ReplayError('INVALID_HEADER', 'header clockOffsets are malformed; ignored'));
  }
  const quantization = q as unknown as ReplayQuantization;
  const header: ReplayHeader = {
    type: 'header',
    format: REPLAY_FORMAT,
    version: value.version,
    writer: typeof value.writer === 'string' ? value.writer : 'unknown',
    raceId: value.raceId as string,
    createdAt: value.createdAt as number,
    origin: value.origin as number,
    quantization: {
      timeScale: quantization.timeScale,
      positionScale: quantization.positionScale,
      speedScale: quantization.speedScale,
    },
    flushIntervalMs: isFiniteNumber(value.flushIntervalMs) ? value.flushIntervalMs : 0,
    keyframeIntervalMs: isFiniteNumber(value.keyframeIntervalMs) ? value.keyframeIntervalMs : 0,
    track,
    state,
    mapId: isFiniteNumber(value.mapId) ? value.mapId : null,
    laps: isPositiveInteger(value.laps) ? value.laps : 1,
    t0: isFiniteNumber(value.t0) ? value.t0 : null,
    clockOffsets: clockOffsets ?? {},
    ...(isRecord(value.meta) ? { meta: value.meta } : {}),
  };
  return ok({ header, warnings });
}
