import { type MessageOf, POS_FIELDS, type PosField, type ReceivedMessage } from '@gw2race/protocol';
import {
  asciiBytes,
  charCodesToString,
  MAX_PACKED_MAGNITUDE,
  pushPackedInteger,
  unpackIntegerBytes,
} from './packed-integers';
import type { ReplayQuantization } from './replay-header';

/**
 * Position lines: all positions of one member in one line, each racer's samples as packed
 * integer columns (see `packed-integers.ts`), every column coded against a predictor:
 *
 * `{"type":"pos","key":true,"players":["p1","p2"],"n":[20,19],"topic":true,"cols":"t x y z lag v","data":"…"}`
 *
 * `data` holds, player after player (in `players` order), that player's columns in `cols`
 * order, each exactly `n[i]` values. Columns:
 *
 * | column | value (integer) | predictor |
 * |---|---|---|
 * | `t` | `round(t × timeScale) − origin` | step |
 * | `x` `y` `z` | `round(coordinate × positionScale)` | motion |
 * | `lag` | `round(at × timeScale) − origin − t` (host receive time minus `t`) | floor |
 * | `v` | `round(v × speedScale)` | speed |
 * | `mapId` `mount` `seq` | as sent | delta |
 * | `u` | `ceil(u × timeScale)` (rounded up: an uncertainty is never understated) | delta |
 * | `tick` | as sent | delta2 |
 *
 * The first five are always there, in that order; optional ones follow (in this order) when any
 * sample of the line has them, `~` marking samples without. Each stored value is `q − p`, the
 * value minus its prediction. Per player and column, with `h` the number of values decoded since
 * the player's state was last reset, `q1`, `q2` the last two, and `s1`, `s2` the `t` of their
 * samples (`s` this sample's): `p = 0` when `h = 0`; `p = q1` when `h = 1`; from then on
 * *delta* `p = q1`, *delta2* `p = 2·q1 − q2`, and *motion*
 * `p = q1 + floor((2·(q1 − q2)·(s − s1) + d0) / (2·d0))` with `d0 = s1 − s2` (the last velocity
 * over the actual time step; `p = q1` when `d0 ≤ 0`, `s < s1` or `|(q1 − q2)·(s − s1)| > 2^50`).
 * *step* is `p = q1 + round(timeScale / 10)` whenever `h ≥ 1` (the 10 Hz step). *floor* is the
 * smallest of the last `min(h, 8)` values (network delay has a floor and a one-sided jitter).
 * *speed* is the speed of the move from the player's previous sample (since the reset) to this
 * one, which is how the protocol defines `v`: with `dx dy dz` the differences of the quantized
 * positions and `dt` of `t`, `p = floor(sqrt(dx² + dy² + dz²) × (speedScale × timeScale) /
 * (positionScale × dt) + 0.5)` in IEEE-754 doubles, in that order; when there is no previous
 * sample, `dt ≤ 0`, a difference exceeds 2^26 or `p` exceeds 2^46, it falls back to *delta*.
 * A missing value leaves its column's state alone.
 *
 * State is reset for every player when `key` is true (a keyframe member), and for the players
 * whose indexes are in `fresh` (players new since the last keyframe).
 */

/** Columns of a position line, in the order they are written. */
export const POSITION_COLUMNS = [
  't',
  'x',
  'y',
  'z',
  'lag',
  'v',
  'mapId',
  'mount',
  'tick',
  'seq',
  'u',
] as const;

/** A position column name. */
export type PositionColumn = (typeof POSITION_COLUMNS)[number];

const REQUIRED_COUNT = 5;
const OPTIONAL_COLUMNS = ['v', 'mapId', 'mount', 'tick', 'seq', 'u'] as const;
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/** Predictor kinds: 0 delta, 1 delta2, 2 motion, 3 step, 4 floor, 5 speed. */
type Predictor = 0 | 1 | 2 | 3 | 4 | 5;
const DELTA = 0;
const DELTA2 = 1;
const MOTION = 2;
const STEP = 3;
const FLOOR = 4;
const SPEED = 5;
/** Values the floor predictor looks back over. */
const FLOOR_WINDOW = 8;
const SPEED_LIMIT = 2 ** 26;

const PREDICTOR: Record<PositionColumn, Predictor> = {
  t: STEP,
  x: MOTION,
  y: MOTION,
  z: MOTION,
  lag: FLOOR,
  v: SPEED,
  mapId: DELTA,
  mount: DELTA,
  tick: DELTA2,
  seq: DELTA,
  u: DELTA,
};

/** Largest magnitude of a quantized value; larger ones are written as plain event lines. */
export const MAX_QUANTIZED = 2 ** 46;
const MOTION_LIMIT = 2 ** 50;
/**
 * Where a position line keeps each field of a position message: the `players` list, a column
 * of {@link POSITION_COLUMNS}, or `sig`. A `Record` over every field, so a field added to the
 * protocol's schema fails the typecheck here until it is given a place.
 */
