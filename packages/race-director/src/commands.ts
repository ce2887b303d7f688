import { findRacer } from '@gw2race/race-engine';
import type { CommandResult, OrganizerCommand } from './director-input';
import type { DirectorState } from './director-state';
import { log, nameIn, publishControl, publishRanking, publishState, type Work } from './work';

const OK: CommandResult = Object.freeze({ ok: true });
const refuse = (error: string): CommandResult => ({ ok: false, error });

/**
 * Whether `command` can be carried out now, and why not. Pure: {@link direct} checks with it
 * before it acts, and a form can grey out a button with it.
 */
export function checkCommand(state: DirectorState, command: OrganizerCommand): CommandResult {
  switch (command.action) {
    case 'start':
      return state.stage !== 'pre' ? refuse('the race has already started') : OK;
    case 'message':
      return state.stage === 'post' ? refuse('the race is over') : OK;
    case 'pause':
      if (state.stage !== 'active') return refuse('the race is not running');
      return state.paused ? refuse('already paused') : OK;
    case 'resume':
      return state.stage !== 'active' || !state.paused ? refuse('the race is not paused') : OK;
    case 'end':
    case 'abort':
      return state.stage === 'post' ? refuse('the race is already over') : OK;
    case 'ruling':
      return findRacer(state.engine, command.playerId) === undefined
        ? refuse(`no racer "${command.playerId}" in this race`)
        : OK;
  }
}

/** @internal Carries out a command {@link checkCommand} accepted. */
export function runCommand(w: Work, command: OrganizerCommand): void {
  switch (command.action) {
    case 'start':
      startRace(w, command.delay);
      return;
    case 'message':
      publishControl(w, {
        cmd: 'MSG',
        text: command.text,
        level: 'important',
        ...(command.to ? { to: command.to } : {}),
      });
      log(w, `message sent: ${command.text}`);
      return;
    case 'pause':
      pause(w);
      return;
    case 'resume':
      resume(w);
      return;
    case 'end':
      endRace(w, command.reason ?? 'ended by the organizer', false);
      return;
    case 'abort':
      endRace(w, command.reason ?? 'aborted by the organizer', true);
      return;
    case 'ruling': {
      const { playerId, ruling, reason } = command;
      publishControl(w, {
        cmd: 'RULING',
        playerId,
        action: ruling,
        at: w.at,
        ...(reason ? { reason } : {}),
      });
      log(w, `ruling: ${ruling} ${nameIn(w, playerId)}${reason ? ` (${reason})` : ''}`);
      if (w.s.stage === 'post') amendResults(w);
      else w.s.rankingDirty = true;
      return;
    }
  }
}

/**
 * A ruling after the end (the post-race stage, no ticks any more): the final ranking it changes
 * goes out and into the recording at once, the recording is written out, and the results are
 * to be written again.
 */
function amendResults(w: Work): void {
  publishRanking(w, !w.s.aborted);
  w.effects.push({ type: 'flush' }, { type: 'amended' });
}

/** t0 `delay` seconds from now, on the millisecond. */
function t0After(w: Work, delay: number): number {
  return Math.round((w.at + delay) * 1000) / 1000;
}

/** @internal Publishes START with t0 `delay` seconds from now (the configured delay by default). */
export function startRace(w: Work, delay = w.s.config.startDelay): void {
  w.s.stage = 'active';
  publishControl(w, { cmd: 'START', t0: t0After(w, delay), serverClock: w.at });
  publishState(w);
  log(w, `START: the race starts in ${delay} s`);
  w.s.rankingDirty = true;
}

/**
 * Holds the race. Before t0 the countdown is called off (the engine forgets t0, and so does the
 * state racers see); resume then starts a new one.
 */
function pause(w: Work): void {
  w.s.paused = true;
  const held = w.s.engine.t0;
  publishControl(w, { cmd: 'PAUSE', at: w.at });
  if (held !== null && w.s.engine.t0 === null) {
    publishState(w);
    log(w, 'PAUSE: the countdown is held; resume to start a new one');
  } else log(w, 'PAUSE');
  w.s.rankingDirty = true;
}

/** Continues after a pause. When the pause held the countdown, RESUME carries a new t0. */
function resume(w: Work): void {
  w.s.paused = false;
  if (w.s.engine.t0 === null) {
    const delay = w.s.config.startDelay;
    publishControl(w, { cmd: 'RESUME', at: w.at, t0: t0After(w, delay) });
    publishState(w);
    log(w, `RESUME: the race starts in ${delay} s`);
  } else {
    publishControl(w, { cmd: 'RESUME', at: w.at });
    log(w, 'RESUME');
  }
  w.s.rankingDirty = true;
}

/** @internal Ends the race: END (or ABORT), final ranking, post-race state, then `ended`. */
export function endRace(w: Work, reason: string, aborted: boolean): void {
  if (w.s.stage === 'post') return;
  w.s.endReason = reason;
  w.s.aborted = aborted;
  publishControl(w, aborted ? { cmd: 'ABORT', reason } : { cmd: 'END', reason, at: w.at });
  publishRanking(w, !aborted);
  w.s.stage = 'post';
  // The post-race state closes the race: after it the recording takes only rulings and the
  // final rankings they change.
  publishState(w);
  w.s.closed = true;
  w.effects.push({ type: 'log', line: `${aborted ? 'ABORT' : 'END'}: ${reason}` });
  w.effects.push({ type: 'ended', reason, aborted });
}
