import {
  type createColors,
  formatCountdown,
  formatGap,
  formatMs,
  formatRaceTime,
  formatTable,
} from '@gw2race/app-shared';
import type { MumbleLinkSample } from '@gw2race/mumblelink';
import { toDisplayText } from '@gw2race/protocol';
import { type RacerProgress, type RacerView, splitDelta } from '@gw2race/racer-core';
import { type EarlierStanding, standingText } from './hud-view';
import type { PersonalBest } from './personal-best';

type Colors = ReturnType<typeof createColors>;

/** A message shown on the racer's screen. */
export interface ShownMessage {
  /** Wall-clock instant it was shown, epoch ms (for its time of day). */
  at: number;
  text: string;
  level: 'info' | 'warning' | 'important';
}

/** Everything the racer's screen shows. */
export interface RacerScreen {
  /** Who and where, from the command line. */
  options: {
    readonly raceId: string;
    readonly playerId: string;
    readonly name: string;
    readonly mode: 'racer' | 'spectator';
    readonly broker: string;
  };
  /** What the racer core knows. */
  racer: RacerView<MumbleLinkSample>;
  /** The UTC offset from SNTP, which only informs. */
  utc: { offsetMs: number; boundMs: number } | 'unavailable' | 'pending' | 'off';
  /** What the MumbleLink reader watches. */
  mumbleWhere: string;
  /** The latest messages, oldest first. */
  messages: readonly ShownMessage[];
  /** The racer's best run on this course, to race against (kept between races). */
  best?: PersonalBest | undefined;
  /** What racer-core's `racerProgress` read at this redraw: place, next checkpoint, lap. */
  progress?: RacerProgress | undefined;
  /** The standing after the tournament's previous race, until this race's. */
  earlier?: EarlierStanding | undefined;
  /** The HUD page's address, with `--hud`. */
  hudUrl?: string | undefined;
}

/** The racer's screen as text: who and where, the clock, the countdown or race time, messages, ranking. */
export function renderRacerScreen(view: RacerScreen, c: Colors): string {
  return [
    ...headerLines(view, c),
    '',
    ...raceLines(view, c),
    '',
    ...messageLines(view, c),
    ...rankingLines(view, c),
  ].join('\n');
}

/** Race and track, who, the game, the clocks. */
function headerLines(view: RacerScreen, c: Colors): string[] {
  const { options, racer } = view;
  const { state } = racer;
  const lines: string[] = [];
  // Everything the hub sent (the state, messages, the ranking) goes through toDisplayText: the
  // schema refuses controls in names, but not in every field (track ids, error texts quoting input).
  const track = state
    ? `${toDisplayText(state.trackName ?? state.trackId, 200)} (${state.checkpoints.length} checkpoints, ${state.laps ?? 1} lap${(state.laps ?? 1) > 1 ? 's' : ''})`
    : 'waiting for the race…';
  lines.push(c.bold(`gw2race-racer · race ${options.raceId} · ${track}`));
  const hub = racer.hub === 'online' ? c.green('online') : c.yellow(racer.hub);
  lines.push(
    `You: ${options.name} (${options.playerId}) · ${options.mode} · hub ${options.broker} ${hub}`,
  );

  if (options.mode === 'racer') {
    const frame = racer.latest?.frame;
    const where = frame
      ? ` · map ${frame.context?.mapId ?? '?'}${frame.context?.mount ? `, ${frame.context.mount}` : ''} · ${racer.latest ? `${racer.latest.speed.toFixed(1)} m/s` : ''}`
      : '';
    const game =
      racer.game === 'absent'
        ? c.yellow(`waiting for Guild Wars 2 (${view.mumbleWhere || 'MumbleLink'})`)
        : racer.game;
    lines.push(`Game: ${game}${where}`);
  }
  lines.push(`Clock: organizer ${syncText(view, c)} · ${utcText(view)}`);
  if (view.hudUrl) lines.push(`HUD: ${view.hudUrl} (an OBS browser source, or any browser)`);
  if (view.earlier && !racer.standing)
    lines.push(
      `Tournament: ${standingText(view.earlier.standing)} after race ${view.earlier.race} of ${view.earlier.races}`,
    );
  return lines;
}

function syncText({ racer }: RacerScreen, c: Colors): string {
  const estimate = racer.estimator.estimate();
  return estimate
    ? `offset ${estimate.offsetMs >= 0 ? '+' : ''}${formatMs(estimate.offsetMs)} ± ${formatMs(estimate.boundMs)}${racer.lastRttMs !== undefined ? ` (round trip ${formatMs(racer.lastRttMs)})` : ''}`
    : c.yellow('measuring…');
}

function utcText({ utc }: RacerScreen): string {
  if (typeof utc === 'object')
    return `UTC ${utc.offsetMs >= 0 ? '+' : ''}${formatMs(utc.offsetMs)} ± ${formatMs(utc.boundMs)}`;
  if (utc === 'unavailable') return 'UTC: no SNTP answer';
  return utc === 'off' ? 'UTC: SNTP off' : 'UTC: asking SNTP…';
}

