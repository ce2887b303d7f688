import {
  type createColors,
  formatCountdown,
  formatGap,
  formatMs,
  formatRaceTime,
  formatTable,
} from '@gw2race/app-shared';
import { toDisplayText } from '@gw2race/protocol';
import {
  checkpointText,
  courseCounts,
  courseSummary,
  lapText,
  rankingHasOrder,
} from '@gw2race/race-analysis';
import { type TrackWarning, toRankingMessage } from '@gw2race/race-engine';
import type { HostSession } from '../host/session';

type Colors = ReturnType<typeof createColors>;

/** What the host's screen shows besides the session itself. */
export interface HostScreenInfo {
  hubUrl: string;
  embedded: boolean;
  hubClients: () => number | undefined;
  webUrl: string | undefined;
  /** The viewer's address with the organizer token; shown when set (a redrawn terminal). */
  organizerUrl?: string | undefined;
  /** What `validateTrack` says about the race's track. */
  trackWarnings?: readonly TrackWarning[];
  clockNote: string;
  keys: string;
  /** How racers join, one line per address (`formatJoinLines`); shown while nobody is there. */
  join?: readonly string[];
  /** After the end, with the stage kept open: what is still served, the files, how to close. */
  postRace?: readonly string[];
}

const STAGE_NAMES = { pre: 'PRE-RACE', active: 'RACE', post: 'RESULTS' } as const;

/** The organizer's screen as text. */
export function renderHostScreen(session: HostSession, info: HostScreenInfo, c: Colors): string {
  const { options } = session;
  const lines: string[] = [];
  lines.push(
    `${c.bold(`gw2race-host · ${options.name}`)} · server code ${c.bold(c.cyan(options.raceId))} · ${c.bold(STAGE_NAMES[session.stage])}${session.paused ? c.yellow(' (paused)') : ''}`,
  );
  const clients = info.hubClients();
  lines.push(
    `Hub: ${info.hubUrl}${info.embedded ? ` (embedded${clients !== undefined ? `, ${clients} connected` : ''})` : ''}${info.webUrl ? ` · viewer: ${info.webUrl}` : ''}`,
  );
  if (info.organizerUrl) lines.push(`Organizer controls (keep private): ${info.organizerUrl}`);
  const track = options.track;
  // Counted as the race engine counts them (the viewer says the same): crossings per lap.
  const counts = courseCounts(track, { laps: options.laps });
  const course = counts
    ? courseSummary(counts)
    : `${track.checkpoints.length} checkpoints · ${options.laps} lap${options.laps > 1 ? 's' : ''}`;
  lines.push(
    `Track: ${track.name} · ${course}${track.mapId !== undefined ? ` · map ${track.mapId}` : ''} · ${options.startRule === 'mass' ? 'mass start' : 'time trial'}`,
  );
  const warnings = info.trackWarnings ?? [];
  for (const warning of warnings.slice(0, 3))
    lines.push(c.yellow(`  track warning ${warning.code}: ${warning.message}`));
  if (warnings.length > 3)
    lines.push(c.yellow(`  … ${warnings.length - 3} more (gw2race-host track show FILE)`));
  lines.push(`Clock: ${info.clockNote}`);
  const { malformed, hubRefused, unverified } = session.counters;
  lines.push(
    `Recording: ${session.recordingPath} · ${session.counters.messages} messages, ${session.counters.positions} positions, ${malformed + hubRefused + unverified} refused${hubRefused > 0 ? ` (${hubRefused} by the hub)` : ''}`,
  );
  if (unverified > 0) lines.push(c.yellow(`Signatures: ${refusedLine(session)}`));
  const now = session.now();
  if (session.resumed)
    lines.push(
      c.yellow(
        `Resumed after a crash ${formatRaceTime(now - session.resumed.at, 0)} s ago: the host was away ${session.resumed.away.toFixed(1)} s (nothing recorded meanwhile)`,
      ),
    );
  lines.push('');

  if (session.t0 === null && session.stage === 'active') {
    lines.push(c.bold(c.yellow('  COUNTDOWN HELD: resume to start a new one')));
    lines.push('');
  } else if (session.t0 !== null && session.stage === 'active') {
    const remaining = session.t0 - now;
    lines.push(
      remaining > 0
        ? c.bold(`  STARTS IN ${formatCountdown(remaining)}`)
        : c.bold(`  RACE TIME ${formatRaceTime(-remaining, 1)}`),
    );
    lines.push('');
  }

  lines.push(
    ...clientLines(session, c, info.join),
    ...rankingLines(session, c),
    ...flagLines(session, c),
  );
  if (session.stage === 'post' && info.postRace?.length)
    lines.push(...info.postRace.map((line) => c.bold(line)), '');
  if (info.keys) lines.push(c.dim(info.keys));
  return lines.join('\n');
}

