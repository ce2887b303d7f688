import { buildTopic, type ReceivedMessage } from '@gw2race/protocol';
import { listClients, putClient } from './client-table';
import { DIRECTOR_DEFAULTS } from './director-config';
import { onMessage } from './on-message';
import { ingest, log, publishRanking, publishState, type Work } from './work';

/**
 * @internal A recorded line fed back: judged as it was live. What the director authored (state,
 * control, ranking, flags) was recorded as it went out, so it restores the director's own
 * bookkeeping (stage, pause, end, the schedules) from the line itself; flags come back from the
 * engine judging the same inputs again, so their recorded copies only keep the time grid.
 */
export function onRecorded(w: Work, entry: ReceivedMessage): void {
  switch (entry.kind) {
    case 'state':
      w.s.stateMessage = entry.message;
      w.s.stateDirty = false;
      w.s.stage = entry.message.stage ?? w.s.stage;
      w.s.stateAt = entry.at;
      ingest(w, entry);
      // The post-race state: the race is over (rulings may follow it).
      if (w.s.stage === 'post') w.s.closed = true;
      return;
    case 'control': {
      const control = entry.message;
      if (control.cmd === 'PAUSE') w.s.paused = true;
      else if (control.cmd === 'RESUME') w.s.paused = false;
      else if (control.cmd === 'END') w.s.endReason = control.reason;
      else if (control.cmd === 'ABORT') {
        w.s.endReason = control.reason;
        w.s.aborted = true;
      }
      ingest(w, entry);
      return;
    }
    case 'ranking':
      w.s.rankingAt = entry.at;
      w.s.rankingDirty = false;
      ingest(w, entry);
      return;
    case 'flag':
      ingest(w, entry);
      return;
    case 'pong':
      return;
    default:
      onMessage(w, entry);
  }
}

/**
 * @internal Live again after a rebuild. The host was away, not the racers: everyone it saw
 * connected counts as heard from now (silence counts from here). Every client is followed
 * again, the state and the ranking go out, and the ticks begin again.
 */
export function onReopen(w: Work): void {
  if (w.s.stage === 'post') {
    log(w, 'the race is over: nothing to resume');
    return;
  }
  const away = w.s.lastRecordAt > 0 ? w.at - w.s.lastRecordAt : 0;
  for (const info of listClients(w.s.clients)) {
    if (info.connected) w.s.clients = putClient(w.s.clients, { ...info, lastSeen: w.at });
    w.effects.push({
      type: 'follow',
      playerId: info.playerId,
      topic: buildTopic(w.s.config.raceId, 'pos', info.playerId),
    });
  }
  log(w, `resumed: nothing was recorded for ${away.toFixed(1)} s`);
  publishState(w);
  publishRanking(w);
  w.effects.push({ type: 'schedule', at: w.at + DIRECTOR_DEFAULTS.tickInterval });
}
