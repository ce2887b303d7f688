import { type PosMessage, toEpochSeconds } from '@gw2race/protocol';
import { type AdvanceOptions, advanceCourse, type Crossing, type Sample } from './advance-course';
import type { Draft } from './draft';
import { checkFalseStart } from './false-start';
import {
  evidence,
  flagDeclaredUncertainty,
  flagMapChange,
  flagSpeed,
  flagTeleport,
  fmt,
  raise,
} from './flags';
import { isMapChange, isTeleport } from './jump';
import type { EngineConfig, RacerState, SampleHistory } from './race-state';
import { resolveReports } from './reports';
import { speedLimitFor } from './speed-limits';

/**
 * Seconds of stamp time per lag window: the smallest lag of the last 2-4 s of samples is judged,
 * so a network stall shorter than about 3 s (whose samples then arrive together) is forgiven.
 */
const LAG_WINDOW = 2;
/** The history keeps between HISTORY and 2 × HISTORY samples. */
const HISTORY = 64;

const NOT_TRAVERSABLE: AdvanceOptions = Object.freeze({ traversable: false });

/**
 * @internal A racer's `pos` message: admits it (topic, sequence, finite numbers, newer than the
 * last), checks the motion and the stamp against the rules, advances the racer on the course and
 * credits what they crossed. Every position message takes this path, so `racer` is copied only
 * when a flag is raised and the new racer is built once at the end (see {@link progressed}).
 */
export function onPos(
  draft: Draft,
  msg: PosMessage,
  topicPlayer: string | undefined,
  at: number,
): void {
  const playerId = topicPlayer ?? msg.playerId;
  if (draft.phase === 'ended' || draft.phase === 'aborted') {
    countIgnored(draft, playerId);
    return;
  }
  const i = draft.ensure(playerId);
  const before = draft.racer(i);
  const admitted = admit(draft, before, msg, topicPlayer);
  if (admitted.sample === undefined) {
    commitIgnored(draft, i, before, admitted.racer, admitted.posSeq);
    return;
  }
  judge(draft, i, before, admitted.racer, admitted.posSeq, admitted.sample, msg, at);
}

/** After END or ABORT: a known racer's position is only counted as ignored. */
function countIgnored(draft: Draft, playerId: string): void {
  const known = draft.index.get(playerId);
  if (known === undefined) return;
  const r = draft.racer(known);
  draft.set(known, { ...r, ignored: r.ignored + 1 });
}

/** A position message let in or not: the racer (flags raised on the way) and the highest seq. */
interface Admitted {
  readonly racer: RacerState;
  readonly posSeq: number;
  /** The sample on the organizer's clock; undefined when the message is ignored. */
  readonly sample: Sample | undefined;
}

/**
 * Lets a position in, or not: on another racer's topic, a repeated `seq`, a non-finite number or
 * a time not after the last sample is ignored (flagged, except the last). A lower `seq` with a
 * time after the last sample is a client that restarted its numbering: let in, and said.
 */
function admit(
  draft: Draft,
  before: RacerState,
  msg: PosMessage,
  topicPlayer: string | undefined,
): Admitted {
  let racer = before;
  if (topicPlayer !== undefined && msg.playerId !== topicPlayer) {
    racer = raise(
      draft,
      racer,
      'malformed',
      'warning',
      draft.now,
      { message: `position message names ${msg.playerId} but came on ${topicPlayer}'s topic` },
      'position',
      true,
    );
    return { racer, posSeq: racer.posSeq, sample: undefined };
  }
  const finite =
    Number.isFinite(msg.x) &&
    Number.isFinite(msg.y) &&
    Number.isFinite(msg.z) &&
    Number.isFinite(msg.t);
  const t = finite ? toEpochSeconds(msg.t, draft.t0) : undefined;
  const prev = racer.course.last;
  let posSeq = racer.posSeq;
  if (msg.seq !== undefined && msg.seq <= posSeq) {
    // A restart's samples carry new times; a replay's or duplicate's old ones.
    if (t === undefined || prev === null || !(t > prev.t)) {
      return { racer: flagRepeatedSeq(draft, racer, msg.seq), posSeq, sample: undefined };
    }
    racer = flagSeqRestart(draft, racer, msg.seq, msg, t, prev);
  }
  if (msg.seq !== undefined) posSeq = msg.seq;
  if (!finite) {
    racer = raise(
      draft,
      racer,
      'malformed',
      'warning',
      draft.now,
      { message: 'position with a non-finite coordinate or time' },
      'position',
      true,
    );
    return { racer, posSeq, sample: undefined };
  }
  if (t === undefined || (prev !== null && !(t > prev.t)))
    return { racer, posSeq, sample: undefined };
  const sample: Sample =
    t === msg.t
      ? msg
      : { t, x: msg.x, y: msg.y, z: msg.z, mapId: msg.mapId, mount: msg.mount, u: msg.u };
  return { racer, posSeq, sample };
}

