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
import { type CourseOptions, compileCourse } from './course';
import { Draft } from './draft';
import type { EngineEvent } from './engine-event';
import { evidence, flagMapChange, flagSpeed, flagTeleport, fmt, raise } from './flags';
import {
  type EngineInput,
  type RacePhase,
  type RacerState,
  type RaceState,
  type RulingInput,
  sortedOrder,
} from './race-state';
import { onCheckpoint, resolveReports, sweepReports } from './reports';
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
    racer = raise(draft, racer, 'malformed', 'warning', draft.now, {
      message: `position message names ${msg.playerId} but came on ${topicPlayer}'s topic`,
    });
    commitIgnored(draft, i, before, racer);
    return;
  }
  let posSeq = racer.posSeq;
  if (msg.seq !== undefined) {
    if (msg.seq <= posSeq) {
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
        true,
      );
      commitIgnored(draft, i, before, racer);
      return;
    }
    posSeq = msg.seq;
  }
  if (
    !Number.isFinite(msg.x) ||
    !Number.isFinite(msg.y) ||
    !Number.isFinite(msg.z) ||
    !Number.isFinite(msg.t)
  ) {
    racer = raise(
      draft,
      racer,
      'malformed',
      'warning',
      draft.now,
      { message: 'position with a non-finite coordinate or time' },
      true,
    );
    commitIgnored(draft, i, before, racer, posSeq);
    return;
  }
  const t = toEpochSeconds(msg.t, draft.t0);
  const prev = racer.course.last;
  if (t === undefined || (prev !== null && !(t > prev.t))) {
    commitIgnored(draft, i, before, racer, posSeq);
    return;
  }
  const sample: Sample =
    t === msg.t ? msg : { t, x: msg.x, y: msg.y, z: msg.z, mapId: msg.mapId, mount: msg.mount };
  const course = config.course;
  const t0 = draft.t0;
  const judged =
    (draft.phase === 'running' || draft.phase === 'paused') &&
    t0 !== null &&
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
          true,
        );
      }
    }
  }
  let timeBound = racer.timeBound;
  if (judged && msg.u !== undefined && msg.u > timeBound) timeBound = msg.u;
  if (judged && t > at + config.futureTolerance + (msg.u ?? 0)) {
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
      true,
    );
  }
  if (anchor === null) anchor = sample;

  const result = advanceCourse(
    course,
    racer.course,
    sample,
    t0,
    traversable ? undefined : NOT_TRAVERSABLE,
  );
  racer = progressed(racer, result.course, anchor, posSeq, timeBound);
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

/** The racer after a position was taken into account: built in one go (the hot path). */
function progressed(
  r: RacerState,
  course: RacerState['course'],
  anchor: Sample,
  posSeq: number,
  timeBound: number,
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
      out = raise(draft, out, 'gap', 'warning', crossing.t, {
        message: `checkpoint ${crossing.cp} (lap ${crossing.lap}) was not seen but credited: the stream had a gap through which it was reachable and the racer went on to the next one; time ±${fmt(crossing.uncertainty)} s`,
        cp: crossing.cp,
        samples: [evidence(crossing)],
        data: { inferred: true, index: crossing.index, uncertainty: crossing.uncertainty },
      });
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
      const racer = { ...before, course: createCourseState(), anchor: null, reports: [] };
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
  const racer = draft.racer(i);
  const clockBound = msg.boundMs / 1000;
  if (clockBound !== racer.clockBound) draft.set(i, { ...racer, clockBound });
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
