import { RACE_RELATIVE_LIMIT } from '@gw2race/protocol';
import type { MemberCache } from './member-cache';
import { positionChunks } from './position-chunks';
import type { DecodedChunk } from './position-line';
import type { PositionsAtOptions, RacerPosition } from './replay';
import { lastMemberBefore, t0At } from './start-instants';

/** Lookback before an instant, so the sample before it is decoded even if it arrived earlier. */
const LOOKBACK_S = 2;
/** How long after an instant samples for it may still arrive (network lag). */
export const LAG_MARGIN_S = 2;

/** A racer's samples around an instant: the one at or before it, and the one after. */
interface Bracket {
  before: DecodedChunk | undefined;
  beforeIndex: number;
  /** `t` of the sample before, in time units from the origin, race-relative ones shifted. */
  beforeT: number;
  after: DecodedChunk | undefined;
  afterIndex: number;
  afterT: number;
}

/**
 * Converts `t` of samples (time units from the origin) for comparing with an instant: a
 * race-relative `t` (below 1e9 s) counts from the start instant in effect at `time`, looked up
 * only when such a sample turns up.
 */
class SampleClock {
  private readonly relativeBelow: number;
  private start: number | null | undefined;
  private shift = 0;

  constructor(
    private readonly members: MemberCache,
    private readonly time: number,
  ) {
    const { header } = members.source;
    this.relativeBelow = RACE_RELATIVE_LIMIT * header.quantization.timeScale - header.origin;
  }

  /** `t` in the units of the target, epoch-based. */
  epochUnits(t: number): number {
    if (t >= this.relativeBelow) return t;
    if (this.start === undefined) {
      const { header } = this.members.source;
      this.start = t0At(this.members, this.time, header.t0);
      this.shift = this.start === null ? 0 : this.start * header.quantization.timeScale;
    }
    return t + this.shift;
  }

  /** Epoch seconds of a `t` (time units from the origin), as the race engine converts it. */
  seconds(t: number): number {
    const { header } = this.members.source;
    const value = (header.origin + t) / header.quantization.timeScale;
    const { start } = this;
    return t >= this.relativeBelow || start === undefined || start === null ? value : start + value;
  }
}

/** Every racer's samples just before and after `target` in members `first..last`. */
function findBrackets(
  members: MemberCache,
  first: number,
  last: number,
  target: number,
  clock: SampleClock,
): Map<string, Bracket> {
  const { header } = members.source;
  const found = new Map<string, Bracket>();
  for (let i = first; i <= last; i++) {
    for (const chunk of positionChunks(members.ensure(i, true).decoded, header)) {
      let bracket = found.get(chunk.playerId);
      if (!bracket) {
        bracket = {
          before: undefined,
          beforeIndex: 0,
          beforeT: 0,
          after: undefined,
          afterIndex: 0,
          afterT: 0,
        };
        found.set(chunk.playerId, bracket);
      }
      const { values } = chunk;
      for (let k = 0; k < chunk.n; k++) {
        const t = clock.epochUnits(values[chunk.t + k]!);
        if (t <= target) {
          if (!bracket.before || t >= bracket.beforeT) {
            bracket.before = chunk;
            bracket.beforeIndex = k;
            bracket.beforeT = t;
          }
        } else if (!bracket.after || t < bracket.afterT) {
          bracket.after = chunk;
          bracket.afterIndex = k;
          bracket.afterT = t;
        }
      }
    }
  }
  return found;
}

/** A racer's position at `target` from its bracket, or undefined when too old. */
function positionOf(
  playerId: string,
  bracket: Bracket,
  target: number,
  members: MemberCache,
  clock: SampleClock,
  limits: { maxGap: number; maxAge: number },
): RacerPosition | undefined {
  const { timeScale, positionScale, speedScale } = members.source.header.quantization;
  const a = bracket.before;
  if (!a) return undefined;
  const i = bracket.beforeIndex;
  const ta = bracket.beforeT;
  const age = (target - ta) / timeScale;
  if (age > limits.maxAge) return undefined;
  const b = bracket.after;
  const j = bracket.afterIndex;
  const tb = b ? bracket.afterT : Number.NaN;
  const interpolate = b !== undefined && (tb - ta) / timeScale <= limits.maxGap && tb > ta;
  const f = interpolate ? (target - ta) / (tb - ta) : 0;
  const lerp = (column: 'x' | 'y' | 'z' | 'v', scale: number): number => {
    const va = a.values[a[column] + i]!;
    if (!interpolate || !b || b[column] < 0) return va / scale;
    const vb = b.values[b[column] + j]!;
    return Number.isNaN(vb) ? va / scale : (va + (vb - va) * f) / scale;
  };
  const position: {
    -readonly [K in keyof RacerPosition]: RacerPosition[K];
  } = {
    playerId,
    x: lerp('x', positionScale),
    y: lerp('y', positionScale),
    z: lerp('z', positionScale),
    interpolated: interpolate,
    before: clock.seconds(a.values[a.t + i]!),
    ageMs: age * 1000,
  };
  if (a.v >= 0 && !Number.isNaN(a.values[a.v + i]!)) position.v = lerp('v', speedScale);
  if (a.mapId >= 0 && !Number.isNaN(a.values[a.mapId + i]!))
    position.mapId = a.values[a.mapId + i]!;
  if (a.mount >= 0 && !Number.isNaN(a.values[a.mount + i]!))
    position.mount = a.values[a.mount + i]!;
  if (interpolate && b) position.after = clock.seconds(b.values[b.t + j]!);
  return position;
}

/**
 * Every racer's position at `time` (epoch s, organizer clock), interpolated between the samples
 * around it: decodes from the keyframe before the instant to the members samples for it may
 * still arrive in.
 */
export function racerPositions(
  members: MemberCache,
  time: number,
  options: PositionsAtOptions = {},
): RacerPosition[] {
  const { slots, header } = members.source;
  const limits = {
    maxGap: (options.maxGapMs ?? 1000) / 1000,
    maxAge: (options.maxAgeMs ?? 5000) / 1000,
  };
  if (slots.length <= 1) return [];
  const last = Math.max(1, lastMemberBefore(slots, time + LAG_MARGIN_S));
  let first = Math.max(1, lastMemberBefore(slots, time - Math.max(LOOKBACK_S, limits.maxAge)));
  while (first > 1 && !slots[first]!.entry.keyframe) first--;
  const target = time * header.quantization.timeScale - header.origin;
  const clock = new SampleClock(members, time);
  const out: RacerPosition[] = [];
  for (const [playerId, bracket] of findBrackets(members, first, last, target, clock)) {
    const position = positionOf(playerId, bracket, target, members, clock, limits);
    if (position) out.push(position);
  }
  return out;
}