/** A lower `seq` with a time after the last sample: the sender restarted its numbering. */
function flagSeqRestart(
  draft: Draft,
  racer: RacerState,
  seq: number,
  msg: PosMessage,
  t: number,
  prev: Sample,
): RacerState {
  return raise(
    draft,
    racer,
    'replay',
    'info',
    t,
    {
      message: `position seq restarted at ${seq} (highest seen ${racer.posSeq}); accepted, its time is after the last sample`,
      samples: [evidence(prev), evidence(msg)],
      data: { seq, highest: racer.posSeq, restart: true },
    },
    'position',
    true,
  );
}

/** A `seq` seen again: a duplicate within `duplicateWindow` of the highest, else a replay. */
function flagRepeatedSeq(draft: Draft, racer: RacerState, seq: number): RacerState {
  const highest = racer.posSeq;
  const replay = highest - seq >= draft.config.duplicateWindow;
  return raise(
    draft,
    racer,
    replay ? 'replay' : 'duplicate',
    replay ? 'warning' : 'info',
    draft.now,
    {
      message: replay
        ? `position seq ${seq} replayed (highest seen ${highest})`
        : `position seq ${seq} received again`,
      data: { seq, highest },
    },
    'position',
    true,
  );
}

/**
 * Judges an admitted sample and commits the racer: motion and stamp checks while the racer is on
 * course, then the course, the crossings it credits, pending reports, the ranking and status.
 */
function judge(
  draft: Draft,
  i: number,
  before: RacerState,
  admitted: RacerState,
  posSeq: number,
  sample: Sample,
  msg: PosMessage,
  at: number,
): void {
  const config = draft.config;
  const course = config.course;
  const t = sample.t;
  const t0 = draft.t0;
  const live = (draft.phase === 'running' || draft.phase === 'paused') && t0 !== null;
  const judged =
    live &&
    admitted.course.finishAt === null &&
    (course.startRule === 'mass' ? t > t0 : admitted.course.startAt !== null);
  const prev = admitted.course.last;
  const motion = checkMotion(draft, admitted, prev, sample, judged);
  let racer = motion.racer;
  const timeBound =
    judged && msg.u !== undefined && msg.u > racer.timeBound ? msg.u : racer.timeBound;
  // What the racer declares widens the tolerances only up to maxDeclaredUncertainty.
  const u = Math.min(msg.u ?? 0, config.maxDeclaredUncertainty);
  if (judged) racer = checkStamp(draft, racer, msg, sample, at, u);
  const lag = nextLagWindow(racer, t, at - t);
  // Also after the finish: stamps that start running behind just before it show up there.
  if (judged || (live && racer.course.finishAt !== null)) {
    racer = checkLag(draft, racer, lag, sample, at, u);
  }
  const anchor = motion.anchor ?? sample;
  const holdFrom = live ? holdFromAt(draft, racer.holdFrom, sample, t0) : racer.holdFrom;

  const result = advanceCourse(
    course,
    racer.course,
    sample,
    t0,
    motion.traversable ? undefined : NOT_TRAVERSABLE,
  );
  if (result.started !== undefined && course.startRule === 'mass' && live) {
    racer = checkFalseStart(draft, racer, holdFrom, prev, sample, t0, motion.traversable);
  }
  racer = progressed(racer, result.course, anchor, posSeq, timeBound, holdFrom, sample, lag);
  const playerId = racer.playerId;
  const startAt = result.course.startAt;
  if (result.rearmed) draft.emit({ type: 'rearmed', playerId, t });
  if (result.started !== undefined) draft.emit({ type: 'started', playerId, t: result.started });
  if (result.crossings.length > 0 && startAt !== null) {
    racer = creditEvents(draft, racer, result.crossings, startAt);
  }
  if (racer.reports.length > 0) racer = resolveReports(draft, racer, false);
  draft.set(i, racer);
  const moved = result.crossings.length > 0 || result.started !== undefined || result.rearmed;
  if (before.spectator) draft.insert(i);
  else if (moved) draft.reposition(i);
  if (!before.connected || moved) draft.statusChange(before, racer);
}