/** Who sent the messages a closed race's gate refused, most first. */
export function refusedLine(session: HostSession): string {
  const counts = Object.entries(session.refusedBy()).sort((a, b) => b[1] - a[1]);
  const shown = counts
    .slice(0, 5)
    .map(
      ([playerId, n]) => `${playerId === '' ? 'nobody named' : toDisplayText(playerId, 64)} ${n}`,
    );
  const more = counts.length > 5 ? `, … ${counts.length - 5} more` : '';
  return `${session.counters.unverified} messages refused (unsigned, forged, moved or replayed): ${shown.join(', ')}${more}`;
}

/** The clients table, before the race (or while nobody is there). */
function clientLines(
  session: HostSession,
  c: Colors,
  join: readonly string[] | undefined,
): string[] {
  const lines: string[] = [];
  const { options } = session;
  const clientRows = session.clientList().sort((a, b) => a.playerId.localeCompare(b.playerId));
  if (session.stage === 'pre' || clientRows.length === 0) {
    lines.push(`Clients (${clientRows.length}):`);
    if (clientRows.length === 0 && join?.length)
      lines.push(
        c.dim('  nobody yet: racers join with'),
        ...join.map((line) => c.dim(`  ${line}`)),
      );
    else if (clientRows.length === 0)
      lines.push(c.dim(`  nobody yet: racers join with gw2race-racer --race ${options.raceId}`));
    else {
      lines.push(
        formatTable(
          ['player', 'name', 'mode', 'status', 'game', 'latency', 'clock ±'],
          clientRows.map((client) => [
            // Names and statuses come from racers' presence: shown through toDisplayText.
            toDisplayText(client.playerId, 64),
            toDisplayText(client.name ?? '', 64),
            client.mode,
            client.connected
              ? toDisplayText(client.status, 20)
              : c.yellow(client.status === 'silent' ? 'silent' : 'gone'),
            toDisplayText(client.game ?? '', 20),
            formatMs(client.rttMs),
            formatMs(client.offsetBoundMs),
          ]),
        ),
      );
    }
    lines.push('');
  }

  return lines;
}

/** The live (or final) ranking. */
function rankingLines(session: HostSession, c: Colors): string[] {
  const lines: string[] = [];
  if (session.stage !== 'pre') {
    const ranking = toRankingMessage(session.engine, { splits: false });
    const counts = courseCounts(session.options.track, { laps: session.options.laps });
    // Before anyone crossed a checkpoint nobody leads: no positions, no gaps.
    const ordered = rankingHasOrder(ranking.entries);
    lines.push(session.stage === 'post' ? c.bold('Final ranking:') : 'Ranking:');
    if (ranking.entries.length === 0) lines.push(c.dim('  no racer has started yet'));
    else {
      lines.push(
        formatTable(
          ['#', 'racer', 'status', 'lap', 'cp', 'last', 'time', 'gap', '±', 'flags'],
          ranking.entries.map((entry) => [
            ordered ? entry.position : '–',
            toDisplayText(session.nameOf(entry.playerId), 64),
            entry.status,
            lapText(entry, counts),
            entry.status === 'waiting' ? '–' : checkpointText(entry, counts),
            formatRaceTime(entry.lastAt),
            entry.time !== undefined ? formatRaceTime(entry.time) : '',
            // Out of the race (DNF, DSQ): no gap to anyone.
            !ordered || entry.status === 'dnf' || entry.status === 'dsq'
              ? ''
              : formatGap(entry.gapToLeader),
            entry.uncertainty !== undefined ? formatMs(entry.uncertainty * 1000) : '',
            entry.flags ?? 0,
          ]),
        ),
      );
    }
    lines.push('');
  }

  return lines;
}

/** The last flags for review. */
function flagLines(session: HostSession, c: Colors): string[] {
  const lines: string[] = [];
  if (session.flags.length > 0) {
    lines.push(`Flags for review (${session.flags.length}):`);
    for (const flag of session.flags.slice(-5)) {
      const who = toDisplayText(session.nameOf(flag.playerId), 64);
      const line = `  ${flag.severity.padEnd(8)} ${toDisplayText(flag.kind, 40).padEnd(13)} ${who}: ${toDisplayText(flag.message, 300)}`;
      lines.push(
        flag.severity === 'critical'
          ? c.red(line)
          : flag.severity === 'warning'
            ? c.yellow(line)
            : line,
      );
    }
    lines.push('');
  }
  return lines;
}