export const POS_FIELD_STORAGE: Readonly<
  Record<PosField, 'players' | 'sig' | Exclude<PositionColumn, 'lag'>>
> = {
  playerId: 'players',
  t: 't',
  x: 'x',
  y: 'y',
  z: 'z',
  v: 'v',
  mapId: 'mapId',
  mount: 'mount',
  tick: 'tick',
  u: 'u',
  seq: 'seq',
  sig: 'sig',
};
/** Fields a position line holds; a message with any other is stored as an event line. */
const POS_KEYS: ReadonlySet<string> = new Set(
  POS_FIELDS.filter((field) => POS_FIELD_STORAGE[field] !== undefined),
);

/** A position sample as integers (time units since the origin, position and speed units). */
export interface QuantizedSample {
  t: number;
  lag: number;
  x: number;
  y: number;
  z: number;
  v: number | undefined;
  mapId: number | undefined;
  mount: number | undefined;
  tick: number | undefined;
  seq: number | undefined;
  /** `ceil(u × timeScale)`: the sender's ± on `t`, rounded up so it is never understated. */
  u: number | undefined;
  sig: string | undefined;
}

/** Where and how positions are quantized: the header's `origin` and `quantization`. */
export interface QuantizationFrame {
  readonly origin: number;
  readonly quantization: ReplayQuantization;
}

const fits = (value: number) => Number.isFinite(value) && Math.abs(value) <= MAX_QUANTIZED;
/** Within what a reader accepts for an optional column: a whole number from 0 to `limit`. */
const fitsOptional = (value: number | undefined, limit: number) =>
  value === undefined || (Number.isInteger(value) && value >= 0 && value <= limit);
/** Longest signature a position line holds (the protocol's limit); longer ones are events. */
const MAX_SIG_LENGTH = 64;

/**
 * Quantizes a received position for a position line, or returns `undefined` when it cannot be
 * stored compactly without losing something a reader would see (a field this format does not
 * know, values out of range, a topic player id that differs from the message's) or that a
 * reader would refuse (a player id or signature longer than 64 characters): the writer then
 * stores it exactly, as an event line, and nobody else's positions depend on it.
 */
export function quantizePosition(
  received: ReceivedMessage,
  frame: QuantizationFrame,
): QuantizedSample | undefined {
  if (received.kind !== 'pos') return undefined;
  const message = received.message;
  if (received.playerId !== undefined && received.playerId !== message.playerId) return undefined;
  if (!isPlayerId(message.playerId)) return undefined;
  for (const key in message) {
    if (!POS_KEYS.has(key)) return undefined;
  }
  const { timeScale, positionScale, speedScale } = frame.quantization;
  // `+ 0` turns -0 into 0: JSON has no -0, and a reader must get what it would parse.
  const tq = Math.round(message.t * timeScale) + 0;
  const t = tq - frame.origin;
  const lag = Math.round(received.at * timeScale) - frame.origin - t;
  const x = Math.round(message.x * positionScale) + 0;
  const y = Math.round(message.y * positionScale) + 0;
  const z = Math.round(message.z * positionScale) + 0;
  const v = message.v === undefined ? undefined : Math.round(message.v * speedScale) + 0;
  if (!fits(t) || !fits(lag) || !fits(x) || !fits(y) || !fits(z) || tq < 0) return undefined;
  if (!fitsOptional(v, OPTIONAL_LIMITS.v)) return undefined;
  const u = message.u === undefined ? undefined : Math.ceil(message.u * timeScale - 1e-9) + 0;
  if (
    !fitsOptional(u, OPTIONAL_LIMITS.u) ||
    !fitsOptional(message.mapId, OPTIONAL_LIMITS.mapId) ||
    !fitsOptional(message.mount, OPTIONAL_LIMITS.mount) ||
    !fitsOptional(message.tick, OPTIONAL_LIMITS.tick) ||
    !fitsOptional(message.seq, OPTIONAL_LIMITS.seq)
  ) {
    return undefined;
  }
  if (
    message.sig !== undefined &&
    (typeof message.sig !== 'string' || message.sig.length > MAX_SIG_LENGTH)
  ) {
    return undefined;
  }
  return {
    t,
    lag,
    x,
    y,
    z,
    v,
    mapId: message.mapId,
    mount: message.mount,
    tick: message.tick,
    seq: message.seq,
    u,
    sig: message.sig,
  };
}

/**
 * The position message a reader rebuilds from a quantized sample (positions in metres, times
 * in epoch seconds, optional fields only when present).
 */
