import { type CheckpointMessage, type FlagSeverity, toEpochSeconds } from '@gw2race/protocol';
import type { Crossing, Sample } from './advance-course';
import { distanceToCheckpoint } from './checkpoint-distance';
import { type CompiledCheckpoint, type CourseDefinition, checkpointAt } from './course';
import type { Draft } from './draft';
import type { EngineFlagKind } from './flag-mark';
import { evidence, fmt, raise } from './flags';
import { isJump } from './jump';
import type { EngineConfig, PendingReport, RacerState, SampleHistory } from './race-state';

/**
 * @internal A client's `checkpoint` report: checks topic, sequence and course order, then keeps
 * it until the stream can confirm or refute it (see {@link resolveReports}). Reports never credit
 * anything: the position stream does.
 */
export function onCheckpoint(
  draft: Draft,
  msg: CheckpointMessage,
  topicPlayer: string | undefined,
): void {
  if (draft.phase === 'aborted' || draft.phase === 'ended') return;
  const i = draft.ensure(topicPlayer ?? msg.playerId);
  const before = draft.racer(i);
  const heard: RacerState =
    before.connected && !before.spectator
      ? before
      : { ...before, connected: true, spectator: false };
  const racer = takeReport(draft, heard, msg, topicPlayer);
  draft.set(i, racer);
  if (before.spectator) draft.insert(i);
  draft.statusChange(before, racer);
}

/**
 * The racer after a report: refused with a flag (wrong topic, replayed seq, a time before START,
 * a checkpoint not on the track, a lap beyond the race), unchanged for a re-send or the start,
 * or with the report pending (see {@link recordReport}).
 */
function takeReport(
  draft: Draft,
  racer: RacerState,
  msg: CheckpointMessage,
  topicPlayer: string | undefined,
): RacerState {
  if (
    (topicPlayer !== undefined && msg.playerId !== topicPlayer) ||
    (msg.raceId !== undefined && draft.raceId !== undefined && msg.raceId !== draft.raceId)
  ) {
    const message = `checkpoint message for ${msg.raceId ?? '?'}/${msg.playerId} on the wrong topic`;
    return refuse(draft, racer, msg, 'malformed', 'warning', draft.now, message);
  }
  let out = racer;
  if (msg.seq !== undefined) {
    if (racer.checkpointSeqs.includes(msg.seq)) return racer; // QoS 1 re-send: expected
    const highest = racer.checkpointSeqs.reduce((a, b) => Math.max(b, a), -1);
    if (msg.seq < highest) {
      const message = `checkpoint seq ${msg.seq} replayed (highest seen ${highest})`;
      return refuse(draft, racer, msg, 'replay', 'warning', draft.now, message, {
        seq: msg.seq,
        highest,
      });
    }
    out = { ...racer, checkpointSeqs: [...racer.checkpointSeqs, msg.seq] };
  }
  const ts = toEpochSeconds(msg.ts, draft.t0);
  if (ts === undefined) {
    const message = `checkpoint ${msg.cp} reported with a race-relative time before START`;
    return refuse(draft, out, msg, 'malformed', 'info', draft.now, message);
  }
  const course = draft.config.course;
  const position = course.lap.findIndex((cp) => cp.id === msg.cp);
  // Leaving the start is not a crossing of the course (some clients report it): nothing to judge.
  if (position < 0 && msg.cp === course.start.id) return out;
  if (position < 0) {
    const message = `checkpoint ${msg.cp} is not on this track`;
    return refuse(draft, out, msg, 'malformed', 'warning', ts, message);
  }
  const index = reportedIndex(course, out.lastReported, position, msg.lap);
  if (msg.lap !== undefined && index >= course.length) {
    const message = `checkpoint ${msg.cp} reported for lap ${msg.lap} of a ${course.laps}-lap race`;
    return refuse(draft, out, msg, 'order', 'warning', ts, message, { lap: msg.lap });
  }
  if (out.reported.includes(index)) return out; // the same crossing re-sent
  return recordReport(draft, out, msg, index, ts);
}

/** A report flag about the reported checkpoint. */
function refuse(
  draft: Draft,
  racer: RacerState,
  msg: CheckpointMessage,
  kind: EngineFlagKind,
  severity: FlagSeverity,
  t: number,
  message: string,
  data?: Record<string, unknown>,
): RacerState {
  const details = data === undefined ? { message, cp: msg.cp } : { message, cp: msg.cp, data };
  return raise(draft, racer, kind, severity, t, details, 'report', true);
}

/**
 * The course index a report of the checkpoint at `position` of a lap claims: on the lap it
 * names; without one, its next occurrence after the last one reported (within a lap), else the
 * most recent earlier one (a late re-send, or out of order).
 */
function reportedIndex(
  course: CourseDefinition,
  lastReported: number,
  position: number,
  lap: number | undefined,
): number {
  const lapLength = course.lap.length;
  if (lap !== undefined) return (lap - 1) * lapLength + position;
  for (let k = lastReported + 1; k < course.length && k <= lastReported + lapLength; k++) {
    if (k % lapLength === position) return k;
  }
  const back = (((lastReported - position) % lapLength) + lapLength) % lapLength;
  return Math.max(position, lastReported - back);
}

/**
 * Keeps a report to judge (flagging it when out of course order), judges what the stream can
 * already tell, and moves the host-clock deadline of pending reports forward if needed.
 */
