import { formatCountdown, formatRaceTime } from '@gw2race/app-shared';
import { toDisplayText } from '@gw2race/protocol';
import { ordinal, type RacerProgress, type TournamentStanding } from '@gw2race/racer-core';

/** How a line of the HUD is coloured: green ahead, red behind, amber for the organizer's word. */
export type HudTone = 'ahead' | 'behind' | 'even' | 'alert';

/** One line of the HUD: its text (empty: hidden) and colour. */
export interface HudLine {
  readonly text: string;
  readonly tone?: HudTone;
}

/** Every line of the HUD page, by the name of its element (`data-hud` on the page). */
export interface HudView {
  /** Who and which race. */
  readonly title: HudLine;
  /** Waiting, starts in, racing, paused, finished, race over. */
  readonly phase: HudLine;
  /** The countdown, the race time, or the finish time. */
  readonly clock: HudLine;
  readonly speed: HudLine;
  /** The next checkpoint of how many, and how far. */
  readonly next: HudLine;
  readonly lap: HudLine;
  /** Position in the race: `P2/5`. */
  readonly position: HudLine;
  /** The last credited split. */
  readonly split: HudLine;
  /** Its delta against the racer's best run on this course. */
  readonly vsBest: HudLine;
  /** Its delta against the leader there (the fastest other racer at that checkpoint). */
  readonly vsLeader: HudLine;
  /** The result once the racer is done or the race is over. */
  readonly result: HudLine;
  /** The tournament standing (after this race, or after the last one while this one runs). */
  readonly standing: HudLine;
  /** In a tournament: which race this is, or what comes next. */
  readonly upNext: HudLine;
}

/** The standing a racer carried from an earlier race of the tournament, shown until this race's. */
export interface EarlierStanding {
  readonly standing: TournamentStanding;
  /** The race it was earned in (from 1), of how many. */
  readonly race: number;
  readonly races: number;
}

/** What {@link hudView} needs beside the progress. */
export interface HudContext {
  readonly name: string;
  readonly raceId: string;
  readonly mode: 'racer' | 'spectator';
  /** The race's track name, once known. */
  readonly trackName: string | undefined;
  /** The standing after the tournament's previous race, if this session followed one. */
  readonly earlier?: EarlierStanding | undefined;
}

const NONE: HudLine = { text: '' };

/**
 * The HUD's lines from what the racer's client knows at an instant (racer-core's
 * `racerProgress`). Pure: the page only puts each text in its element. Texts from the wire (the
 * track's and the next race's names) go through the protocol's `toDisplayText`.
 *
 * @example
 * const view = hudView(racerProgress(core.view, { playerId, atMs }), { name, raceId, mode, trackName });
 * view.vsLeader; // { text: '+0.750 vs leader', tone: 'behind' }
 */
export function hudView(progress: RacerProgress, context: HudContext): HudView {
  const racer = context.mode === 'racer';
  return {
    title: {
      text: `${context.name} · ${context.trackName === undefined ? context.raceId : toDisplayText(context.trackName, 200)}${racer ? '' : ' · spectating'}`,
    },
    phase: phaseLine(progress, context.raceId),
    clock: clockLine(progress),
    speed: progress.speed === undefined ? NONE : { text: `${progress.speed.toFixed(1)} m/s` },
    next: nextLine(progress),
    lap:
      progress.lap && progress.lap.of > 1
        ? { text: `LAP ${progress.lap.lap}/${progress.lap.of}` }
        : NONE,
    position: progress.place ? { text: `P${progress.place.position}/${progress.place.of}` } : NONE,
    split: progress.split
      ? { text: `SPLIT ${progress.split.index + 1}  ${formatRaceTime(progress.split.split)}` }
      : NONE,
    vsBest: deltaLine(progress.split?.vsBest, 'vs your best'),
    vsLeader: deltaLine(progress.split?.vsField, 'vs leader'),
    result: resultLine(progress),
    standing: standingLine(progress, context.earlier),
    upNext: upNextLine(progress),
  };
}