export function dequantizePosition(
  playerId: string,
  sample: QuantizedSample,
  frame: QuantizationFrame,
  topic: boolean,
): Extract<ReceivedMessage, { kind: 'pos' }> {
  const { timeScale, positionScale, speedScale } = frame.quantization;
  const message: MessageOf<'pos'> = {
    playerId,
    t: (frame.origin + sample.t) / timeScale,
    x: sample.x / positionScale,
    y: sample.y / positionScale,
    z: sample.z / positionScale,
  };
  if (sample.v !== undefined) message.v = sample.v / speedScale;
  if (sample.mapId !== undefined) message.mapId = sample.mapId;
  if (sample.mount !== undefined) message.mount = sample.mount;
  if (sample.tick !== undefined) message.tick = sample.tick;
  if (sample.seq !== undefined) message.seq = sample.seq;
  if (sample.u !== undefined) message.u = sample.u / timeScale;
  if (sample.sig !== undefined) message.sig = sample.sig;
  const at = (frame.origin + sample.t + sample.lag) / timeScale;
  return topic ? { kind: 'pos', at, message, playerId } : { kind: 'pos', at, message };
}

/**
 * Predictor state of one column: values seen since the reset (capped at 8), the last two values
 * and their sample times, and the last eight values (floor predictor).
 */
interface ColumnState {
  h: number;
  q1: number;
  q2: number;
  s1: number;
  s2: number;
  /** Ring of the last values (floor predictor only); the next slot is `h % 8` while filling. */
  w: number[];
  wi: number;
}

/** Delta state of one player: what their next values are relative to. */
export type RacerDeltaState = Record<PositionColumn, ColumnState>;

/** Resets a state in place, as at a keyframe (saves allocating a new one). */
function resetRacerDeltaState(state: RacerDeltaState): RacerDeltaState {
  for (const column of POSITION_COLUMNS) {
    const st = state[column];
    st.h = 0;
    st.q1 = 0;
    st.q2 = 0;
    st.s1 = 0;
    st.s2 = 0;
    st.wi = 0;
  }
  return state;
}

/** A fresh state, as at a keyframe. */
export function createRacerDeltaState(): RacerDeltaState {
  const state = {} as RacerDeltaState;
  for (const column of POSITION_COLUMNS) {
    state[column] = { h: 0, q1: 0, q2: 0, s1: 0, s2: 0, w: [0, 0, 0, 0, 0, 0, 0, 0], wi: 0 };
  }
  return state;
}

/**
 * floor(a / b) for integers with |a| < 2^52 and b > 0. The double division is then exact enough:
 * a quotient just below an integer k is at least 1/b below it, more than half the spacing of
 * doubles near k (that would need k·b > 2^53), so it never rounds up to k.
 */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * The speed predictor's guess (speed units) for a move of `dx dy dz` position units in `dt`
 * time units, or NaN when it does not apply. Every operation is an IEEE-754 double operation in
 * a fixed order, so any language gets the same integer.
 */
export function predictSpeed(
  dx: number,
  dy: number,
  dz: number,
  dt: number,
  quantization: ReplayQuantization,
): number {
  if (
    !(dt > 0) ||
    Math.abs(dx) > SPEED_LIMIT ||
    Math.abs(dy) > SPEED_LIMIT ||
    Math.abs(dz) > SPEED_LIMIT
  ) {
    return Number.NaN;
  }
  const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const p = Math.floor(
    (distance * (quantization.speedScale * quantization.timeScale)) /
      (quantization.positionScale * dt) +
      0.5,
  );
  return p <= MAX_QUANTIZED ? p : Number.NaN;
}

function predict(
  kind: Predictor,
  state: ColumnState,
  s: number,
  step: number,
  speed: number,
): number {
  if (kind === SPEED && !Number.isNaN(speed)) return speed;
  if (state.h === 0) return 0;
  if (kind === STEP) return state.q1 + step;
  if (kind === FLOOR) {
    const w = state.w;
    const size = Math.min(state.h, FLOOR_WINDOW);
    let min = w[0]!;
    for (let i = 1; i < size; i++) if (w[i]! < min) min = w[i]!;
    return min;
  }
  if (state.h === 1 || kind === DELTA || kind === SPEED) return state.q1;
  const velocity = state.q1 - state.q2;
  if (kind === DELTA2) return state.q1 + velocity;
  const d0 = state.s1 - state.s2;
  const d1 = s - state.s1;
  if (d0 <= 0 || d1 < 0 || Math.abs(velocity * d1) > MOTION_LIMIT) return state.q1;
  return state.q1 + floorDiv(2 * velocity * d1 + d0, 2 * d0);
}

function advance(state: ColumnState, q: number, s: number, kind: Predictor): void {
  state.q2 = state.q1;
  state.s2 = state.s1;
  state.q1 = q;
  state.s1 = s;
  if (kind === FLOOR) {
    state.w[state.wi] = q;
    state.wi = (state.wi + 1) % FLOOR_WINDOW;
  }
  if (state.h < FLOOR_WINDOW) state.h++;
}

/** The `t` step the `step` predictor expects, in time units (a 10 Hz stream). */
export function sampleIntervalOf(quantization: ReplayQuantization): number {
  return Math.round(quantization.timeScale / 10);
}