/** The racer (flags raised), whether they travelled from `prev`, and the speed window's start. */
interface Motion {
  readonly racer: RacerState;
  /** False after a map change or a jump no speed explains: no crossing is searched. */
  readonly traversable: boolean;
  /** Start of the speed-measuring window (null: start a new one at this sample). */
  readonly anchor: Sample | null;
}

/**
 * How the racer got from `prev` to `sample`: a map change or a teleport breaks the path (and the
 * speed window); otherwise speed is measured over at least `speedWindow` s, and a long silence is
 * a gap. Flags only while `judged`.
 */
function checkMotion(
  draft: Draft,
  racer: RacerState,
  prev: Sample | null,
  sample: Sample,
  judged: boolean,
): Motion {
  const anchor = racer.anchor;
  if (prev === null) return { racer, traversable: true, anchor };
  const config = draft.config;
  const dt = sample.t - prev.t;
  if (isMapChange(prev, sample)) {
    const flagged = judged ? flagMapChange(draft, racer, prev, sample) : racer;
    return { racer: flagged, traversable: false, anchor: null };
  }
  const dx = sample.x - prev.x;
  const dy = sample.y - prev.y;
  const dz = sample.z - prev.z;
  const d2 = dx * dx + dy * dy + dz * dz;
  let out = racer;
  let traversable = true;
  let next = anchor;
  if (isTeleport(config, d2, dt)) {
    traversable = false;
    next = null;
    if (judged) out = flagTeleport(draft, out, prev, sample, Math.sqrt(d2));
  } else if (
    judged &&
    anchor !== null &&
    sample.t - anchor.t >= speedWindowFor(config, anchor, sample)
  ) {
    out = checkSpeed(draft, out, anchor, sample);
    next = sample;
  }
  if (judged && dt > config.course.gapSeconds) {
    out = raise(
      draft,
      out,
      'gap',
      'info',
      sample.t,
      {
        message: `no position for ${fmt(dt)} s`,
        samples: [evidence(prev), evidence(sample)],
        data: { seconds: dt },
      },
      'position',
      true,
    );
  }
  return { racer: out, traversable, anchor: next };
}

/**
 * How much the two stamps may err together, s: each sample's declared ± (capped at
 * `maxDeclaredUncertainty`). A late poll or a busy machine widens a racer's stamping window, and
 * the racer says so in `u`: the speed check gives that time back instead of blaming the racer.
 */
function stampSlack(config: EngineConfig, from: Sample, to: Sample): number {
  const cap = config.maxDeclaredUncertainty;
  return Math.min(from.u ?? 0, cap) + Math.min(to.u ?? 0, cap);
}

/**
 * Seconds of stamp time a speed window spans at least: `speedWindow`, longer when the stamps are
 * uncertain, so their slack stays under a tenth of it (a wide declared ± cannot hide speeding).
 */
function speedWindowFor(config: EngineConfig, from: Sample, to: Sample): number {
  return Math.max(config.speedWindow, SLACK_SHARE * stampSlack(config, from, to));
}

/** A speed window spans at least this many times its stamps' slack. */
const SLACK_SHARE = 10;

/**
 * Horizontal speed since the window's start against the faster of the two mounts' limits, at the
 * least the stamps allow: distance over the window widened by both stamps' ± (an honest racer
 * whose poll came late is never flagged for the host's or the machine's jitter).
 */
function checkSpeed(draft: Draft, racer: RacerState, anchor: Sample, sample: Sample): RacerState {
  const config = draft.config;
  const hx = sample.x - anchor.x;
  const hz = sample.z - anchor.z;
  const slack = stampSlack(config, anchor, sample);
  const speed = Math.sqrt(hx * hx + hz * hz) / (sample.t - anchor.t + slack);
  const limits = config.speedLimits;
  const limit = Math.max(speedLimitFor(anchor.mount, limits), speedLimitFor(sample.mount, limits));
  return speed > limit ? flagSpeed(draft, racer, anchor, sample, speed, limit, slack) : racer;
}

