import {
  type ControlMessage,
  type PingMessage,
  type PosMessage,
  type PresenceMessage,
  presenceKind,
  type StateMessage,
  toEpochSeconds,
} from '@gw2race/protocol';
import {
  type AdvanceOptions,
  advanceCourse,
  type Crossing,
  createCourseState,
  type Sample,
} from './advance-course';
import { type CompiledCheckpoint, type CourseOptions, compileCourse } from './course';
import { Draft } from './draft';
import type { EngineEvent } from './engine-event';
import { evidence, flagMapChange, flagSpeed, flagTeleport, fmt, raise } from './flags';
import {
  type EngineInput,
  type RacePhase,
  type RacerState,
  type RaceState,
  type RulingInput,
  type SampleHistory,
  sortedOrder,
} from './race-state';
import { onCheckpoint, resolveReports, sweepReports } from './reports';
import type { Point3 } from './segment-crossing';
import { speedLimitFor } from './speed-limits';

/** Re-exported here: what `step` returns besides the state. */
export type { EngineEvent } from './engine-event';

const NOT_TRAVERSABLE: AdvanceOptions = Object.freeze({ traversable: false });

/**
 * The race engine's transition: takes the state and one input, returns the next state and what
 * happened. Pure and deterministic: no clock but the inputs' `at`, no I/O, and `state` is never
 * modified (only the racer a message concerns is copied, so a step costs microseconds).
 *
 * Inputs are processed in the order given; feed them in the order the host received them (which
 * is what a recording stores), and re-judging the recording gives the same results bit for bit.
 *
 * @example
 * let state = createRaceState(track, { raceId: 'abc123' });
 * for (const received of messages) {
 *   const [next, events] = step(state, received);
 *   state = next;
 *   for (const event of events) if (event.type === 'flag') publishFlag(event.flag);
 * }
 */
export function step(
  state: RaceState,
  input: EngineInput,
): readonly [RaceState, readonly EngineEvent[]] {
  const draft = new Draft(state, input.at);
  if (draft.now >= draft.deadline) sweepReports(draft);
  switch (input.kind) {
    case 'pos':
      onPos(draft, input.message, input.playerId, input.at);
      break;
    case 'checkpoint':
      onCheckpoint(draft, input.message, input.playerId);
      break;
    case 'control':
      onControl(draft, input.message);
      break;
    case 'presence':
      onPresence(draft, input.message, input.playerId);
      break;
    case 'state':
      onState(draft, input.message);
      break;
    case 'ping':
      onPing(draft, input.message, input.playerId);
      break;
    case 'ruling':
      onRuling(draft, input);
      break;
    default:
      // ranking, flag, chat, pong: the host's own output or chatter; nothing to judge.
      break;
  }
  return draft.finish();
}

// ---------------------------------------------------------------------------------------------
// Positions

