import { type CheckpointMessage, toEpochSeconds } from '@gw2race/protocol';
import type { Crossing } from './advance-course';
import type { Draft } from './draft';
import { evidence, fmt, raise } from './flags';
import type { PendingReport, RacerState } from './race-state';

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
  if (position < 0 && msg.cp === course.start.id) {
    // Leaving the start is not a crossing of the course (some clients report it): nothing to judge.
    done(racer);
    return;
  }
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
