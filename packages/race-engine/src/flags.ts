import type { FlagMessage, FlagSeverity } from '@gw2race/protocol';
import type { Sample } from './advance-course';
import type { Draft } from './draft';
import type { EngineFlagKind, FlagMark, FlagSource } from './flag-mark';
import type { RacerState } from './race-state';

/** @internal What a flag says beyond its kind and severity. */
export interface FlagDetails {
  message: string;
  cp?: number;
  samples?: FlagMessage['samples'];
  data?: Record<string, unknown>;
}

const SEVERITY_RANK: Readonly<Record<FlagSeverity, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * The most flags of one kind from one source a racer gets raised (the rest are counted in
 * `suppressed`): one client looping a malformed report must not make hundreds of flags, each
 * published to everyone and recorded.
 */
export const MAX_FLAGS_PER_KIND = 50;

/**
 * Raises a flag on `racer` (returning the updated racer) and emits it. With `cooldown`, a flag of
 * the same kind from the same source within `flagCooldown` seconds of the last one is counted
 * but not raised, unless it is more severe than that one (an escalation always gets through).
 * A report's cooldown runs on the host's clock (`draft.now`): the time a report claims is the
 * client's to choose. Past {@link MAX_FLAGS_PER_KIND} of one kind and source, flags are counted only.
 */
export function raise(
  draft: Draft,
  racer: RacerState,
  kind: EngineFlagKind,
  severity: FlagSeverity,
  t: number,
  details: FlagDetails,
  source: FlagSource,
  cooldown = false,
): RacerState {
  const key = `${source}:${kind}`;
  const last = racer.flagAt[key];
  const at = source === 'report' ? draft.now : t;
  const cooling =
    cooldown &&
    last !== undefined &&
    at - last.t < draft.config.flagCooldown &&
    at >= last.t &&
    SEVERITY_RANK[severity] <= SEVERITY_RANK[last.severity];
  if (cooling || (last?.count ?? 0) >= MAX_FLAGS_PER_KIND) {
    return { ...racer, suppressed: racer.suppressed + 1 };
  }
  const flag: FlagMessage = {
    ...(draft.raceId === undefined ? {} : { raceId: draft.raceId }),
    playerId: racer.playerId,
    id: `${racer.playerId}#${racer.flags.length + 1}`,
    kind,
    severity,
    t: Math.max(0, t),
    message: details.message,
    ...(details.cp === undefined ? {} : { cp: details.cp }),
    ...(details.samples === undefined ? {} : { samples: details.samples }),
    ...(details.data === undefined ? {} : { data: details.data }),
  };
  draft.emit({ type: 'flag', flag });
  const mark: FlagMark = { t: at, severity, count: (last?.count ?? 0) + 1 };
  return { ...racer, flags: [...racer.flags, flag], flagAt: { ...racer.flagAt, [key]: mark } };
}

/** @internal A position kept as evidence (`{t, x, y, z, v?}` of the flag schema). */
export function evidence(
  s: { t: number; x: number; y: number; z: number },
  v?: number,
): NonNullable<FlagMessage['samples']>[number] {
  // A speed over no time is Infinity, which the flag schema (and its readers) refuse.
  return v === undefined || !(v >= 0) || !Number.isFinite(v)
    ? { t: Math.max(0, s.t), x: s.x, y: s.y, z: s.z }
    : { t: Math.max(0, s.t), x: s.x, y: s.y, z: s.z, v };
}

/** @internal A number for a flag's message, with `digits` decimals. */
export function fmt(value: number, digits = 3): string {
  return value.toFixed(digits);
}

/** @internal Flags a map change: info when the next checkpoint is on the new map. */
export function flagMapChange(
  draft: Draft,
  racer: RacerState,
  prev: Sample,
  sample: Sample,
): RacerState {
  const course = draft.config.course;
  const nextCp = course.lap[racer.course.next % course.lap.length];
  const expected = nextCp?.mapId !== undefined && nextCp.mapId === sample.mapId;
  return raise(
    draft,
    racer,
    'map-change',
    expected ? 'info' : 'warning',
    sample.t,
    {
      message: `map changed from ${prev.mapId} to ${sample.mapId}${expected ? ' (the next checkpoint is there)' : ''}`,
      samples: [evidence(prev), evidence(sample)],
      data: { from: prev.mapId, to: sample.mapId },
    },
    'position',
    true,
  );
}

/** @internal Flags a jump no speed explains: info when it lands on a reset point. */
export function flagTeleport(
  draft: Draft,
  racer: RacerState,
  prev: Sample,
  sample: Sample,
  distance: number,
): RacerState {
  const dt = sample.t - prev.t;
  const reset = draft.config.course.resets.find(
    (r) => (sample.x - r.x) ** 2 + (sample.y - r.y) ** 2 + (sample.z - r.z) ** 2 <= r.r * r.r,
  );
  return raise(
    draft,
    racer,
    'teleport',
    reset === undefined ? 'critical' : 'info',
    sample.t,
    {
      message: `moved ${fmt(distance, 1)} m in ${fmt(dt)} s${reset === undefined ? '' : ', landing on a reset point'}`,
      samples: [evidence(prev), evidence(sample)],
      data: { distance, seconds: dt, speed: distance / dt, resetPoint: reset !== undefined },
    },
    'position',
    true,
  );
}

/**
 * @internal Flags speeding over a window: critical beyond 125% of the limit. `speed` is the least
 * the stamps allow (the window widened by `slack`, both stamps' ±).
 */
export function flagSpeed(
  draft: Draft,
  racer: RacerState,
  from: Sample,
  to: Sample,
  speed: number,
  limit: number,
  slack = 0,
): RacerState {
  const seconds = to.t - from.t;
  const stamps =
    slack > 0 ? ` (stamps ±${fmt(slack / 2)} s each counted in the racer's favour)` : '';
  return raise(
    draft,
    racer,
    'speed',
    speed > limit * 1.25 ? 'critical' : 'warning',
    to.t,
    {
      message: `${fmt(speed, 1)} m/s over ${fmt(seconds)} s${stamps}, limit ${limit} m/s`,
      samples: [evidence(from), evidence(to, speed)],
      data: { speed, limit, mount: to.mount ?? null, seconds, slack },
    },
    'position',
    true,
  );
}

/** @internal A racer declared more uncertainty than the race allows: said once per cooldown, as a warning. */
export function flagDeclaredUncertainty(
  draft: Draft,
  racer: RacerState,
  t: number,
  declared: string,
  data: Record<string, number>,
): RacerState {
  const allowed = draft.config.maxDeclaredUncertainty;
  return raise(
    draft,
    racer,
    'time-mismatch',
    'warning',
    t,
    {
      message: `the racer declares ${declared}, more than the ${fmt(allowed)} s this race allows: judged as ±${fmt(allowed)} s`,
      data: { ...data, maxDeclaredUncertainty: allowed },
    },
    'position',
    true,
  );
}