function onPos(draft: Draft, msg: PosMessage, topicPlayer: string | undefined, at: number): void {
  const playerId = topicPlayer ?? msg.playerId;
  const config = draft.config;
  if (draft.phase === 'ended' || draft.phase === 'aborted') {
    const known = draft.index.get(playerId);
    if (known !== undefined) {
      const r = draft.racer(known);
      draft.set(known, { ...r, ignored: r.ignored + 1 });
    }
    return;
  }
  const i = draft.ensure(playerId);
  const before = draft.racer(i);
  // `racer` changes only when a flag is raised; everything else is gathered in locals and the
  // new racer is built once at the end (this is the path every position message takes).
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
    commitIgnored(draft, i, before, racer);
    return;
  }
  const finite =
    Number.isFinite(msg.x) &&
    Number.isFinite(msg.y) &&
    Number.isFinite(msg.z) &&
    Number.isFinite(msg.t);
  const t = finite ? toEpochSeconds(msg.t, draft.t0) : undefined;
  const prev = racer.course.last;
  let posSeq = racer.posSeq;
  if (msg.seq !== undefined) {
    if (msg.seq > posSeq) {
      posSeq = msg.seq;
    } else if (t !== undefined && prev !== null && t > prev.t) {
      // A lower seq with a time after the last sample: the sender restarted its numbering (a
      // client restart). Replays carry old times and stay ignored below.
      racer = raise(
        draft,
        racer,
        'replay',
        'info',
        t,
        {
          message: `position seq restarted at ${msg.seq} (highest seen ${posSeq}); accepted, its time is after the last sample`,
          samples: [evidence(prev), evidence(msg)],
          data: { seq: msg.seq, highest: posSeq, restart: true },
        },
        'position',
        true,
      );
      posSeq = msg.seq;
    } else {
      const replay = posSeq - msg.seq >= config.duplicateWindow;
      racer = raise(
        draft,
        racer,
        replay ? 'replay' : 'duplicate',
        replay ? 'warning' : 'info',
        draft.now,
        {
          message: replay
            ? `position seq ${msg.seq} replayed (highest seen ${posSeq})`
            : `position seq ${msg.seq} received again`,
          data: { seq: msg.seq, highest: posSeq },
        },
        'position',
        true,
      );
      commitIgnored(draft, i, before, racer);
      return;
    }
  }
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
    commitIgnored(draft, i, before, racer, posSeq);
    return;
  }
  if (t === undefined || (prev !== null && !(t > prev.t))) {
    commitIgnored(draft, i, before, racer, posSeq);
    return;
  }
  const sample: Sample =
    t === msg.t ? msg : { t, x: msg.x, y: msg.y, z: msg.z, mapId: msg.mapId, mount: msg.mount };
  const course = config.course;
  const t0 = draft.t0;
  const live = (draft.phase === 'running' || draft.phase === 'paused') && t0 !== null;
  const judged =
    live &&
    racer.course.finishAt === null &&
    (course.startRule === 'mass' ? t > t0 : racer.course.startAt !== null);

  let traversable = true;
  let anchor = racer.anchor;
  if (prev !== null) {
    const dt = t - prev.t;
    if (prev.mapId !== undefined && sample.mapId !== undefined && prev.mapId !== sample.mapId) {
      traversable = false;
      anchor = null;
      if (judged) racer = flagMapChange(draft, racer, prev, sample);
    } else {
      const dx = sample.x - prev.x;
      const dy = sample.y - prev.y;
      const dz = sample.z - prev.z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const jump = config.teleportSpeed * dt;
      if (d2 > config.teleportDistance * config.teleportDistance && d2 > jump * jump) {
        traversable = false;
        anchor = null;
        if (judged) racer = flagTeleport(draft, racer, prev, sample, Math.sqrt(d2));
      } else if (judged && anchor !== null && t - anchor.t >= config.speedWindow) {
        const hx = sample.x - anchor.x;
        const hz = sample.z - anchor.z;
        const speed = Math.sqrt(hx * hx + hz * hz) / (t - anchor.t);
        const limit = Math.max(
          speedLimitFor(anchor.mount, config.speedLimits),
          speedLimitFor(sample.mount, config.speedLimits),
        );
        if (speed > limit) racer = flagSpeed(draft, racer, anchor, sample, speed, limit);
        anchor = sample;
      }
      if (judged && dt > course.gapSeconds) {
        racer = raise(
          draft,
          racer,
          'gap',
          'info',
          t,
          {
            message: `no position for ${fmt(dt)} s`,
            samples: [evidence(prev), evidence(sample)],
            data: { seconds: dt },
          },
          'position',
          true,
        );
      }
    }
  }
  let timeBound = racer.timeBound;
  if (judged && msg.u !== undefined && msg.u > timeBound) timeBound = msg.u;
  // What the racer declares widens the tolerances only up to maxDeclaredUncertainty.
  const u = Math.min(msg.u ?? 0, config.maxDeclaredUncertainty);
  if (judged && msg.u !== undefined && msg.u > config.maxDeclaredUncertainty) {
    racer = flagDeclaredUncertainty(draft, racer, t, `positions stamped ±${fmt(msg.u)} s`, {
      u: msg.u,
    });
  }
  if (judged && t > at + config.futureTolerance + u) {
    racer = raise(
      draft,
      racer,
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
  // Receive-minus-stamp lag, smallest over a sliding window of stamp time (two windows of
  // LAG_WINDOW s): an honest lag is the network's latency within the clock bound; a window of
  // samples all later than that means stamps that run behind (earlier than the truth).
  const lag = at - t;
  let lagMin = racer.lagMin;
  let lagPrevMin = racer.lagPrevMin;
  let lagWindowAt = racer.lagWindowAt;
  if (t - lagWindowAt >= LAG_WINDOW) {
    lagPrevMin = t - lagWindowAt < 2 * LAG_WINDOW ? lagMin : Number.POSITIVE_INFINITY;
    lagMin = lag;
    lagWindowAt = t;
  } else if (lag < lagMin) {
    lagMin = lag;
  }
  // Also after the finish: stamps that start running behind just before it show up there.
  if (judged || (live && racer.course.finishAt !== null)) {
    const baseline = Math.min(lagMin, lagPrevMin);
    const tolerance =
      Math.min(racer.clockBound, config.maxDeclaredUncertainty) + u + config.latencyAllowance;
    if (baseline > tolerance) racer = flagLateStamps(draft, racer, sample, at, baseline, tolerance);
  }
  if (anchor === null) anchor = sample;
  let holdFrom = racer.holdFrom;
  if (
    live &&
    course.startRule === 'mass' &&
    t < t0 &&
    t >= t0 - config.falseStartWindow &&
    (holdFrom === null || holdFrom.t < t0 - config.falseStartWindow || holdFrom.t >= t0)
  ) {
    holdFrom = sample;
  }

  const result = advanceCourse(
    course,
    racer.course,
    sample,
    t0,
    traversable ? undefined : NOT_TRAVERSABLE,
  );
  if (result.started !== undefined && course.startRule === 'mass' && live) {
    racer = checkFalseStart(draft, racer, holdFrom, prev, sample, t0, traversable);
  }
  racer = progressed(racer, result.course, anchor, posSeq, timeBound, holdFrom, sample, {
    lagMin,
    lagPrevMin,
    lagWindowAt,
  });
  const startAt = result.course.startAt;
  if (result.rearmed) draft.emit({ type: 'rearmed', playerId, t });
  if (result.started !== undefined) draft.emit({ type: 'started', playerId, t: result.started });
  if (result.crossings.length > 0 && startAt !== null) {
    racer = creditEvents(draft, racer, result.crossings, startAt);
  }
  if (racer.reports.length > 0) racer = resolveReports(draft, racer, false);
  draft.set(i, racer);
  if (before.spectator) draft.insert(i);
  else if (result.crossings.length > 0 || result.started !== undefined || result.rearmed) {
    draft.reposition(i);
  }
  if (
    !before.connected ||
    result.started !== undefined ||
    result.rearmed ||
    result.crossings.length > 0
  ) {
    draft.statusChange(before, racer);
  }
}

/**
 * Seconds of stamp time per lag window: the smallest lag of the last 2-4 s of samples is judged,
 * so a network stall shorter than about 3 s (whose samples then arrive together) is forgiven.
 */
const LAG_WINDOW = 2;
/** The history keeps between HISTORY and 2 × HISTORY samples. */
const HISTORY = 64;

interface LagWindow {
  readonly lagMin: number;
  readonly lagPrevMin: number;
  readonly lagWindowAt: number;
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

/**
 * Mass start, on the first sample at or after t0: a racer who moved more than
 * `falseStartDistance` during the last `falseStartWindow` s before t0 set off early (critical);
 * one who was not on the start at t0 is flagged too (warning). Where the racer was at t0 is
 * interpolated from the samples around it; without a sample shortly before t0 the first sample
 * after it is used, with the distance a racer could have covered since t0 allowed.
 */
function checkFalseStart(
  draft: Draft,
  racer: RacerState,
  holdFrom: Sample | null,
  prev: Sample | null,
  sample: Sample,
  t0: number,
  traversable: boolean,
): RacerState {
  const config = draft.config;
  const course = config.course;
  let at0: Point3 = sample;
  let slack = 0;
  if (prev !== null && prev.t < t0 && t0 - prev.t <= course.gapSeconds && traversable) {
    const u = (t0 - prev.t) / (sample.t - prev.t);
    at0 = {
      x: prev.x + (sample.x - prev.x) * u,
      y: prev.y + (sample.y - prev.y) * u,
      z: prev.z + (sample.z - prev.z) * u,
    };
  } else {
    slack = Math.max(0, sample.t - t0) * speedLimitFor(sample.mount, config.speedLimits);
  }
  const window = config.falseStartWindow;
  const held = holdFrom !== null && holdFrom.t >= t0 - window && holdFrom.t < t0;
  const moved = held ? Math.hypot(at0.x - holdFrom.x, at0.z - holdFrom.z) : undefined;
  const outside = outsideStart(course.start, course.lap[0]?.center, at0);
  const early = moved !== undefined && moved - slack > config.falseStartDistance;
  const away = outside - slack > 0;
  if (!early && !away) return racer;
  const samples = [];
  if (held) samples.push(evidence(holdFrom));
  if (prev !== null && prev !== holdFrom && traversable) samples.push(evidence(prev));
  samples.push(evidence(sample));
  return raise(
    draft,
    racer,
    'false-start',
    early ? 'critical' : 'warning',
    t0,
    {
      message: early
        ? `false start: moved ${fmt(moved ?? 0, 1)} m in the last ${fmt(window, 1)} s before t0`
        : `not on the start at t0: ${fmt(outside, 1)} m outside it`,
      cp: course.start.id,
      samples,
      data: {
        falseStart: true,
        moved: moved ?? null,
        window,
        outside,
        allowance: slack,
        atStart: { x: at0.x, y: at0.y, z: at0.z },
      },
    },
    'position',
  );
}

/**
 * How far a point is outside the start, m: beyond the surface of the nearest start sphere, or
 * for a start gate, past its line on the side of the first checkpoint (0 on the start side).
 */
function outsideStart(start: CompiledCheckpoint, first: Point3 | undefined, p: Point3): number {
  const gate = start.gate;
  if (gate !== undefined) {
    if (first === undefined) return 0;
    const ex = gate.x2 - gate.x1;
    const ez = gate.z2 - gate.z1;
    const length = Math.hypot(ex, ez);
    if (length === 0) return 0;
    const side = (q: Point3) => (ex * (q.z - gate.z1) - ez * (q.x - gate.x1)) / length;
    const course = side(first);
    const here = side(p);
    return course === 0 || Math.sign(here) !== Math.sign(course) ? 0 : Math.abs(here);
  }
  let best = Number.POSITIVE_INFINITY;
  for (const s of start.spheres) {
    const d = Math.hypot(p.x - s.x, p.y - s.y, p.z - s.z) - s.r;
    if (d < best) best = d;
  }
  return Math.max(0, best);
}

function commitIgnored(
  draft: Draft,
  i: number,
  before: RacerState,
  racer: RacerState,
  posSeq = racer.posSeq,
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
    if (crossing.source === 'inferred') {
      out = raise(
        draft,
        out,
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

// ---------------------------------------------------------------------------------------------
// Control, presence, state, ping, rulings

function onControl(draft: Draft, msg: ControlMessage): void {
  switch (msg.cmd) {
    case 'START':
      startRace(draft, msg.t0);
      return;
    case 'PAUSE':
      if (draft.phase === 'ended' || draft.phase === 'aborted') return;
      if (draft.t0 !== null && draft.now < draft.t0) {
        // Before the start: the countdown is held; START comes again with a new t0.
        draft.t0 = null;
        setPhase(draft, 'pre', msg.reason);
      } else if (draft.phase === 'running') {
        setPhase(draft, 'paused', msg.reason);
      }
      return;
    case 'RESUME':
      if (msg.t0 !== undefined) {
        startRace(draft, msg.t0);
        return;
      }
      if (draft.phase === 'paused') setPhase(draft, 'running');
      return;
    case 'END':
      endRace(draft, 'ended', msg.reason);
      return;
    case 'ABORT':
      endRace(draft, 'aborted', msg.reason);
      return;
    case 'RULING':
      onRuling(draft, {
        kind: 'ruling',
        at: draft.now,
        playerId: msg.playerId,
        action: msg.action,
        ...(msg.reason === undefined ? {} : { reason: msg.reason }),
      });
      return;
    default:
      return;
  }
}

function setPhase(draft: Draft, phase: RacePhase, reason?: string): void {
  draft.phase = phase;
  draft.emit({
    type: 'race',
    phase,
    t0: draft.t0,
    at: draft.now,
    ...(reason === undefined ? {} : { reason }),
  });
}

/** START (or RESUME with t0): sets t0; a different t0 after progress restarts the race. */
function startRace(draft: Draft, t0: number): void {
  if (draft.phase === 'ended' || draft.phase === 'aborted') return;
  if (t0 === draft.t0) {
    if (draft.phase !== 'running') setPhase(draft, 'running');
    return; // START re-delivered (QoS 1)
  }
  const phaseBefore = draft.phase;
  let restart = false;
  for (let i = 0; i < draft.count && !restart; i++) {
    const course = draft.racer(i).course;
    restart = course.startAt !== null || course.next > 0;
  }
  draft.t0 = t0;
  draft.phase = 'running';
  if (restart) {
    for (let i = 0; i < draft.count; i++) {
      const before = draft.racer(i);
      // Everything about the old run's progress goes; flags, sequence numbers of positions and
      // the clock figures stay (they are about the racer's client, not the run).
      const racer: RacerState = {
        ...before,
        course: createCourseState(),
        anchor: null,
        holdFrom: null,
        reports: [],
        reported: [],
        lastReported: -1,
        checkpointSeqs: [],
      };
      draft.set(i, racer);
      draft.statusChange(before, racer, phaseBefore);
    }
    draft.order = sortedOrder({ racers: draft.table() });
  }
  draft.emit({ type: 'race', phase: 'running', t0, at: draft.now });
}

function endRace(draft: Draft, phase: 'ended' | 'aborted', reason: string | undefined): void {
  if (draft.phase === 'ended' || draft.phase === 'aborted') return;
  const phaseBefore = draft.phase;
  draft.endedAt = draft.now;
  draft.endReason = reason;
  draft.phase = phase;
  for (let i = 0; i < draft.count; i++) {
    const before = draft.racer(i);
    const racer = before.reports.length > 0 ? resolveReports(draft, before, true) : before;
    if (racer !== before) draft.set(i, racer);
    draft.statusChange(before, racer, phaseBefore);
  }
  draft.deadline = Number.POSITIVE_INFINITY;
  draft.emit({
    type: 'race',
    phase,
    t0: draft.t0,
    at: draft.now,
    ...(reason === undefined ? {} : { reason }),
  });
}

function onPresence(draft: Draft, msg: PresenceMessage, topicPlayer: string | undefined): void {
  const playerId = topicPlayer ?? msg.playerId;
  const spectator = msg.mode === 'spectator';
  const known = draft.index.get(playerId);
  const i = known ?? draft.ensure(playerId, spectator);
  const before = draft.racer(i);
  const kind = presenceKind(msg);
  const connected = kind !== 'leave' && kind !== 'disconnected';
  const becomesSpectator =
    spectator && !before.spectator && before.samples === 0 && before.reported.length === 0;
  const name = msg.name ?? before.name;
  if (connected === before.connected && name === before.name && !becomesSpectator) return;
  const racer: RacerState = {
    ...before,
    connected,
    name,
    spectator: before.spectator || becomesSpectator,
  };
  draft.set(i, racer);
  if (becomesSpectator) draft.remove(i);
  draft.statusChange(before, racer);
}

function onState(draft: Draft, msg: StateMessage): void {
  if (draft.raceId === undefined) draft.raceId = msg.raceId;
  for (const participant of msg.participants ?? []) {
    const i = draft.ensure(participant.playerId);
    const racer = draft.racer(i);
    if (participant.name !== undefined && participant.name !== racer.name) {
      draft.set(i, { ...racer, name: participant.name });
    }
  }
  if (draft.phase === 'pre' && draft.t0 === null) {
    const given = draft.config.courseOptions;
    const wanted: CourseOptions = { ...given };
    if (given.laps === undefined && msg.laps !== undefined) wanted.laps = msg.laps;
    if (given.startRule === undefined && msg.startRule !== undefined) {
      wanted.startRule = msg.startRule;
    }
    if (given.circuit === undefined && msg.circuit !== undefined) wanted.circuit = msg.circuit;
    const current = draft.config.course;
    if (
      (wanted.laps ?? current.laps) !== current.laps ||
      (wanted.startRule ?? current.startRule) !== current.startRule ||
      (wanted.circuit ?? current.circuit) !== current.circuit
    ) {
      draft.config = {
        ...draft.config,
        course: compileCourse(draft.config.track, wanted),
      };
    }
    if (typeof msg.t0 === 'number') startRace(draft, msg.t0);
  }
}

function onPing(draft: Draft, msg: PingMessage, topicPlayer: string | undefined): void {
  if (msg.boundMs === undefined) return;
  const i = draft.index.get(topicPlayer ?? msg.playerId);
  if (i === undefined) return;
  let racer = draft.racer(i);
  const clockBound = msg.boundMs / 1000;
  if (clockBound === racer.clockBound) return;
  // Flagged while the race runs and the racer is on the course (a first estimate before the
  // start may be poor and improve); the ranking still shows the bound as declared.
  if (
    clockBound > draft.config.maxDeclaredUncertainty &&
    (draft.phase === 'running' || draft.phase === 'paused') &&
    racer.course.finishAt === null
  ) {
    racer = flagDeclaredUncertainty(
      draft,
      racer,
      draft.now,
      `a clock good to ±${fmt(clockBound)} s`,
      {
        boundMs: msg.boundMs,
      },
    );
  }
  draft.set(i, { ...racer, clockBound });
}

/** A racer declared more uncertainty than the race allows: said once per cooldown, as a warning. */
function flagDeclaredUncertainty(
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

function onRuling(draft: Draft, input: RulingInput): void {
  const i = draft.ensure(input.playerId);
  const before = draft.racer(i);
  const ruling = input.action === 'reinstate' ? null : input.action;
  const racer: RacerState = {
    ...before,
    ruling,
    rulingReason: ruling === null ? undefined : input.reason,
    spectator: false,
  };
  draft.set(i, racer);
  if (before.spectator) draft.insert(i);
  else draft.reposition(i);
  draft.statusChange(before, racer);
}