function phaseLine(progress: RacerProgress, raceId: string): HudLine {
  switch (progress.phase) {
    case 'waiting':
      return { text: `WAITING FOR RACE ${raceId}` };
    case 'ready':
      return { text: 'WAITING FOR THE START' };
    case 'countdown':
      return { text: 'STARTS IN' };
    case 'racing':
      return { text: 'RACING' };
    case 'paused':
      return { text: 'PAUSED BY THE ORGANIZER', tone: 'alert' };
    case 'done':
      return { text: statusText(progress.place?.status) };
    case 'over':
      return { text: 'RACE OVER' };
  }
}

function statusText(status: string | undefined): string {
  if (status === 'dnf') return 'DID NOT FINISH';
  if (status === 'dsq') return 'DISQUALIFIED';
  return 'FINISHED';
}

function clockLine(progress: RacerProgress): HudLine {
  if (progress.countdown) return { text: formatCountdown(progress.countdown.remainingMs / 1000) };
  if (progress.raceTime === undefined) return NONE;
  // A finish time is the host's, to the millisecond; a running clock shows tenths.
  const final = progress.place?.time !== undefined;
  return { text: formatRaceTime(progress.raceTime, final ? 3 : 1) };
}

function nextLine(progress: RacerProgress): HudLine {
  const { next, courseLength } = progress;
  if (!next || progress.phase === 'over' || progress.phase === 'done') return NONE;
  const distance = next.distance === undefined ? '' : ` · ${Math.round(next.distance)} m`;
  return { text: `NEXT ${next.index + 1}/${courseLength ?? '?'}${distance}` };
}

/** A signed delta, LiveSplit-style: `-0.250 vs your best` in green, `+0.750 …` in red. */
export function deltaLine(seconds: number | undefined, what: string): HudLine {
  if (seconds === undefined) return NONE;
  const text = `${seconds < 0 ? '-' : '+'}${formatRaceTime(Math.abs(seconds))} ${what}`;
  return { text, tone: seconds < 0 ? 'ahead' : seconds > 0 ? 'behind' : 'even' };
}

function resultLine(progress: RacerProgress): HudLine {
  const { place } = progress;
  if (!place || (progress.phase !== 'done' && progress.phase !== 'over')) return NONE;
  if (place.status === 'dnf' || place.status === 'dsq')
    return { text: place.status === 'dnf' ? 'DNF' : 'DSQ', tone: 'alert' };
  const where = `${ordinal(place.position)} of ${place.of}`;
  const time = place.time === undefined ? '' : ` · ${formatRaceTime(place.time)}`;
  return { text: `${place.final ? '' : 'provisional: '}${where}${time}` };
}

/** `=2nd of 6 · 43 pts (+18)`: a standing in a few words. */
export function standingText(standing: TournamentStanding): string {
  return `${standing.tied ? '=' : ''}${ordinal(standing.position)} of ${standing.of} · ${standing.points} pts (+${standing.racePoints})`;
}

function standingLine(progress: RacerProgress, earlier: EarlierStanding | undefined): HudLine {
  const standing = progress.tournament?.standing;
  if (standing) return { text: `TOURNAMENT ${standingText(standing)}` };
  if (!earlier) return NONE;
  return {
    text: `TOURNAMENT ${standingText(earlier.standing)} after race ${earlier.race}/${earlier.races}`,
  };
}

/** In a tournament: the next race once the host names it, else which race this is. */
export function upNextText(progress: RacerProgress): string {
  const tournament = progress.tournament;
  if (!tournament) return '';
  const next = tournament.nextRace;
  if (next)
    return next.raceId === undefined
      ? 'TOURNAMENT OVER'
      : `NEXT: ${next.name === undefined ? next.raceId : toDisplayText(next.name, 200)}`;
  if (progress.phase !== 'over') return `RACE ${tournament.race} OF ${tournament.races}`;
  return tournament.race < tournament.races
    ? `RACE ${tournament.race} OF ${tournament.races} DONE · NEXT RACE SOON`
    : 'LAST RACE DONE · FINAL STANDINGS';
}

function upNextLine(progress: RacerProgress): HudLine {
  const text = upNextText(progress);
  return text ? { text } : NONE;
}
