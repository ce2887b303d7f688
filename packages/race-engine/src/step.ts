import {
  type ControlMessage,
  type PingMessage,
  type PresenceMessage,
  presenceKind,
  type StateMessage,
} from '@gw2race/protocol';
import { createCourseState } from './advance-course';
import { type CourseOptions, compileCourse } from './course';
import { Draft } from './draft';
import type { EngineEvent } from './engine-event';
import { flagDeclaredUncertainty, fmt } from './flags';
import { onPos } from './positions';
import {
  type EngineInput,
  type RacePhase,
  type RacerState,
  type RaceState,
  type RulingInput,
  sortedOrder,
} from './race-state';
import { onCheckpoint, resolveReports, sweepReports } from './reports';

/** Re-exported here: what `step` returns besides the state. */
export type { EngineEvent } from './engine-event';

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
  // Only a client that has not raced yet (no positions, no reports) changes between racer and
  // spectator: a host expiring a join that never got ready makes it a spectator, and the same
  // id joining again as a racer takes a place again.
  const untouched = before.samples === 0 && before.reported.length === 0;
  const becomesSpectator = spectator && !before.spectator && untouched;
  const becomesRacer = msg.mode === 'racer' && before.spectator && untouched;
  const name = msg.name ?? before.name;
  if (connected === before.connected && name === before.name && !becomesSpectator && !becomesRacer)
    return;
  const racer: RacerState = {
    ...before,
    connected,
    name,
    spectator: (before.spectator || becomesSpectator) && !becomesRacer,
  };
  draft.set(i, racer);
  if (becomesSpectator) draft.remove(i);
  if (becomesRacer) draft.insert(i);
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