/** One player's samples in a position line. */
export interface PlayerSamples {
  readonly playerId: string;
  readonly samples: readonly QuantizedSample[];
}

/** What {@link encodePositionLine} writes. */
export interface PositionLineInput {
  /** A keyframe member: every player's state starts fresh. */
  readonly key: boolean;
  /** The samples carried the topic's player id (`ReceivedMessage.playerId`). */
  readonly topic: boolean;
  readonly players: readonly PlayerSamples[];
}

/**
 * Encodes the position line of a member (without the newline), advancing `states`: reset for
 * everyone when `input.key`, created fresh (and listed in `fresh`) for players without one.
 */
export function encodePositionLine(
  input: PositionLineInput,
  states: Map<string, RacerDeltaState>,
  frame: QuantizationFrame,
): string {
  const step = sampleIntervalOf(frame.quantization);
  if (input.key) states.clear();
  const optional = OPTIONAL_COLUMNS.filter((column) =>
    input.players.some((player) => player.samples.some((s) => s[column] !== undefined)),
  );
  const columns: PositionColumn[] = ['t', 'x', 'y', 'z', 'lag', ...optional];
  const codes: number[] = [];
  const fresh: number[] = [];
  input.players.forEach((player, index) => {
    let state = states.get(player.playerId);
    if (!state) {
      state = createRacerDeltaState();
      states.set(player.playerId, state);
      if (!input.key) fresh.push(index);
    }
    // The sample before this chunk (for the speed predictor), taken before the state moves on.
    const before =
      state.t.h > 0 ? { t: state.t.q1, x: state.x.q1, y: state.y.q1, z: state.z.q1 } : undefined;
    for (const column of columns) {
      const kind = PREDICTOR[column];
      const st = state[column];
      player.samples.forEach((sample, i) => {
        const q = sample[column];
        if (q === undefined) {
          pushPackedInteger(codes, undefined);
          return;
        }
        let speed = Number.NaN;
        if (kind === SPEED) {
          const previous = i > 0 ? player.samples[i - 1] : before;
          if (previous) {
            speed = predictSpeed(
              sample.x - previous.x,
              sample.y - previous.y,
              sample.z - previous.z,
              sample.t - previous.t,
              frame.quantization,
            );
          }
        }
        const residual = q - predict(kind, st, sample.t, step, speed);
        if (Math.abs(residual) > MAX_PACKED_MAGNITUDE) {
          throw new RangeError(`residual ${residual} out of range in column ${column}`);
        }
        pushPackedInteger(codes, residual + 0);
        advance(st, q, sample.t, kind);
      });
    }
  });
  const line: Record<string, unknown> = {
    type: 'pos',
    key: input.key,
    ...(fresh.length > 0 ? { fresh } : {}),
    players: input.players.map((player) => player.playerId),
    n: input.players.map((player) => player.samples.length),
    ...(input.topic ? { topic: true } : {}),
    cols: columns.join(' '),
    data: charCodesToString(codes),
  };
  if (input.players.some((player) => player.samples.some((s) => s.sig !== undefined))) {
    line.sig = input.players.flatMap((player) => player.samples.map((s) => s.sig ?? null));
  }
  return JSON.stringify(line);
}

/**
 * One player's decoded samples: integer columns inside the line's shared `values` array,
 * column `c` of this player at `values[offset + c·n .. offset + (c+1)·n)`. Optional columns
 * the line lacks have offset -1; missing values inside one are `NaN`.
 */
export interface DecodedChunk {
  readonly playerId: string;
  readonly topic: boolean;
  readonly n: number;
  /** The line's values (shared by all its players). */
  readonly values: Float64Array;
  /** Offset of `t` (time units since the origin). */
  readonly t: number;
  /** Offset of the receive time minus `t` (time units). */
  readonly lag: number;
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly v: number;
  readonly mapId: number;
  readonly mount: number;
  readonly tick: number;
  readonly seq: number;
  readonly u: number;
  /** This player's signatures, when the line has any. */
  readonly sig: readonly (string | null)[] | undefined;
}

/**
 * The `data` string of a position line as bytes of the line (`bytes[start .. end)`, between
 * its quotes), so it is unpacked without building a string.
 */
