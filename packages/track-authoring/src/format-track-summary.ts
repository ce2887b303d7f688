import type { Track } from '@gw2race/protocol';
import type { TrackWarning } from '@gw2race/race-engine';
import { checkpointCentre, checkpointReach, type TrackSummary } from './summary';

/** A table with per-column alignment. */
function table(headers: readonly string[], rows: readonly string[][], right: readonly boolean[]) {
  const all = [headers as string[], ...rows];
  const widths = headers.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, c) => (right[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fixed = (value: number, decimals = 1) => value.toFixed(decimals);

/** `1,234 m`. */
export function formatMetres(metres: number): string {
  return `${Math.round(metres).toLocaleString('en-US')} m`;
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  return minutes > 0 ? `${minutes}:${rest.toFixed(1).padStart(4, '0')}` : `${rest.toFixed(1)} s`;
}

/** The role a checkpoint plays by its place in the course (what the engine goes by). */
function roleOf(track: Track, index: number): string {
  if (index === 0) return track.circuit ? 'start/finish' : 'start';
  if (index === track.checkpoints.length - 1 && !track.circuit) return 'finish';
  return 'checkpoint';
}

/** The header: name and id, maps, checkpoints, kind of course, laps, author, origin. */
function headerLines(track: Track, summary: TrackSummary): string[] {
  const lines = [`${track.name} (${track.id})`];
  const facts = [
    summary.maps.length === 0
      ? 'map unknown'
      : summary.maps.length === 1
        ? `map ${summary.maps[0]}`
        : `maps ${summary.maps.join(', ')}`,
    `${summary.checkpoints} checkpoints`,
    track.circuit ? 'circuit' : 'open course (start to finish)',
    `${track.laps ?? 1} lap${(track.laps ?? 1) === 1 ? '' : 's'}`,
  ];
  lines.push(facts.join(' · '));
  const about = [
    track.author ? `by ${track.author}` : undefined,
    track.createdAt ? `created ${track.createdAt}` : undefined,
    track.source
      ? `from ${track.source.kind}${track.source.file ? ` (${track.source.file})` : ''}`
      : undefined,
  ].filter(Boolean);
  if (about.length > 0) lines.push(about.join(' · '));
  if (track.description) lines.push(track.description);
  return lines;
}

/** The checkpoints with each leg's length and the distance so far (and the way back of a circuit). */
function checkpointTable(track: Track, summary: TrackSummary): string {
  const multiMap = summary.maps.length > 1;
  const headers = ['#', 'id', 'role', 'x', 'y', 'z', 'r', 'leg', 'so far'];
  if (multiMap) headers.push('map');
  const right = [true, true, false, true, true, true, true, true, true, true];
  const rows: string[][] = [];
  let sofar = 0;
  let known = true;
  const legTo = new Map(summary.legs.map((leg, i) => [i + 1, leg]));
  const legText = (metres: number | undefined) =>
    metres === undefined ? 'other map' : formatMetres(metres);
  track.checkpoints.forEach((cp, index) => {
    const centre = checkpointCentre(cp);
    const leg = legTo.get(index);
    if (leg) {
      if (leg.metres === undefined) known = false;
      else sofar += leg.metres;
    }
    const extras = [
      cp.kind === 'gate' ? 'gate' : undefined,
      cp.kind !== 'gate' && cp.alternatives?.length ? `+${cp.alternatives.length} alt` : undefined,
    ].filter(Boolean);
    const reach = checkpointReach(cp);
    rows.push([
      String(index),
      String(cp.id),
      `${roleOf(track, index)}${extras.length ? ` (${extras.join(', ')})` : ''}`,
      fixed(centre.x),
      fixed(centre.y),
      fixed(centre.z),
      `${fixed(reach, reach % 1 === 0 ? 0 : 1)} m`,
      leg ? legText(leg.metres) : '',
      index === 0 ? '0 m' : known ? formatMetres(sofar) : '—',
      ...(multiMap ? [String(cp.mapId ?? track.mapId ?? '?')] : []),
    ]);
  });
  if (track.circuit) {
    const back = summary.legs[summary.legs.length - 1];
    if (back?.metres !== undefined) sofar += back.metres;
    rows.push([
      '',
      String(track.checkpoints[0]?.id ?? 0),
      'back to the start',
      '',
      '',
      '',
      '',
      back ? legText(back.metres) : '',
      known && back?.metres !== undefined ? formatMetres(sofar) : '—',
      ...(multiMap ? [''] : []),
    ]);
  }
  return table(headers, rows, right);
}

/** Length of a lap (and of all laps), the reference line and the reset points. */
function lengthLines(track: Track, summary: TrackSummary): string[] {
  const lines: string[] = [];
  const lapWord = track.circuit ? 'lap length' : 'length';
  const laps = track.laps ?? 1;
  lines.push(
    `${lapWord}: ${formatMetres(summary.lapLength)} in straight lines between checkpoints${
      summary.crossesMaps ? ' (legs between maps not counted)' : ''
    }${laps > 1 ? `; ${track.laps} laps: ${formatMetres(summary.lapLength * laps)}` : ''}`,
  );
  if (summary.referenceLine) {
    const { points, seconds, metres } = summary.referenceLine;
    lines.push(
      `reference line: ${points} points, ${formatMetres(metres)} ridden in ${formatDuration(seconds)}`,
    );
  }
  if (summary.resets > 0) lines.push(`reset points: ${summary.resets}`);
  return lines;
}

/**
 * `track show`'s text: the header (name, id, map, laps, author, created, source), the
 * checkpoints with the length of each leg and the distance so far, the lap length, the reset
 * points and reference line, then the warnings.
 */
export function formatTrackSummary(
  track: Track,
  summary: TrackSummary,
  warnings: readonly TrackWarning[],
): string {
  const lines = [...headerLines(track, summary), ''];
  lines.push(checkpointTable(track, summary), '');
  lines.push(...lengthLines(track, summary), '');
  if (warnings.length === 0) lines.push('no problems found');
  else {
    lines.push(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`);
    for (const warning of warnings) lines.push(`  ! ${warning.message} [${warning.code}]`);
  }
  return lines.join('\n');
}
