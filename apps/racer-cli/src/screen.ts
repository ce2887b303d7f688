import {
  type createColors,
  formatCountdown,
  formatGap,
  formatMs,
  formatRaceTime,
  formatTable,
} from '@gw2race/app-shared';
import type { RacerView } from './racer';

type Colors = ReturnType<typeof createColors>;

/** The racer's screen as text: who and where, the clock, the countdown or race time, messages, ranking. */
export function renderRacerScreen(view: RacerView, c: Colors): string {
  const { options, state } = view;
  const lines: string[] = [];
  const track = state
    ? `${state.trackName ?? state.trackId} (${state.checkpoints.length} checkpoints, ${state.laps ?? 1} lap${(state.laps ?? 1) > 1 ? 's' : ''})`
    : 'waiting for the race…';
  lines.push(c.bold(`gw2race-racer · race ${options.raceId} · ${track}`));
  const hub = view.hub === 'online' ? c.green('online') : c.yellow(view.hub);
  lines.push(
    `You: ${options.name} (${options.playerId}) · ${options.mode} · hub ${options.broker} ${hub}`,
  );

  if (options.mode === 'racer') {
    const frame = view.latest?.frame;
    const where = frame
      ? ` · map ${frame.context?.mapId ?? '?'}${frame.context?.mount ? `, ${frame.context.mount}` : ''} · ${view.latest ? `${view.latest.speed.toFixed(1)} m/s` : ''}`
      : '';
    const game =
      view.game === 'absent'
        ? c.yellow(`waiting for Guild Wars 2 (${view.mumbleWhere || 'MumbleLink'})`)
        : view.game;
    lines.push(`Game: ${game}${where}`);
  }

  const estimate = view.estimator.estimate();
  const sync = estimate
    ? `offset ${estimate.offsetMs >= 0 ? '+' : ''}${formatMs(estimate.offsetMs)} ± ${formatMs(estimate.boundMs)}${view.lastRttMs !== undefined ? ` (round trip ${formatMs(view.lastRttMs)})` : ''}`
    : c.yellow('measuring…');
  const utc =
    typeof view.utc === 'object'
      ? `UTC ${view.utc.offsetMs >= 0 ? '+' : ''}${formatMs(view.utc.offsetMs)} ± ${formatMs(view.utc.boundMs)}`
      : view.utc === 'unavailable'
        ? 'UTC: no SNTP answer'
        : view.utc === 'off'
          ? 'UTC: SNTP off'
          : 'UTC: asking SNTP…';
  lines.push(`Clock: organizer ${sync} · ${utc}`);
  lines.push('');

  if (view.ended) {
    lines.push(c.bold(`  ${view.ended.toUpperCase()}`));
  } else if (view.paused) {
    lines.push(c.yellow('  PAUSED by the organizer'));
  } else if (view.clock) {
    const countdown = view.clock.countdown();
    if (!countdown.started) {
      lines.push(
        c.bold(`  STARTS IN  ${formatCountdown(countdown.remainingMs / 1000)}`) +
          c.dim(`  (± ${formatMs(countdown.boundMs)})`),
      );
    } else {
      const race = view.clock.raceTime();
      lines.push(c.bold(`  RACE TIME  ${formatRaceTime(race.raceMs / 1000, 1)}`));
    }
  } else {
    lines.push('  Waiting for the organizer to start the race.');
  }
  if (options.mode === 'racer' && state) {
    // The crossings the course needs: the start does not count (a circuit's does, each lap).
    const total = view.courseLength ?? '?';
    lines.push(
      `  Checkpoints ${view.crossings}/${total}${view.unconfirmed > 0 ? c.dim(` (${view.unconfirmed} awaiting the host)`) : ''}`,
    );
  }
  lines.push('');

  if (view.messages.length > 0) {
    lines.push('Messages:');
    for (const message of view.messages) {
      const time = new Date(message.at).toLocaleTimeString();
      const text =
        message.level === 'important'
          ? c.bold(message.text)
          : message.level === 'warning'
            ? c.yellow(message.text)
            : message.text;
      lines.push(`  [${time}] ${text}`);
    }
    lines.push('');
  }

  const entries = view.ranking?.entries ?? [];
  if (entries.length > 0) {
    lines.push(view.ranking?.final ? c.bold('Final results:') : 'Ranking:');
    lines.push(
      formatTable(
        ['#', 'racer', 'status', 'lap', 'cp', 'time', 'gap'],
        entries.map((entry) => [
          entry.position,
          `${entry.name ?? entry.playerId}${entry.playerId === options.playerId ? ' (you)' : ''}`,
          entry.status,
          entry.lap,
          entry.checkpoints,
          // Out of the race (DNF, DSQ): no running time and no gap to compare.
          out(entry.status) ? '' : formatRaceTime(entry.time ?? entry.lastAt),
          out(entry.status) ? '' : formatGap(entry.gapToLeader),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function out(status: string): boolean {
  return status === 'dnf' || status === 'dsq';
}
