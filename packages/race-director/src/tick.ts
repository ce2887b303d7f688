import { listClients, putClient } from './client-table';
import { endRace, startRace } from './commands';
import { DIRECTOR_DEFAULTS } from './director-config';
import { stateRepublishOf } from './director-state';
import { endReasonAt } from './end-rules';
import { readyRacers } from './views';
import {
  answerDue,
  answerState,
  log,
  publishRanking,
  publishState,
  republishState,
  stateChangeDue,
  type Work,
} from './work';

/**
 * @internal The clock moved: silence, auto-start, the ranking schedule, the end rules, the idle
 * flush of the recording, and the next wake-up. After the end nothing runs.
 */
export function onTick(w: Work): void {
  if (w.s.stage === 'post') return;
  markSilent(w);
  const { autoStart } = w.s.config;
  if (w.s.stage === 'pre' && autoStart !== undefined && readyRacers(w.s).length >= autoStart)
    startRace(w);
  if (rankingDue(w)) publishRanking(w);
  if (w.s.stateWanted && answerDue(w)) answerState(w);
  if (w.s.stateDirty && stateChangeDue(w)) publishState(w);
  if (republishDue(w)) republishState(w);
  const reason = endReasonAt(w.s, w.at);
  if (reason !== undefined) {
    endRace(w, reason, false);
    return;
  }
  // The writer cuts a member every few seconds of messages by itself; it has no timers, so when
  // messages stop, the buffer is written out. (Flushing on every tick instead made a member of
  // each quarter second: files four times larger.)
  if (w.s.unflushed && w.at - w.s.lastRecordAt >= DIRECTOR_DEFAULTS.idleFlush) {
    w.s.unflushed = false;
    w.effects.push({ type: 'flush' });
  }
  w.effects.push({ type: 'schedule', at: w.at + DIRECTOR_DEFAULTS.tickInterval });
}

/** The steady republish of the state is due (never with an interval of 0). */
function republishDue(w: Work): boolean {
  const every = stateRepublishOf(w.s.config);
  return every > 0 && w.s.stateAt !== null && w.at - w.s.stateAt >= every;
}

/** A client silent too long is shown as gone, dropped at its last message. */
function markSilent(w: Work): void {
  for (const info of listClients(w.s.clients)) {
    if (info.connected && w.at - info.lastSeen > DIRECTOR_DEFAULTS.silentAfter) {
      w.s.clients = putClient(w.s.clients, {
        ...info,
        connected: false,
        droppedAt: info.lastSeen,
        status: 'silent',
      });
      log(w, `${info.name ?? info.playerId} went silent`);
    }
  }
}

/**
 * The ranking goes out when it changed, at most {@link DIRECTOR_DEFAULTS.rankingMaxHz} times a
 * second, and at least every {@link DIRECTOR_DEFAULTS.rankingSteady} s.
 */
function rankingDue(w: Work): boolean {
  if (w.s.rankingAt === null) return true;
  const since = w.at - w.s.rankingAt;
  return (
    (w.s.rankingDirty && since >= 1 / DIRECTOR_DEFAULTS.rankingMaxHz) ||
    since >= DIRECTOR_DEFAULTS.rankingSteady
  );
}
