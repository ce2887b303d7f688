import {
  type CheckpointMessage,
  type ControlMessage,
  type FlagKind,
  type FlagMessage,
  type FlagSeverity,
  type PingMessage,
  type PosMessage,
  type PresenceMessage,
  presenceKind,
  type RacerStatus,
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
import {
  compareRacers,
  createRacer,
  type EngineConfig,
  type EngineInput,
  type PendingReport,
  type RacePhase,
  type RacerState,
  type RaceState,
  type RulingInput,
  racerStatus,
  sortedOrder,
} from './race-state';
import type { RacerTable } from './racer-table';
import { speedLimitFor } from './speed-limits';

/** Something that happened, as data. The caller decides what to publish or show. */
export type EngineEvent =
  /** The race changed phase (START, PAUSE, RESUME, END, ABORT, or a new t0). */
  | {
      readonly type: 'race';
      readonly phase: RacePhase;
      readonly t0: number | null;
      readonly at: number;
      readonly reason?: string;
    }
  /** A racer appeared (first message about them). */
  | { readonly type: 'racer-added'; readonly playerId: string; readonly at: number }
  /** A racer's clock started (mass start: at t0; time trial: on leaving the start). */
  | { readonly type: 'started'; readonly playerId: string; readonly t: number }
  /** A time-trial racer went back into the start before the first checkpoint: clock reset. */
  | { readonly type: 'rearmed'; readonly playerId: string; readonly t: number }
  /** A checkpoint was credited. `raceTime` is seconds since the racer's start. */
  | {
      readonly type: 'checkpoint';
      readonly playerId: string;
      readonly crossing: Crossing;
      readonly raceTime: number;
    }
  /** A lap was completed. */
  | {
      readonly type: 'lap';
      readonly playerId: string;
      readonly lap: number;
      readonly lapTime: number;
      readonly raceTime: number;
      readonly t: number;
    }
  /** A racer finished; `time` is their total race time. */
  | {
      readonly type: 'finished';
      readonly playerId: string;
      readonly time: number;
      readonly t: number;
    }
  /** A racer's ranking status changed. */
  | {
      readonly type: 'status';
      readonly playerId: string;
      readonly from: RacerStatus;
      readonly to: RacerStatus;
    }
  /** A flag was raised for the organizer. */
  | { readonly type: 'flag'; readonly flag: FlagMessage }
  /** A client-reported checkpoint matched the stream within its uncertainty. */
  | {
      readonly type: 'report-confirmed';
      readonly playerId: string;
      readonly cp: number;
      readonly lap: number;
      /** Reported minus stream time, s. */
      readonly difference: number;
    }
  /** A racer moved in the ranking (others shift by one between `from` and `to`). */
  | {
      readonly type: 'ranking-changed';
      readonly playerId: string;
      readonly from: number;
      readonly to: number;
    };

const NO_EVENTS: readonly EngineEvent[] = Object.freeze([]);
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

/** The working copy of one step: copies what it changes, once. */
class Draft {
  readonly base: RaceState;
  readonly now: number;
  config: EngineConfig;
  phase: RacePhase;
  raceId: string | undefined;
  t0: number | null;
  endedAt: number | null;
  endReason: string | undefined;
  deadline: number;
  index: ReadonlyMap<string, number>;
  order: readonly number[];
  events: EngineEvent[] | undefined;
  /** Racer count. */
  count: number;
  // The racer table's chunks: shared with the base state until the first change, then the
  // chunk list and each changed chunk are copied once per step.
  private chunks: readonly (readonly RacerState[])[];
  private copied: boolean[] | undefined;

  constructor(state: RaceState, at: number) {
    this.base = state;
    this.now = Math.max(at, state.now);
    this.config = state.config;
    this.phase = state.phase;
    this.raceId = state.raceId;
    this.t0 = state.t0;
    this.endedAt = state.endedAt;
    this.endReason = state.endReason;
    this.deadline = state.deadline;
    this.index = state.index;
    this.order = state.order;
    this.count = state.racers.size;
    this.chunks = state.racers.chunks;
  }

  racer(i: number): RacerState {
    return (this.chunks[i >>> 5] as readonly RacerState[])[i & 31] as RacerState;
  }

  set(i: number, racer: RacerState): void {
    this.writable(i >>> 5)[i & 31] = racer;
  }

  private writable(c: number): RacerState[] {
    let copied = this.copied;
    if (copied === undefined) {
      this.chunks = this.chunks.slice();
      copied = [];
      this.copied = copied;
    }
    const chunks = this.chunks as (readonly RacerState[])[];
    if (c === chunks.length) chunks.push([]);
    if (copied[c] !== true) {
      chunks[c] = (chunks[c] as readonly RacerState[]).slice();
      copied[c] = true;
    }
    return chunks[c] as RacerState[];
  }

  /** The racers as a table (the base state's when nothing changed). */
  table(): RacerTable<RacerState> {
    return this.copied === undefined ? this.base.racers : { size: this.count, chunks: this.chunks };
  }

  /** The racer's index, adding them (ranked unless `spectator`) if new. */
  ensure(playerId: string, spectator = false): number {
    const known = this.index.get(playerId);
    if (known !== undefined) return known;
    const i = this.count;
    const index = new Map(this.index);
    index.set(playerId, i);
    this.index = index;
    const racer = spectator ? { ...createRacer(playerId), spectator: true } : createRacer(playerId);
    this.writable(i >>> 5).push(racer);
    this.count = i + 1;
    if (!spectator) this.insert(i);
    this.emit({ type: 'racer-added', playerId, at: this.now });
    return i;
  }

  emit(event: EngineEvent): void {
    if (this.events === undefined) this.events = [event];
    else this.events.push(event);
  }

  statusOf(racer: RacerState): RacerStatus {
    return racerStatus(this, racer);
  }

  /** Emits a status event if `racer`'s status differs from `before`'s. */
  statusChange(before: RacerState, racer: RacerState, phaseBefore = this.phase): void {
    const from = racerStatus({ phase: phaseBefore }, before);
    const to = this.statusOf(racer);
    if (from !== to) this.emit({ type: 'status', playerId: racer.playerId, from, to });
  }

  /** Puts racer `i` where it belongs in the ranking after its key changed. */
  reposition(i: number): void {
    const from = this.order.indexOf(i);
    if (from < 0) {
      this.insert(i);
      return;
    }
    const racer = this.racer(i);
    const order = this.order;
    let to = from;
    while (to > 0 && compareRacers(racer, this.racer(order[to - 1] as number)) < 0) to--;
    if (to === from) {
      while (
        to < order.length - 1 &&
        compareRacers(racer, this.racer(order[to + 1] as number)) > 0
      ) {
        to++;
      }
    }
    if (to === from) return;
    const next = order.slice();
    next.splice(from, 1);
    next.splice(to, 0, i);
    this.order = next;
    this.emit({ type: 'ranking-changed', playerId: racer.playerId, from: from + 1, to: to + 1 });
  }

  insert(i: number): void {
    const racer = this.racer(i);
    const order = this.order;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRacers(this.racer(order[mid] as number), racer) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const next = order.slice();
    next.splice(lo, 0, i);
    this.order = next;
  }

  remove(i: number): void {
    const at = this.order.indexOf(i);
    if (at < 0) return;
    const next = this.order.slice();
    next.splice(at, 1);
    this.order = next;
  }

  finish(): readonly [RaceState, readonly EngineEvent[]] {
    const state: RaceState = {
      config: this.config,
      phase: this.phase,
      raceId: this.raceId,
      t0: this.t0,
      now: this.now,
      endedAt: this.endedAt,
      endReason: this.endReason,
      index: this.index,
      racers: this.table(),
      order: this.order,
      deadline: this.deadline,
      inputs: this.base.inputs + 1,
    };
    return [state, this.events ?? NO_EVENTS];
  }
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

function flagMapChange(draft: Draft, racer: RacerState, prev: Sample, sample: Sample): RacerState {
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
    true,
  );
}

function flagTeleport(
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
    true,
  );
}