/** The end, the pause, the countdown or the race time; the checkpoints made. */
function raceLines(view: RacerScreen, c: Colors): string[] {
  const { options, racer } = view;
  const lines: string[] = [];
  if (racer.ended) {
    lines.push(c.bold(`  ${racer.ended.toUpperCase()}`));
    const standing = racer.standing;
    if (standing)
      lines.push(
        c.bold(
          `  TOURNAMENT: ${standing.tied ? '=' : ''}${standing.position} of ${standing.of} · ${standing.points} points (+${standing.racePoints} this race)`,
        ),
      );
    const next = tournamentNext(view);
    if (next) lines.push(c.dim(`  ${next}`));
  } else if (racer.paused) {
    lines.push(c.yellow('  PAUSED by the organizer'));
  } else if (racer.clock) {
    const countdown = racer.clock.countdown();
    if (!countdown.started) {
      lines.push(
        c.bold(`  STARTS IN  ${formatCountdown(countdown.remainingMs / 1000)}`) +
          c.dim(`  (± ${formatMs(countdown.boundMs)})`),
      );
    } else {
      const race = racer.clock.raceTime();
      lines.push(c.bold(`  RACE TIME  ${formatRaceTime(race.raceMs / 1000, 1)}`));
    }
  } else {
    lines.push('  Waiting for the organizer to start the race.');
  }
  if (options.mode === 'racer' && racer.state) {
    // The crossings the course needs: the start does not count (a circuit's does, each lap).
    const total = racer.courseLength ?? '?';
    lines.push(
      `  Checkpoints ${racer.crossings}/${total}${racer.unconfirmed > 0 ? c.dim(` (${racer.unconfirmed} awaiting the host)`) : ''}`,
    );
    const place = placeLine(view);
    if (place) lines.push(place);
    const split = splitLine(view, c);
    if (split) lines.push(split);
  }
  return lines;
}

/** After a race of a tournament: the next race once the host names it, else that one is coming. */
function tournamentNext({ racer }: RacerScreen): string | undefined {
  const tournament = racer.state?.tournament;
  if (!tournament) return undefined;
  const next = racer.nextRace;
  if (next)
    return next.raceId === undefined
      ? 'the tournament is over'
      : `next race: ${next.name ? `${toDisplayText(next.name, 200)} (${next.raceId})` : next.raceId}`;
  return tournament.race < tournament.races
    ? `race ${tournament.race} of ${tournament.races}: waiting for the next race…`
    : `that was the last race of ${tournament.races}: the standing above is final`;
}

/** Position in the race, the next checkpoint and how far it is, the lap. */
function placeLine({ progress }: RacerScreen): string | undefined {
  if (!progress) return undefined;
  const parts: string[] = [];
  if (progress.place) parts.push(`Position ${progress.place.position} of ${progress.place.of}`);
  const next = progress.next;
  if (next && progress.phase !== 'over' && progress.phase !== 'done')
    parts.push(
      `next checkpoint ${next.index + 1} of ${progress.courseLength ?? '?'}${next.distance === undefined ? '' : `, ${Math.round(next.distance)} m`}`,
    );
  if (progress.lap && progress.lap.of > 1)
    parts.push(`lap ${progress.lap.lap} of ${progress.lap.of}`);
  return parts.length > 0 ? `  ${parts.join(' · ')}` : undefined;
}

/** A signed delta in colour: green ahead (negative), red behind. */
function deltaText(seconds: number, what: string, c: Colors): string {
  const text = `${seconds < 0 ? '-' : '+'}${formatRaceTime(Math.abs(seconds))} ${what}`;
  return seconds < 0 ? c.green(text) : seconds > 0 ? c.red(text) : text;
}

/** The last credited split against the fastest other racer and the racer's own best run. */
function splitLine({ options, racer, best }: RacerScreen, c: Colors): string | undefined {
  const delta = splitDelta(racer.ranking, options.playerId, best?.splits);
  if (!delta) return undefined;
  const parts = [`  Split ${delta.index + 1}  ${formatRaceTime(delta.split)}`];
  if (delta.vsBest !== undefined) parts.push(deltaText(delta.vsBest, 'vs your best', c));
  if (delta.vsField !== undefined) parts.push(deltaText(delta.vsField, 'vs the fastest', c));
  return parts.join('   ');
}

function messageLines({ messages }: RacerScreen, c: Colors): string[] {
  if (messages.length === 0) return [];
  const lines = ['Messages:'];
  for (const message of messages) {
    const time = new Date(message.at).toLocaleTimeString();
    const shown = toDisplayText(message.text, 600);
    const text =
      message.level === 'important'
        ? c.bold(shown)
        : message.level === 'warning'
          ? c.yellow(shown)
          : shown;
    lines.push(`  [${time}] ${text}`);
  }
  lines.push('');
  return lines;
}

function rankingLines({ options, racer }: RacerScreen, c: Colors): string[] {
  const entries = racer.ranking?.entries ?? [];
  if (entries.length === 0) return [];
  return [
    racer.ranking?.final ? c.bold('Final results:') : 'Ranking:',
    formatTable(
      ['#', 'racer', 'status', 'lap', 'cp', 'time', 'gap'],
      entries.map((entry) => [
        entry.position,
        `${toDisplayText(entry.name ?? entry.playerId, 64)}${entry.playerId === options.playerId ? ' (you)' : ''}`,
        entry.status,
        entry.lap,
        entry.checkpoints,
        // Out of the race (DNF, DSQ): no running time and no gap to compare.
        out(entry.status) ? '' : formatRaceTime(entry.time ?? entry.lastAt),
        out(entry.status) ? '' : formatGap(entry.gapToLeader),
      ]),
    ),
  ];
}

function out(status: string): boolean {
  return status === 'dnf' || status === 'dsq';
}