export interface PackedData {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * A buffer {@link decodePositionLine} may decode into instead of allocating one per line (which
 * costs more than decoding a small line): the chunks it returns then share `values` and are
 * only valid until the next line is decoded with the same scratch.
 */
export interface DecodeScratch {
  values: Float64Array;
}

/** A problem with one player of a position line; the others decode. */
export interface PlayerProblem {
  readonly playerId: string;
  /** `missing-state`: the line continues from data this reader does not have. */
  readonly kind: 'missing-state' | 'invalid';
  readonly message: string;
}

/** What {@link decodePositionLine} gives back. */
export type DecodedPositionLine =
  | { readonly ok: true; readonly chunks: DecodedChunk[]; readonly problems: PlayerProblem[] }
  | { readonly ok: false; readonly message: string };

const OPTIONAL_LIMITS: Record<OptionalColumn, number> = {
  v: MAX_QUANTIZED,
  mapId: 0xffffffff,
  mount: 255,
  tick: 0xffffffff,
  seq: MAX_QUANTIZED,
  u: MAX_QUANTIZED,
};

const REQUIRED_COLUMNS = 't x y z lag';
const KNOWN_COLUMNS = new Set<string>(POSITION_COLUMNS);
const columnsCache = new Map<string, string[] | undefined>();

/** The names of a `cols` field, or undefined when it does not start with the required ones. */
function parseColumns(cols: string): string[] | undefined {
  if (columnsCache.has(cols)) return columnsCache.get(cols);
  const list = cols.split(' ');
  const valid =
    (cols === REQUIRED_COLUMNS || cols.startsWith(`${REQUIRED_COLUMNS} `)) &&
    list.length <= 32 &&
    list.every((name) => name.length > 0) &&
    new Set(list).size === list.length;
  const names = valid ? list : undefined;
  if (columnsCache.size < 256) columnsCache.set(cols, names);
  return names;
}

const isPlayerId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 64;
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1_000_000;

/**
 * Decodes a parsed position line, advancing `states` (reset on a key line). A player whose
 * state is missing (data lost before a continuation) or whose values are invalid is reported
 * in `problems` and dropped from `states`; the other players decode. A malformed line fails as
 * a whole. Never throws.
 */
export function decodePositionLine(
  value: Record<string, unknown>,
  states: Map<string, RacerDeltaState>,
  frame: QuantizationFrame,
  scratch?: DecodeScratch,
  packed?: PackedData,
): DecodedPositionLine {
  const { key, players, n, cols, fresh } = value;
  // `data` cut out of the line by the caller (left as "" in `value`): read from its bytes.
  const data = packed && value.data === '' ? packed : value.data;
  if (typeof key !== 'boolean')
    return { ok: false, message: 'position line without a boolean key' };
  if (!Array.isArray(players) || !players.every(isPlayerId)) {
    return { ok: false, message: 'position line without a valid players list' };
  }
  if (!Array.isArray(n) || n.length !== players.length || !n.every(isCount)) {
    return { ok: false, message: 'position line without one sample count per player' };
  }
  if (typeof cols !== 'string' || (typeof data !== 'string' && data !== packed)) {
    return { ok: false, message: 'position line without cols and data strings' };
  }
  let dataBytes: Uint8Array;
  let at = 0;
  let dataEnd: number;
  if (typeof data === 'string') {
    dataBytes = asciiBytes(data);
    dataEnd = dataBytes.length;
  } else {
    dataBytes = packed!.bytes;
    at = packed!.start;
    dataEnd = packed!.end;
  }
  const freshSet = new Set<number>();
  if (fresh !== undefined) {
    if (!Array.isArray(fresh) || !fresh.every((i) => Number.isInteger(i))) {
      return { ok: false, message: 'position line with a malformed fresh list' };
    }
    for (const i of fresh as number[]) freshSet.add(i);
  }
  const names = parseColumns(cols);
  if (!names) {
    return {
      ok: false,
      message: `position line with unusable cols ${JSON.stringify(cols.slice(0, 80))}`,
    };
  }
  let total = 0;
  for (const count of n as number[]) total += count;
  let sig: unknown[] | undefined;
  if (value.sig !== undefined) {
    if (
      !Array.isArray(value.sig) ||
      value.sig.length !== total ||
      !value.sig.every((s) => s === null || (typeof s === 'string' && s.length <= MAX_SIG_LENGTH))
    ) {
      return { ok: false, message: 'sig is not one string or null per sample' };
    }
    sig = value.sig;
  }
  // On a key line every player starts again; players not in it are forgotten.
  let previous: Map<string, RacerDeltaState> | undefined;
  if (key) {
    previous = new Map(states);
    states.clear();
  }
  const topic = value.topic === true;
  const width = names.length;
  let values: Float64Array;
  if (scratch) {
    if (scratch.values.length < total * width) {
      scratch.values = new Float64Array(Math.max(total * width, scratch.values.length * 2));
    }
    values = scratch.values;
  } else {
    values = new Float64Array(total * width);
  }
  const columnIndex = new Int32Array(POSITION_COLUMNS.length).fill(-1);
  names.forEach((name, c) => {
    const known = POSITION_COLUMNS.indexOf(name as PositionColumn);
    if (known >= 0) columnIndex[known] = c;
  });
  const chunks: DecodedChunk[] = [];
  const problems: PlayerProblem[] = [];
  let offset = 0;
  let sampleStart = 0;
  for (let p = 0; p < players.length; p++) {
    const playerId = players[p] as string;
    const count = (n as number[])[p]!;
    const base = offset;
    // Unpack every column first: the string position must advance even for a skipped player.
    for (let c = 0; c < width; c++) {
      at = unpackIntegerBytes(dataBytes, at, dataEnd, count, values, base + c * count);
      if (at < 0) return { ok: false, message: `data ends or breaks inside player ${playerId}` };
    }
    offset += width * count;
    const sampleOffset = sampleStart;
    sampleStart += count;
    let state = states.get(playerId);
    if (key || freshSet.has(p)) {
      const reusable = key ? previous?.get(playerId) : state;
      state = reusable ? resetRacerDeltaState(reusable) : createRacerDeltaState();
      states.set(playerId, state);
    } else if (!state) {
      problems.push({
        playerId,
        kind: 'missing-state',
        message: `positions of ${JSON.stringify(playerId)} continue from data that was lost; skipped until the next keyframe`,
      });
      continue;
    }
    const problem = undeltaPlayer(values, base, count, names, state, frame);
    if (problem) {
      states.delete(playerId);
      problems.push({ playerId, kind: 'invalid', message: `${playerId}: ${problem}` });
      continue;
    }
    const offsetOf = (column: PositionColumn) => {
      const c = columnIndex[POSITION_COLUMNS.indexOf(column)]!;
      return c < 0 ? -1 : base + c * count;
    };
    chunks.push({
      playerId,
      topic,
      n: count,
      values,
      t: base,
      x: base + count,
      y: base + 2 * count,
      z: base + 3 * count,
      lag: base + 4 * count,
      v: offsetOf('v'),
      mapId: offsetOf('mapId'),
      mount: offsetOf('mount'),
      tick: offsetOf('tick'),
      seq: offsetOf('seq'),
      u: offsetOf('u'),
      sig: sig ? (sig.slice(sampleOffset, sampleOffset + count) as (string | null)[]) : undefined,
    });
  }
  if (at !== dataEnd)
    return { ok: false, message: 'data holds more than players and cols describe' };
  return { ok: true, chunks, problems };
}

/** Turns one player's residuals into values in place; returns a problem, or undefined. */
function undeltaPlayer(
  values: Float64Array,
  base: number,
  count: number,
  names: readonly string[],
  state: RacerDeltaState,
  frame: QuantizationFrame,
): string | undefined {
  const step = sampleIntervalOf(frame.quantization);
  // The sample before this chunk (for the speed predictor), taken before the state moves on.
  const hasBefore = state.t.h > 0;
  const beforeT = state.t.q1;
  const beforeX = state.x.q1;
  const beforeY = state.y.q1;
  const beforeZ = state.z.q1;
  // t x y z (always the first four columns) in one pass when their states agree, as they do
  // unless a caller mixed states: four independent chains per sample instead of one.
  let first = 0;
  if (motionStatesAgree(state)) {
    const problem = undeltaPosition(values, base, count, state, step);
    if (problem !== undefined) return problem;
    first = 4;
  }
  for (let c = first; c < names.length; c++) {
    const name = names[c]!;
    if (!KNOWN_COLUMNS.has(name)) continue;
    const column = name as PositionColumn;
    const kind = PREDICTOR[column];
    const start = base + c * count;
    const optional = c >= REQUIRED_COUNT;
    if (kind === SPEED) {
      if (
        !undeltaSpeed(
          values,
          start,
          count,
          base,
          state[column],
          frame.quantization,
          hasBefore,
          beforeT,
          beforeX,
          beforeY,
          beforeZ,
        )
      ) {
        return `column ${column} decodes out of range`;
      }
      continue;
    }
    if (!undelta(values, start, count, base, state[column], kind, optional, step)) {
      return `column ${column} has a missing value or decodes out of range`;
    }
    const end = start + count;
    if (optional) {
      const limit = OPTIONAL_LIMITS[column as OptionalColumn];
      for (let i = start; i < end; i++) {
        const q = values[i]!;
        if (q < 0 || q > limit) return `column ${column} decodes to ${q}, out of range`;
      }
    }
  }
  for (let i = base; i < base + count; i++) {
    if (frame.origin + values[i]! < 0) return 'a time decodes before the epoch';
  }
  return undefined;
}

/** True when x, y and z carry the same history as t (what {@link undeltaPosition} assumes). */
function motionStatesAgree(state: RacerDeltaState): boolean {
  const { t, x, y, z } = state;
  return (
    x.h === t.h &&
    y.h === t.h &&
    z.h === t.h &&
    x.s1 === t.q1 &&
    y.s1 === t.q1 &&
    z.s1 === t.q1 &&
    x.s2 === t.q2 &&
    y.s2 === t.q2 &&
    z.s2 === t.q2
  );
}

/**
 * The t, x, y and z columns of one player, in place, in a single pass over the samples: the
 * step predictor for t, the motion predictor for x y z (their time differences are shared).
 * Exactly what {@link undelta} computes column by column; returns a problem, or undefined.
 */
function undeltaPosition(
  values: Float64Array,
  base: number,
  count: number,
  state: RacerDeltaState,
  step: number,
): string | undefined {
  const T = state.t;
  const X = state.x;
  const Y = state.y;
  const Z = state.z;
  let h = T.h;
  let t1 = T.q1;
  let t2 = T.q2;
  let x1 = X.q1;
  let x2 = X.q2;
  let y1 = Y.q1;
  let y2 = Y.q2;
  let z1 = Z.q1;
  let z2 = Z.q2;
  const xs = base + count;
  const ys = xs + count;
  const zs = ys + count;
  for (let i = 0; i < count; i++) {
    const rt = values[base + i]!;
    const rx = values[xs + i]!;
    const ry = values[ys + i]!;
    const rz = values[zs + i]!;
    // NaN (a missing value) fails every comparison.
    const s = h === 0 ? rt : t1 + step + rt;
    if (!(s >= -MAX_QUANTIZED && s <= MAX_QUANTIZED))
      return 'column t has a missing value or decodes out of range';
    let px = x1;
    let py = y1;
    let pz = z1;
    if (h === 0) {
      px = 0;
      py = 0;
      pz = 0;
    } else if (h > 1) {
      const d0 = t1 - t2;
      const d1 = s - t1;
      if (d0 > 0 && d1 >= 0) {
        const vx = x1 - x2;
        const vy = y1 - y2;
        const vz = z1 - z2;
        const d2 = 2 * d0;
        if (Math.abs(vx * d1) <= MOTION_LIMIT) px += Math.floor((2 * vx * d1 + d0) / d2);
        if (Math.abs(vy * d1) <= MOTION_LIMIT) py += Math.floor((2 * vy * d1 + d0) / d2);
        if (Math.abs(vz * d1) <= MOTION_LIMIT) pz += Math.floor((2 * vz * d1 + d0) / d2);
      }
    }
    const qx = px + rx;
    const qy = py + ry;
    const qz = pz + rz;
    if (!(qx >= -MAX_QUANTIZED && qx <= MAX_QUANTIZED))
      return 'column x has a missing value or decodes out of range';
    if (!(qy >= -MAX_QUANTIZED && qy <= MAX_QUANTIZED))
      return 'column y has a missing value or decodes out of range';
    if (!(qz >= -MAX_QUANTIZED && qz <= MAX_QUANTIZED))
      return 'column z has a missing value or decodes out of range';
    values[base + i] = s;
    values[xs + i] = qx;
    values[ys + i] = qy;
    values[zs + i] = qz;
    t2 = t1;
    t1 = s;
    x2 = x1;
    x1 = qx;
    y2 = y1;
    y1 = qy;
    z2 = z1;
    z1 = qz;
    if (h < FLOOR_WINDOW) h++;
  }
  T.h = h;
  X.h = h;
  Y.h = h;
  Z.h = h;
  T.q1 = t1;
  T.q2 = t2;
  T.s1 = t1;
  T.s2 = t2;
  X.q1 = x1;
  X.q2 = x2;
  Y.q1 = y1;
  Y.q2 = y2;
  Z.q1 = z1;
  Z.q2 = z2;
  X.s1 = t1;
  X.s2 = t2;
  Y.s1 = t1;
  Y.s2 = t2;
  Z.s1 = t1;
  Z.s2 = t2;
  return undefined;
}

/**
 * The `v` column: speed predictor, falling back to delta, in place. The player's t x y z are the
 * first four columns at `base`; `before*` is their last sample before this line, if any.
 */
function undeltaSpeed(
  values: Float64Array,
  start: number,
  count: number,
  base: number,
  state: ColumnState,
  quantization: ReplayQuantization,
  hasBefore: boolean,
  beforeT: number,
  beforeX: number,
  beforeY: number,
  beforeZ: number,
): boolean {
  const xs = base + count;
  const ys = base + 2 * count;
  const zs = base + 3 * count;
  // predictSpeed, inlined: the same operations in the same order.
  const numerator = quantization.speedScale * quantization.timeScale;
  const positionScale = quantization.positionScale;
  let { h, q1, q2, s1, s2 } = state;
  let pt = beforeT;
  let px = beforeX;
  let py = beforeY;
  let pz = beforeZ;
  let previous = hasBefore;
  for (let i = 0; i < count; i++) {
    const t = values[base + i]!;
    const x = values[xs + i]!;
    const y = values[ys + i]!;
    const z = values[zs + i]!;
    const r = values[start + i]!;
    if (!Number.isNaN(r)) {
      let p = Number.NaN;
      if (previous) {
        const dx = x - px;
        const dy = y - py;
        const dz = z - pz;
        const dt = t - pt;
        if (
          dt > 0 &&
          Math.abs(dx) <= SPEED_LIMIT &&
          Math.abs(dy) <= SPEED_LIMIT &&
          Math.abs(dz) <= SPEED_LIMIT
        ) {
          const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
          p = Math.floor((distance * numerator) / (positionScale * dt) + 0.5);
          if (!(p <= MAX_QUANTIZED)) p = Number.NaN;
        }
      }
      if (Number.isNaN(p)) p = h === 0 ? 0 : q1;
      const q = p + r;
      if (!(q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED)) return false;
      values[start + i] = q;
      q2 = q1;
      s2 = s1;
      q1 = q;
      s1 = t;
      if (h < FLOOR_WINDOW) h++;
    }
    pt = t;
    px = x;
    py = y;
    pz = z;
    previous = true;
  }
  state.h = h;
  state.q1 = q1;
  state.q2 = q2;
  state.s1 = s1;
  state.s2 = s2;
  return true;
}

/**
 * Replaces the residuals `values[start .. start + count)` by values, in place; the samples'
 * times are `values[times .. times + count)` (the `t` column, decoded first). False if a
 * required value is missing or a value decodes out of range.
 */
function undelta(
  values: Float64Array,
  start: number,
  count: number,
  times: number,
  state: ColumnState,
  kind: Predictor,
  optional: boolean,
  step: number,
): boolean {
  const end = start + count;
  const shift = times - start;
  if (kind === STEP && !optional) {
    // The hot path (t): a running sum, state kept in locals.
    let { h, q1, q2, s1, s2 } = state;
    for (let i = start; i < end; i++) {
      const r = values[i]!;
      if (Number.isNaN(r)) return false;
      const q = h === 0 ? r : q1 + step + r;
      if (!(q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED)) return false;
      values[i] = q;
      q2 = q1;
      s2 = s1;
      q1 = q;
      s1 = q;
      if (h < FLOOR_WINDOW) h++;
    }
    state.h = h;
    state.q1 = q1;
    state.q2 = q2;
    state.s1 = s1;
    state.s2 = s2;
    return true;
  }
  if (kind === MOTION && !optional) {
    // x, y, z: the hot path, state in locals.
    let { h, q1, q2, s1, s2 } = state;
    for (let i = start; i < end; i++) {
      const r = values[i]!;
      if (Number.isNaN(r)) return false;
      const s = values[i + shift]!;
      let p: number;
      if (h === 0) p = 0;
      else if (h === 1) p = q1;
      else {
        const velocity = q1 - q2;
        const d0 = s1 - s2;
        const d1 = s - s1;
        p =
          d0 <= 0 || d1 < 0 || Math.abs(velocity * d1) > MOTION_LIMIT
            ? q1
            : q1 + floorDiv(2 * velocity * d1 + d0, 2 * d0);
      }
      const q = p + r;
      if (!(q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED)) return false;
      values[i] = q;
      q2 = q1;
      s2 = s1;
      q1 = q;
      s1 = s;
      if (h < FLOOR_WINDOW) h++;
    }
    state.h = h;
    state.q1 = q1;
    state.q2 = q2;
    state.s1 = s1;
    state.s2 = s2;
    return true;
  }
  if (kind === FLOOR && !optional) {
    // lag: the smallest of the last values, from a ring kept in the state. The smallest, `m`,
    // is kept up to date as values come and go (`age`: how many values ago its newest
    // occurrence came), and looked for again only when it leaves the window.
    const { w } = state;
    let { h, q1, q2, s1, s2, wi } = state;
    let m = 0;
    let age = 0;
    for (let k = 0; k < h; k++) {
      const v = w[(wi - 1 - k) & (FLOOR_WINDOW - 1)]!;
      if (k === 0 || v < m) {
        m = v;
        age = k;
      }
    }
    for (let i = start; i < end; i++) {
      const r = values[i]!;
      const q = (h > 0 ? m : 0) + r;
      // NaN (a missing value) fails the comparisons too.
      if (!(q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED)) return false;
      values[i] = q;
      q2 = q1;
      s2 = s1;
      q1 = q;
      s1 = values[i + shift]!;
      w[wi] = q;
      wi = (wi + 1) & (FLOOR_WINDOW - 1);
      if (h === 0 || q <= m) {
        m = q;
        age = 0;
      } else if (++age >= FLOOR_WINDOW) {
        // The smallest just left the window: find the smallest of the eight left.
        m = q;
        age = 0;
        for (let k = 1; k < FLOOR_WINDOW; k++) {
          const v = w[(wi - 1 - k) & (FLOOR_WINDOW - 1)]!;
          if (v < m) {
            m = v;
            age = k;
          }
        }
      }
      if (h < FLOOR_WINDOW) h++;
    }
    state.h = h;
    state.q1 = q1;
    state.q2 = q2;
    state.s1 = s1;
    state.s2 = s2;
    state.wi = wi;
    return true;
  }
  for (let i = start; i < end; i++) {
    const r = values[i]!;
    if (Number.isNaN(r)) {
      if (!optional) return false;
      continue;
    }
    const s = values[i + shift]!;
    const q = predict(kind, state, s, step, Number.NaN) + r;
    if (!(q >= -MAX_QUANTIZED && q <= MAX_QUANTIZED)) return false;
    values[i] = q;
    advance(state, q, s, kind);
  }
  return true;
}