function flagSpeed(
  draft: Draft,
  racer: RacerState,
  from: Sample,
  to: Sample,
  speed: number,
  limit: number,
): RacerState {
  return raise(
    draft,
    racer,
    'speed',
    speed > limit * 1.25 ? 'critical' : 'warning',
    to.t,
    {
      message: `${fmt(speed, 1)} m/s over ${fmt(to.t - from.t)} s, limit ${limit} m/s`,
      samples: [evidence(from), evidence(to, speed)],
      data: { speed, limit, mount: to.mount ?? null, seconds: to.t - from.t },
    },
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Client-reported checkpoints

function onCheckpoint(draft: Draft, msg: CheckpointMessage, topicPlayer: string | undefined): void {
  if (draft.phase === 'aborted' || draft.phase === 'ended') return;
  const playerId = topicPlayer ?? msg.playerId;
  const i = draft.ensure(playerId);
  const before = draft.racer(i);
  let racer: RacerState =
    before.connected && !before.spectator
      ? before
      : { ...before, connected: true, spectator: false };
  const config = draft.config;
  const course = config.course;
  const done = (next: RacerState) => {
    draft.set(i, next);
    if (before.spectator) draft.insert(i);
    draft.statusChange(before, next);
  };
  if (
    (topicPlayer !== undefined && msg.playerId !== topicPlayer) ||
    (msg.raceId !== undefined && draft.raceId !== undefined && msg.raceId !== draft.raceId)
  ) {
    done(
      raise(draft, racer, 'malformed', 'warning', draft.now, {
        message: `checkpoint message for ${msg.raceId ?? '?'}/${msg.playerId} on the wrong topic`,
        cp: msg.cp,
      }),
    );
    return;
  }
  if (msg.seq !== undefined) {
    if (racer.checkpointSeqs.includes(msg.seq)) {
      done(racer);
      return;
    } // QoS 1 re-send: expected
    const highest = racer.checkpointSeqs.reduce((a, b) => Math.max(b, a), -1);
    if (msg.seq < highest) {
      done(
        raise(draft, racer, 'replay', 'warning', draft.now, {
          message: `checkpoint seq ${msg.seq} replayed (highest seen ${highest})`,
          cp: msg.cp,
          data: { seq: msg.seq, highest },
        }),
      );
      return;
    }
    racer = { ...racer, checkpointSeqs: [...racer.checkpointSeqs, msg.seq] };
  }
  const ts = toEpochSeconds(msg.ts, draft.t0);
  if (ts === undefined) {
    done(
      raise(draft, racer, 'malformed', 'info', draft.now, {
        message: `checkpoint ${msg.cp} reported with a race-relative time before START`,
        cp: msg.cp,
      }),
    );
    return;
  }
  const lapLength = course.lap.length;
  const position = course.lap.findIndex((cp) => cp.id === msg.cp);
  if (position < 0) {
    done(
      raise(draft, racer, 'malformed', 'warning', ts, {
        message: `checkpoint ${msg.cp} is not on this track`,
        cp: msg.cp,
      }),
    );
    return;
  }
  let index: number;
  if (msg.lap !== undefined) {
    index = (msg.lap - 1) * lapLength + position;
    if (index >= course.length) {
      done(
        raise(draft, racer, 'order', 'warning', ts, {
          message: `checkpoint ${msg.cp} reported for lap ${msg.lap} of a ${course.laps}-lap race`,
          cp: msg.cp,
          data: { lap: msg.lap },
        }),
      );
      return;
    }
  } else {
    index = -1;
    for (
      let k = racer.lastReported + 1;
      k < course.length && k <= racer.lastReported + lapLength;
      k++
    ) {
      if (k % lapLength === position) {
        index = k;
        break;
      }
    }
    if (index < 0) {
      // Nothing ahead: the most recent earlier occurrence (a late re-send, or out of order).
      const back = (((racer.lastReported - position) % lapLength) + lapLength) % lapLength;
      index = Math.max(position, racer.lastReported - back);
    }
  }
  if (racer.reported.includes(index)) {
    done(racer);
    return;
  } // the same crossing re-sent
  if (index !== racer.lastReported + 1) {
    const expected = course.lap[(racer.lastReported + 1) % lapLength];
    racer = raise(draft, racer, 'order', 'warning', ts, {
      message: `checkpoint ${msg.cp} (lap ${Math.floor(index / lapLength) + 1}) reported out of course order; next expected ${expected?.id ?? 'none'}`,
      cp: msg.cp,
      data: { reportedIndex: index, expectedIndex: racer.lastReported + 1 },
    });
  }
  const report: PendingReport = {
    index,
    cp: msg.cp,
    lap: Math.floor(index / lapLength) + 1,
    ts,
    uncertainty: msg.uncertainty ?? config.defaultReportUncertainty,
    at: draft.now,
  };
  racer = {
    ...racer,
    reports: [...racer.reports, report],
    reported: [...racer.reported, index],
    lastReported: Math.max(racer.lastReported, index),
  };
  racer = resolveReports(draft, racer, false);
  if (racer.reports.length > 0) {
    const deadline = ts + config.reportTimeout;
    if (deadline < draft.deadline) draft.deadline = deadline;
  }
  done(racer);
}

/**
 * Judges pending reports: against the stream's crossing when it came in time, as `no-crossing`
 * once the stream (or the host clock) is past the report without one, all of them when `final`.
 */
function resolveReports(draft: Draft, racer: RacerState, final: boolean): RacerState {
  const config = draft.config;
  const streamTime = racer.course.last?.t ?? Number.NEGATIVE_INFINITY;
  let out = racer;
  let remaining: PendingReport[] | undefined;
  for (const report of racer.reports) {
    const limit = report.ts + config.reportGrace;
    const crossing = racer.course.crossings[report.index];
    if (crossing !== undefined && crossing.t <= limit) {
      out = judgeReport(draft, out, report, crossing);
    } else if (final || streamTime > limit || draft.now >= report.ts + config.reportTimeout) {
      out = noCrossing(draft, out, report, crossing);
    } else {
      if (remaining === undefined) remaining = [];
      remaining.push(report);
    }
  }
  if (remaining?.length === racer.reports.length) return racer;
  return { ...out, reports: remaining ?? [] };
}

function judgeReport(
  draft: Draft,
  racer: RacerState,
  report: PendingReport,
  crossing: Crossing,
): RacerState {
  const difference = report.ts - crossing.t;
  const tolerance = report.uncertainty + crossing.uncertainty + 0.001;
  if (Math.abs(difference) <= tolerance) {
    draft.emit({
      type: 'report-confirmed',
      playerId: racer.playerId,
      cp: report.cp,
      lap: report.lap,
      difference,
    });
    return racer;
  }
  return raise(
    draft,
    racer,
    'time-mismatch',
    Math.abs(difference) - tolerance > 1 ? 'critical' : 'warning',
    report.ts,
    {
      message: `checkpoint ${report.cp} (lap ${report.lap}) reported at ${fmt(difference)} s from the stream's crossing (tolerance ±${fmt(tolerance)} s)`,
      cp: report.cp,
      samples: [evidence(crossing, crossing.speed)],
      data: {
        lap: report.lap,
        reported: report.ts,
        stream: crossing.t,
        difference,
        tolerance,
      },
    },
  );
}

function noCrossing(
  draft: Draft,
  racer: RacerState,
  report: PendingReport,
  crossing: Crossing | undefined,
): RacerState {
  const last = racer.course.last;
  const seen = last !== null && last.t > report.ts;
  const what =
    crossing !== undefined
      ? `reached it only ${fmt(crossing.t - report.ts)} s later`
      : seen
        ? 'never reached it'
        : 'has no positions after that time to confirm it';
  return raise(draft, racer, 'no-crossing', seen ? 'critical' : 'warning', report.ts, {
    message: `checkpoint ${report.cp} (lap ${report.lap}) reported, but the position stream ${what}`,
    cp: report.cp,
    ...(last === null ? {} : { samples: [evidence(last)] }),
    data: {
      lap: report.lap,
      reported: report.ts,
      stream: crossing?.t ?? null,
      credited: racer.course.next,
    },
  });
}

function sweepReports(draft: Draft): void {
  let deadline = Number.POSITIVE_INFINITY;
  const timeout = draft.config.reportTimeout;
  for (let i = 0; i < draft.count; i++) {
    const racer = draft.racer(i);
    if (racer.reports.length === 0) continue;
    const next = resolveReports(draft, racer, false);
    if (next !== racer) draft.set(i, next);
    for (const report of next.reports) deadline = Math.min(deadline, report.ts + timeout);
  }
  draft.deadline = deadline;
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

// ---------------------------------------------------------------------------------------------
// Flags

interface FlagDetails {
  message: string;
  cp?: number;
  samples?: FlagMessage['samples'];
  data?: Record<string, unknown>;
}

/**
 * Raises a flag on `racer` (returning the updated racer) and emits it. With `cooldown`, a flag of
 * the same kind within `flagCooldown` seconds of the last one is counted but not raised.
 */
function raise(
  draft: Draft,
  racer: RacerState,
  kind: FlagKind,
  severity: FlagSeverity,
  t: number,
  details: FlagDetails,
  cooldown = false,
): RacerState {
  const last = racer.flagAt[kind];
  if (cooldown && last !== undefined && t - last < draft.config.flagCooldown && t >= last) {
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
  return { ...racer, flags: [...racer.flags, flag], flagAt: { ...racer.flagAt, [kind]: t } };
}

function evidence(
  s: { t: number; x: number; y: number; z: number },
  v?: number,
): NonNullable<FlagMessage['samples']>[number] {
  return v === undefined || !(v >= 0)
    ? { t: Math.max(0, s.t), x: s.x, y: s.y, z: s.z }
    : { t: Math.max(0, s.t), x: s.x, y: s.y, z: s.z, v };
}

function fmt(value: number, digits = 3): string {
  return value.toFixed(digits);
}
