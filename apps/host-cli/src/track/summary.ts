import type { Track, TrackCheckpoint } from '@gw2race/protocol';
import type { TrackWarning } from '@gw2race/race-engine';

/** One leg of the course: from a checkpoint to the next. */
export interface TrackLeg {
  readonly from: number;
  readonly to: number;
  /** Straight-line metres between the centres; undefined when they are on different maps. */
  readonly metres: number | undefined;
}

/** What `track show` tells about a track. */
export interface TrackSummary {
  readonly checkpoints: number;
  /** The legs of one lap, in course order (on a circuit, the last one goes back to the start). */
  readonly legs: readonly TrackLeg[];
  /** Sum of the legs whose length is known, metres. */
  readonly lapLength: number;
  /** True when some leg crosses maps (its length is unknown). */
  readonly crossesMaps: boolean;
  /** Every map id the track uses, the track's first. */
  readonly maps: readonly number[];
  readonly resets: number;
  readonly referenceLine:
    | { readonly points: number; readonly seconds: number; readonly metres: number }
    | undefined;
}

/** Middle of a checkpoint: a sphere's centre or a gate's middle at the lower pole's base. */
export function checkpointCentre(cp: TrackCheckpoint): { x: number; y: number; z: number } {
  if (cp.kind === 'gate')
    return { x: (cp.a.x + cp.b.x) / 2, y: Math.min(cp.a.y, cp.b.y), z: (cp.a.z + cp.b.z) / 2 };
  return { x: cp.x, y: cp.y, z: cp.z };
}

/** Reach of a checkpoint: a sphere's radius or half a gate's width, metres. */
export function checkpointReach(cp: TrackCheckpoint): number {
  return cp.kind === 'gate' ? Math.hypot(cp.b.x - cp.a.x, cp.b.z - cp.a.z) / 2 : cp.r;
}

/** Legs, lengths and maps of a track. */
export function summarizeTrack(track: Track): TrackSummary {
  const cps = track.checkpoints;
  const course = track.circuit ? [...cps, cps[0] as TrackCheckpoint] : cps;
  const mapOf = (cp: TrackCheckpoint) => cp.mapId ?? track.mapId;
  const legs: TrackLeg[] = [];
  for (let i = 1; i < course.length; i++) {
    const a = course[i - 1] as TrackCheckpoint;
    const b = course[i] as TrackCheckpoint;
    const ma = mapOf(a);
    const mb = mapOf(b);
    const p = checkpointCentre(a);
    const q = checkpointCentre(b);
    legs.push({
      from: a.id,
      to: b.id,
      metres:
        ma !== undefined && mb !== undefined && ma !== mb
          ? undefined
          : Math.hypot(q.x - p.x, q.y - p.y, q.z - p.z),
    });
  }
  const maps = [
    ...new Set(
      [track.mapId, ...cps.map((cp) => cp.mapId)].filter((m): m is number => m !== undefined),
    ),
  ];
  const line = track.referenceLine;
  let referenceLine: TrackSummary['referenceLine'];
  if (line && line.length > 0) {
    let metres = 0;
    for (let i = 1; i < line.length; i++) {
      const [, x1, y1, z1] = line[i - 1] as [number, number, number, number];
      const [, x2, y2, z2] = line[i] as [number, number, number, number];
      metres += Math.hypot(x2 - x1, y2 - y1, z2 - z1);
    }
    const seconds =
      (line[line.length - 1] as [number, number, number, number])[0] -
      (line[0] as [number, number, number, number])[0];
    referenceLine = { points: line.length, seconds, metres };
  }
  return {
    checkpoints: cps.length,
    legs,
    lapLength: legs.reduce((sum, leg) => sum + (leg.metres ?? 0), 0),
    crossesMaps: legs.some((leg) => leg.metres === undefined),
    maps,
    resets: track.resets?.length ?? 0,
    referenceLine,
  };
}

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
  const lines: string[] = [];
  lines.push(`${track.name} (${track.id})`);
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
  lines.push('');

  const multiMap = summary.maps.length > 1;
  const headers = [
    '#',
    'id',
    'role',
    'x',
    'y',
    'z',
    'r',
    'leg',
    'so far',
    ...(multiMap ? ['map'] : []),
  ];
  const right = [true, true, false, true, true, true, true, true, true, true];
  const rows: string[][] = [];
  let sofar = 0;
  let known = true;
  const legTo = new Map(summary.legs.map((leg, i) => [i + 1, leg]));
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
    rows.push([
      String(index),
      String(cp.id),
      `${roleOf(track, index)}${extras.length ? ` (${extras.join(', ')})` : ''}`,
      fixed(centre.x),
      fixed(centre.y),
      fixed(centre.z),
      `${fixed(checkpointReach(cp), checkpointReach(cp) % 1 === 0 ? 0 : 1)} m`,
      leg ? (leg.metres === undefined ? 'other map' : formatMetres(leg.metres)) : '',
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
      back ? (back.metres === undefined ? 'other map' : formatMetres(back.metres)) : '',
      known && back?.metres !== undefined ? formatMetres(sofar) : '—',
      ...(multiMap ? [''] : []),
    ]);
  }
  lines.push(table(headers, rows, right));
  lines.push('');
  const lapWord = track.circuit ? 'lap length' : 'length';
  lines.push(
    `${lapWord}: ${formatMetres(summary.lapLength)} in straight lines between checkpoints${
      summary.crossesMaps ? ' (legs between maps not counted)' : ''
    }${(track.laps ?? 1) > 1 ? `; ${track.laps} laps: ${formatMetres(summary.lapLength * (track.laps ?? 1))}` : ''}`,
  );
  if (summary.referenceLine) {
    const { points, seconds, metres } = summary.referenceLine;
    lines.push(
      `reference line: ${points} points, ${formatMetres(metres)} ridden in ${formatDuration(seconds)}`,
    );
  }
  if (summary.resets > 0) lines.push(`reset points: ${summary.resets}`);
  lines.push('');
  if (warnings.length === 0) lines.push('no problems found');
  else {
    lines.push(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`);
    for (const warning of warnings) lines.push(`  ! ${warning.message} [${warning.code}]`);
  }
  return lines.join('\n');
}