function recordReport(
  draft: Draft,
  racer: RacerState,
  msg: CheckpointMessage,
  index: number,
  ts: number,
): RacerState {
  const config = draft.config;
  const course = config.course;
  const lapLength = course.lap.length;
  let out = racer;
  if (index !== racer.lastReported + 1) {
    const expected = course.lap[(racer.lastReported + 1) % lapLength];
    const message = `checkpoint ${msg.cp} (lap ${Math.floor(index / lapLength) + 1}) reported out of course order; next expected ${expected?.id ?? 'none'}`;
    out = refuse(draft, out, msg, 'order', 'warning', ts, message, {
      reportedIndex: index,
      expectedIndex: racer.lastReported + 1,
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
  out = {
    ...out,
    reports: [...out.reports, report],
    reported: [...out.reported, index],
    lastReported: Math.max(out.lastReported, index),
  };
  out = resolveReports(draft, out, false);
  if (out.reports.length > 0) {
    const deadline = ts + config.reportTimeout;
    if (deadline < draft.deadline) draft.deadline = deadline;
  }
  return out;
}

/**
 * Judges pending reports: against the stream's crossing when it came in time, as `no-crossing`
 * once the stream (or the host clock) is past the report without one, all of them when `final`.
 */
export function resolveReports(draft: Draft, racer: RacerState, final: boolean): RacerState {
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
  const tolerance =
    Math.min(report.uncertainty, draft.config.maxDeclaredUncertainty) +
    crossing.uncertainty +
    0.001;
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
    'report',
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
  const cp = checkpointAt(draft.config.course, report.index);
  const look = lookBack(racer.history, cp, report.ts);
  const inside = look.closest !== undefined && look.distance === 0;
  const what =
    crossing !== undefined
      ? `reached it only ${fmt(crossing.t - report.ts)} s later`
      : !seen
        ? 'has no positions after that time to confirm it'
        : !inside
          ? 'never reached it'
          : landedByJump(draft.config, racer.history, cp)
            ? 'only landed in it by a jump (a teleport or a map change), which counts once the racer has left it and come back'
            : 'was in it, but not when it was the next checkpoint of the course';
  const closest =
    look.closest === undefined || (inside && seen && crossing === undefined)
      ? ''
      : inside
        ? '; a sample was inside it'
        : `; ${closestText(cp, look.distance)}`;
  const samples: Sample[] = [];
  for (const s of [look.closest, look.before, look.after, last]) {
    if (s !== undefined && s !== null && !samples.includes(s)) samples.push(s);
  }
  samples.sort((a, b) => a.t - b.t);
  return raise(
    draft,
    racer,
    'no-crossing',
    seen ? 'critical' : 'warning',
    report.ts,
    {
      message: `checkpoint ${report.cp} (lap ${report.lap}) reported, but the position stream ${what}${closest}`,
      cp: report.cp,
      ...(samples.length === 0 ? {} : { samples: samples.map((s) => evidence(s)) }),
      data: {
        lap: report.lap,
        reported: report.ts,
        stream: crossing?.t ?? null,
        credited: racer.course.next,
        closestDistance: look.closest === undefined ? null : look.distance,
        closestAt: look.closest?.t ?? null,
        sampleBefore: look.before?.t ?? null,
        sampleAfter: look.after?.t ?? null,
        searchedFrom: look.oldest ?? null,
      },
    },
    'report',
  );
}

interface LookBack {
  /** The sample of the history closest to the checkpoint, and its distance (m, from its edge). */
  closest: Sample | undefined;
  distance: number;
  /** The last sample at or before the reported instant, and the first after it. */
  before: Sample | undefined;
  after: Sample | undefined;
  /** Time of the oldest sample searched. */
  oldest: number | undefined;
}

/** What the racer's recent samples say about a reported crossing (evidence for a flag). */
function lookBack(history: SampleHistory | null, cp: CompiledCheckpoint, ts: number): LookBack {
  const out: LookBack = {
    closest: undefined,
    distance: Number.POSITIVE_INFINITY,
    before: undefined,
    after: undefined,
    oldest: undefined,
  };
  for (let n = history; n !== null; n = n.older) {
    const s = n.sample;
    out.oldest = s.t;
    if (s.t > ts) out.after = s;
    else if (out.before === undefined) out.before = s;
    const d = distanceToCheckpoint(cp, s);
    if (d < out.distance) {
      out.distance = d;
      out.closest = s;
    }
  }
  return out;
}

/** Whether the history shows the racer jumping (teleport, map change) into the checkpoint. */
function landedByJump(
  config: EngineConfig,
  history: SampleHistory | null,
  cp: CompiledCheckpoint,
): boolean {
  for (let n = history; n !== null && n.older !== null; n = n.older) {
    const to = n.sample;
    const from = n.older.sample;
    if (
      distanceToCheckpoint(cp, to) === 0 &&
      distanceToCheckpoint(cp, from) > 0 &&
      isJump(config, from, to)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * What the closest sample says, measured as {@link distanceToCheckpoint} measures: from a sphere's surface
 * (or a gate's line), with centimetres when it was close, and why that is still no crossing.
 */
function closestText(cp: CompiledCheckpoint, distance: number): string {
  const shown = distance < 1 ? fmt(distance, 2) : fmt(distance, 1);
  const where = cp.gate ? 'from its gate line' : 'outside its edge';
  const why = cp.gate
    ? 'and no step between two samples crossed the line'
    : 'and no step between two samples passed through it';
  return `the closest sample was ${shown} m ${where}, ${why}`;
}

/** @internal Judges every report whose host-clock timeout has passed, and sets the next one. */
export function sweepReports(draft: Draft): void {
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