/**
 * A judged sample's own stamp: a declared `u` over `maxDeclaredUncertainty`, or a stamp later
 * than its reception allows (`futureTolerance` + the capped `u`).
 */
function checkStamp(
  draft: Draft,
  racer: RacerState,
  msg: PosMessage,
  sample: Sample,
  at: number,
  u: number,
): RacerState {
  const config = draft.config;
  const t = sample.t;
  let out = racer;
  if (msg.u !== undefined && msg.u > config.maxDeclaredUncertainty) {
    out = flagDeclaredUncertainty(draft, out, t, `positions stamped ±${fmt(msg.u)} s`, {
      u: msg.u,
    });
  }
  if (t > at + config.futureTolerance + u) {
    out = raise(
      draft,
      out,
      'time-mismatch',
      'warning',
      t,
      {
        message: `position stamped ${fmt(t - at)} s after the host received it`,
        samples: [evidence(sample)],
        data: { stamped: t, received: at },
      },
      'position',
      true,
    );
  }
  return out;
}

/** The smallest receive-minus-stamp lag of the current and the previous lag window. */
interface LagWindow {
  readonly lagMin: number;
  readonly lagPrevMin: number;
  readonly lagWindowAt: number;
}

/**
 * The lag windows after a sample stamped `t` with this lag, over a sliding window of stamp time
 * (two windows of LAG_WINDOW s): an honest lag is the network's latency within the clock bound;
 * a window of samples all later than that means stamps that run behind (earlier than the truth).
 */
function nextLagWindow(racer: RacerState, t: number, lag: number): LagWindow {
  const { lagMin, lagPrevMin, lagWindowAt } = racer;
  if (t - lagWindowAt >= LAG_WINDOW) {
    return {
      lagMin: lag,
      lagPrevMin: t - lagWindowAt < 2 * LAG_WINDOW ? lagMin : Number.POSITIVE_INFINITY,
      lagWindowAt: t,
    };
  }
  return { lagMin: Math.min(lag, lagMin), lagPrevMin, lagWindowAt };
}

/** Flags stamps running behind when even the windows' smallest lag exceeds the tolerance. */
function checkLag(
  draft: Draft,
  racer: RacerState,
  lag: LagWindow,
  sample: Sample,
  at: number,
  u: number,
): RacerState {
  const config = draft.config;
  const baseline = Math.min(lag.lagMin, lag.lagPrevMin);
  const tolerance =
    Math.min(racer.clockBound, config.maxDeclaredUncertainty) + u + config.latencyAllowance;
  return baseline > tolerance
    ? flagLateStamps(draft, racer, sample, at, baseline, tolerance)
    : racer;
}

/**
 * Mass start: the first sample of the last `falseStartWindow` s before t0 (where the racer must
 * hold still), kept until the start; a sample outside that window changes nothing.
 */
function holdFromAt(
  draft: Draft,
  holdFrom: Sample | null,
  sample: Sample,
  t0: number,
): Sample | null {
  const window = draft.config.falseStartWindow;
  const t = sample.t;
  if (
    draft.config.course.startRule === 'mass' &&
    t < t0 &&
    t >= t0 - window &&
    (holdFrom === null || holdFrom.t < t0 - window || holdFrom.t >= t0)
  ) {
    return sample;
  }
  return holdFrom;
}

/** The racer after a position was taken into account: built in one go (the hot path). */
function progressed(
  r: RacerState,
  course: RacerState['course'],
  anchor: Sample,
  posSeq: number,
  timeBound: number,
  holdFrom: Sample | null,
  sample: Sample,
  lag: LagWindow,
): RacerState {
  return {
    playerId: r.playerId,
    name: r.name,
    spectator: false,
    connected: true,
    ruling: r.ruling,
    rulingReason: r.rulingReason,
    course,
    anchor,
    history: remember(r.history, sample),
    holdFrom,
    lagMin: lag.lagMin,
    lagPrevMin: lag.lagPrevMin,
    lagWindowAt: lag.lagWindowAt,
    posSeq,
    checkpointSeqs: r.checkpointSeqs,
    reports: r.reports,
    reported: r.reported,
    lastReported: r.lastReported,
    flags: r.flags,
    flagAt: r.flagAt,
    suppressed: r.suppressed,
    clockBound: r.clockBound,
    timeBound,
    samples: r.samples + 1,
    ignored: r.ignored,
  };
}

/** The history with `sample` in front; every HISTORY samples the oldest HISTORY are let go. */
function remember(history: SampleHistory | null, sample: Sample): SampleHistory {
  if (history === null || history.length < 2 * HISTORY) {
    return { sample, older: history, length: history === null ? 1 : history.length + 1 };
  }
  const kept: Sample[] = [];
  for (
    let n: SampleHistory | null = history;
    n !== null && kept.length < HISTORY - 1;
    n = n.older
  ) {
    kept.push(n.sample);
  }
  let out: SampleHistory | null = null;
  for (let k = kept.length - 1; k >= 0; k--) {
    out = { sample: kept[k] as Sample, older: out, length: kept.length - k };
  }
  return { sample, older: out, length: kept.length + 1 };
}

/** Flags positions whose lag behind their reception stays over the allowance for a window. */
function flagLateStamps(
  draft: Draft,
  racer: RacerState,
  sample: Sample,
  at: number,
  baseline: number,
  tolerance: number,
): RacerState {
  const excess = baseline - tolerance;
  return raise(
    draft,
    racer,
    'time-mismatch',
    excess > 1 ? 'critical' : 'warning',
    sample.t,
    {
      message: `positions keep reaching the host ${fmt(baseline)} s or more after their stamps (the smallest lag of up to ${2 * LAG_WINDOW} s of them; allowed ${fmt(tolerance)} s): the racer's clock or stamps run behind`,
      samples: [evidence(sample)],
      data: {
        stamped: sample.t,
        received: at,
        lag: at - sample.t,
        smallestLag: baseline,
        tolerance,
        clockBound: racer.clockBound,
        latencyAllowance: draft.config.latencyAllowance,
      },
    },
    'position',
    true,
  );
}

/** Commits a racer whose position was not taken into account. */
function commitIgnored(
  draft: Draft,
  i: number,
  before: RacerState,
  racer: RacerState,
  posSeq: number,
): void {
  const next = {
    ...racer,
    spectator: false,
    connected: true,
    posSeq,
    ignored: racer.ignored + 1,
  };
  draft.set(i, next);
  if (before.spectator) draft.insert(i);
  draft.statusChange(before, next);
}

/** Emits the events of newly credited crossings (checkpoint, lap, finished) and flags inferred ones. */
function creditEvents(
  draft: Draft,
  racer: RacerState,
  crossings: readonly Crossing[],
  startAt: number,
): RacerState {
  const course = draft.config.course;
  const all = racer.course.crossings;
  const lapLength = course.lap.length;
  let out = racer;
  for (const crossing of crossings) {
    draft.emit({
      type: 'checkpoint',
      playerId: racer.playerId,
      crossing,
      raceTime: crossing.t - startAt,
    });
    if (crossing.source === 'inferred') out = flagInferred(draft, out, crossing);
    if ((crossing.index + 1) % lapLength === 0) {
      const lap = (crossing.index + 1) / lapLength;
      const lapStart = lap === 1 ? startAt : (all[crossing.index - lapLength]?.t ?? startAt);
      draft.emit({
        type: 'lap',
        playerId: racer.playerId,
        lap,
        lapTime: crossing.t - lapStart,
        raceTime: crossing.t - startAt,
        t: crossing.t,
      });
    }
    if (crossing.index === course.length - 1) {
      draft.emit({
        type: 'finished',
        playerId: racer.playerId,
        time: crossing.t - startAt,
        t: crossing.t,
      });
    }
  }
  return out;
}

/** A checkpoint credited by inference across a gap: a warning the organizer can look at. */
function flagInferred(draft: Draft, racer: RacerState, crossing: Crossing): RacerState {
  return raise(
    draft,
    racer,
    'gap',
    'warning',
    crossing.t,
    {
      message: `checkpoint ${crossing.cp} (lap ${crossing.lap}) was not seen but credited: the stream had a gap through which it was reachable and the racer went on to the next one; time ±${fmt(crossing.uncertainty)} s`,
      cp: crossing.cp,
      samples: [evidence(crossing)],
      data: { inferred: true, index: crossing.index, uncertainty: crossing.uncertainty },
    },
    'position',
  );
}
