import {
  err,
  ok,
  type ResetPoint,
  type Result,
  type SphereCheckpoint,
  type Track,
  type TrackCheckpoint,
} from '@gw2race/protocol';
import { parseTrack } from './course';
import { RaceEngineError } from './errors';

/** Options of {@link parseBeetlerankCsv}. */
export interface BeetlerankCsvOptions {
  /** Track id (default: made from the name). */
  id?: string;
  /** Track name (default: the file name without `.csv`, else "Beetlerank track"). */
  name?: string;
  /** The file the text came from, kept in `source.file` and used for the default name. */
  file?: string;
  /** GW2 map id (Beetlerank files do not say). */
  mapId?: number;
  /** Mark the track as a circuit (Beetlerank files have a separate `end`, so default false). */
  circuit?: boolean;
  /** Default number of laps. */
  laps?: number;
  /** Radius for files without a RADIUS column (older files), metres. Default 15. */
  defaultRadius?: number;
  /** Radius of reset points in files without a RADIUS column. Default 5. */
  resetRadius?: number;
}

/** Options of {@link encodeBeetlerankCsv}. */
export interface BeetlerankEncodeOptions {
  /** Line ending: `\n` (default), `\r\n`, or `\r` as Speedometer's editor writes. */
  lineEnding?: '\n' | '\r\n' | '\r';
}

const REQUIRED = ['STEP', 'STEPNAME', 'X', 'Y', 'Z'] as const;
const OPTIONAL = ['RADIUS', 'ANGLE'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const HEADER_HINT = 'STEP,STEPNAME,X,Y,Z[,RADIUS[,ANGLE]]';

interface Row {
  line: number;
  step: number;
  name: string;
  x: number;
  y: number;
  z: number;
  r: number;
  /** ANGLE, when the file has one and it is not -1 (a flat marker). */
  angle: number | undefined;
}

/**
 * Imports a Beetlerank / Speedometer checkpoint file (`STEP,STEPNAME,X,Y,Z,RADIUS[,ANGLE]`).
 * Never throws: errors name the 1-based line and the problem.
 *
 * What the format means, and how it maps to a track:
 * - step 0 (`start`) is the start, the highest step (`end`) the finish, `*` the checkpoints in
 *   between; steps must follow each other without holes;
 * - a step listed more than once gives alternative spheres: touching any of them counts;
 * - step -1 (`reset`) rows become the track's reset points;
 * - older files have no RADIUS column (`defaultRadius`, 15 m, is used); ANGLE is how Speedometer
 *   draws the marker (-1 flat, else a vertical disc facing that heading): it is kept as the
 *   checkpoint's `angle` (for overlays and a faithful export) but every Beetlerank checkpoint is
 *   judged as a sphere, as the community's tools do;
 * - LF, CRLF and bare CR line endings, a UTF-8 byte-order mark, blank lines and quoted fields
 *   are accepted.
 *
 * @example
 * const result = parseBeetlerankCsv(text, { file: 'TYRIA GENDARRAN.csv', mapId: 24 });
 * if (!result.ok) console.error(result.error.message); // "line 7: ..."
 */
export function parseBeetlerankCsv(
  text: string,
  options: BeetlerankCsvOptions = {},
): Result<Track, RaceEngineError> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const rows: Row[] = [];
  let columns: Map<Column, number> | undefined;
  let width = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const line = n + 1;
    if (raw.trim() === '') continue;
    const fields = splitCsvLine(raw);
    if (fields === undefined) return fail('CSV_ROW', line, 'unterminated quoted field');
    if (columns === undefined) {
      // Spreadsheet exports often end the header with a comma: `...,RADIUS,`.
      while (fields.length > 1 && fields[fields.length - 1]?.trim() === '') fields.pop();
      const header = readHeader(fields, line);
      if (!header.ok) return header;
      columns = header.value.columns;
      width = fields.length;
      // A file without a header line: this line is already a row.
      if (!header.value.headerless) continue;
    }
    while (fields.length > width && fields[fields.length - 1]?.trim() === '') fields.pop();
    if (fields.length !== width) {
      return fail(
        'CSV_ROW',
        line,
        `expected ${width} fields (${[...columns.keys()].join(',')}), found ${fields.length}`,
      );
    }
    const row = readRow(fields, columns, line, options);
    if (!row.ok) return row;
    rows.push(row.value);
  }
  if (columns === undefined || rows.length === 0) {
    return err(new RaceEngineError('CSV_EMPTY', 'the file has no checkpoint rows'));
  }
  return buildTrack(rows, options);
}

function readHeader(
  fields: string[],
  line: number,
): Result<{ columns: Map<Column, number>; headerless: boolean }, RaceEngineError> {
  const names = fields.map((f) => f.trim().toUpperCase());
  const columns = new Map<Column, number>();
  if (names[0] !== '' && !Number.isNaN(Number(names[0]))) {
    // No header: positional columns, as old tools wrote them.
    if (fields.length < 5 || fields.length > 7) {
      return fail(
        'CSV_HEADER',
        line,
        `expected the header ${HEADER_HINT} (or rows of 5-7 fields), found ${fields.length} fields`,
      );
    }
    const order: Column[] = ['STEP', 'STEPNAME', 'X', 'Y', 'Z', 'RADIUS', 'ANGLE'];
    for (let i = 0; i < fields.length; i++) columns.set(order[i] as Column, i);
    return ok({ columns, headerless: true });
  }
  names.forEach((name, i) => {
    if (
      (REQUIRED as readonly string[]).includes(name) ||
      (OPTIONAL as readonly string[]).includes(name)
    ) {
      if (!columns.has(name as Column)) columns.set(name as Column, i);
    }
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    return fail(
      'CSV_HEADER',
      line,
      `the header lacks ${missing.join(', ')}: expected ${HEADER_HINT}, found "${fields.join(',')}"`,
    );
  }
  return ok({ columns, headerless: false });
}

function readRow(
  fields: string[],
  columns: Map<Column, number>,
  line: number,
  options: BeetlerankCsvOptions,
): Result<Row, RaceEngineError> {
  const get = (c: Column) => {
    const i = columns.get(c);
    return i === undefined ? undefined : (fields[i] ?? '').trim();
  };
  const stepText = get('STEP') ?? '';
  const step = /^[+-]?\d+$/.test(stepText) ? Number(stepText) : Number.NaN;
  if (!Number.isInteger(step) || step < -1) {
    return fail('CSV_ROW', line, `STEP must be an integer from -1, got "${stepText}"`);
  }
  const coordinates: number[] = [];
  for (const c of ['X', 'Y', 'Z'] as const) {
    const value = number(get(c));
    if (value === undefined) return fail('CSV_ROW', line, `${c} is not a number: "${get(c)}"`);
    coordinates.push(value);
  }
  const radiusText = get('RADIUS');
  let r: number | undefined;
  if (radiusText !== undefined && radiusText !== '') {
    r = number(radiusText);
    if (r === undefined || r <= 0) {
      return fail('CSV_ROW', line, `RADIUS must be a positive number, got "${radiusText}"`);
    }
  }
  const angleText = get('ANGLE');
  const angleValue = angleText === undefined || angleText === '' ? undefined : number(angleText);
  if (angleText !== undefined && angleText !== '' && angleValue === undefined) {
    return fail('CSV_ROW', line, `ANGLE is not a number: "${angleText}"`);
  }
  const angle = angleValue === undefined || angleValue === -1 ? undefined : angleValue;
  const [x, y, z] = coordinates as [number, number, number];
  const name = (get('STEPNAME') ?? '').toLowerCase();
  const fallback = step === -1 ? (options.resetRadius ?? 5) : (options.defaultRadius ?? 15);
  return ok({ line, step, name, x, y, z, r: r ?? fallback, angle });
}

function buildTrack(rows: Row[], options: BeetlerankCsvOptions): Result<Track, RaceEngineError> {
  const resets: ResetPoint[] = [];
  const checkpoints: SphereCheckpoint[] = [];
  let previous: Row | undefined;
  for (const row of rows) {
    if (row.step === -1) {
      if (resets.length === MAX_RESETS) {
        return fail('CSV_STEP', row.line, `more than ${MAX_RESETS} reset points (step -1 rows)`);
      }
      resets.push({ x: row.x, y: row.y, z: row.z, r: row.r });
      continue;
    }
    if (row.name === 'reset') {
      return fail('CSV_STEP', row.line, `a "reset" row must have step -1, found step ${row.step}`);
    }
    if (row.name === 'start' && row.step !== 0) {
      return fail('CSV_STEP', row.line, `"start" must be step 0, found step ${row.step}`);
    }
    const expected = previous === undefined ? 0 : previous.step + 1;
    if (previous !== undefined && row.step === previous.step) {
      const cp = checkpoints[checkpoints.length - 1] as SphereCheckpoint;
      const alternatives = [...(cp.alternatives ?? []), sphere(row)];
      if (alternatives.length > 16) {
        return fail('CSV_STEP', row.line, `step ${row.step} has more than 16 alternative points`);
      }
      checkpoints[checkpoints.length - 1] = { ...cp, alternatives };
      previous = row;
      continue;
    }
    if (row.step !== expected) {
      return fail(
        'CSV_STEP',
        row.line,
        previous === undefined
          ? `the first step must be 0 (start), found ${row.step}`
          : row.step < expected
            ? `step ${row.step} comes after step ${previous.step}: steps must be in order, and a step's alternative points listed together`
            : `step ${row.step} follows step ${previous.step}: step ${expected} is missing`,
      );
    }
    if (previous?.name === 'end') {
      return fail(
        'CSV_STEP',
        previous.line,
        `"end" is step ${previous.step} but step ${row.step} follows it`,
      );
    }
    if (checkpoints.length === MAX_CHECKPOINTS) {
      return fail(
        'CSV_STEP',
        row.line,
        `more than ${MAX_CHECKPOINTS} steps: a track holds at most ${MAX_CHECKPOINTS} checkpoints`,
      );
    }
    checkpoints.push({
      id: row.step,
      role: 'checkpoint',
      ...sphere(row),
      ...(row.angle === undefined ? {} : { angle: row.angle }),
    });
    previous = row;
  }
  if (checkpoints.length < 2) {
    return fail(
      'CSV_STEP',
      rows[rows.length - 1]?.line ?? 1,
      'a track needs a start (step 0) and at least one more step',
    );
  }
  checkpoints[0] = { ...(checkpoints[0] as SphereCheckpoint), role: 'start' };
  const last = checkpoints.length - 1;
  checkpoints[last] = { ...(checkpoints[last] as SphereCheckpoint), role: 'finish' };
  const name = options.name ?? nameFromFile(options.file) ?? 'Beetlerank track';
  const track: Track = {
    format: 'gw2race-track',
    version: 1,
    id: options.id ?? idFromName(name),
    name,
    ...(options.mapId === undefined ? {} : { mapId: options.mapId }),
    ...(options.circuit === undefined ? {} : { circuit: options.circuit }),
    ...(options.laps === undefined ? {} : { laps: options.laps }),
    checkpoints,
    ...(resets.length === 0 ? {} : { resets }),
    source: {
      kind: 'beetlerank-csv',
      ...(options.file === undefined ? {} : { file: options.file }),
    },
  };
  return parseTrack(track);
}

/** The protocol's track schema limits (`trackSchema`). */
const MAX_CHECKPOINTS = 1000;
const MAX_RESETS = 100;

/**
 * Exports a track as a Beetlerank / Speedometer CSV (`STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE`), which
 * {@link parseBeetlerankCsv} reads back to the same checkpoints. Steps are course positions;
 * alternatives repeat their step; reset points are step -1. What the format cannot say is
 * approximated: a circuit gets its start again as `end`, and a gate becomes a sphere at its middle
 * with half its width as radius and ANGLE set to the heading a racer crosses it.
 */
export function encodeBeetlerankCsv(track: Track, options: BeetlerankEncodeOptions = {}): string {
  const eol = options.lineEnding ?? '\n';
  const lines = ['STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE'];
  for (const reset of track.resets ?? []) {
    lines.push(row(-1, 'reset', reset.x, reset.y, reset.z, reset.r ?? 5, -1));
  }
  const course: TrackCheckpoint[] = track.circuit
    ? [...track.checkpoints, track.checkpoints[0] as TrackCheckpoint]
    : [...track.checkpoints];
  course.forEach((cp, step) => {
    const name = step === 0 ? 'start' : step === course.length - 1 ? 'end' : '*';
    if (cp.kind === 'gate') {
      const x = (cp.a.x + cp.b.x) / 2;
      const z = (cp.a.z + cp.b.z) / 2;
      const y = Math.min(cp.a.y, cp.b.y);
      const r = Math.hypot(cp.b.x - cp.a.x, cp.b.z - cp.a.z) / 2;
      // Speedometer's ANGLE is atan2(-fx, fz) in degrees + 180 for the direction f a racer faces;
      // crossing the gate means facing along its normal (-ez, ex), which gives atan2(ez, ex).
      const heading = (Math.atan2(cp.b.z - cp.a.z, cp.b.x - cp.a.x) * 180) / Math.PI + 180;
      lines.push(row(step, name, x, y, z, r, heading));
      return;
    }
    lines.push(row(step, name, cp.x, cp.y, cp.z, cp.r, cp.angle ?? -1));
    for (const alt of cp.alternatives ?? [])
      lines.push(row(step, name, alt.x, alt.y, alt.z, alt.r, -1));
  });
  return lines.join(eol) + eol;
}

function row(
  step: number,
  name: string,
  x: number,
  y: number,
  z: number,
  r: number,
  angle: number,
): string {
  return `${step},${name},${x},${y},${z},${r},${angle}`;
}

function sphere(row: Row): { x: number; y: number; z: number; r: number } {
  return { x: row.x, y: row.y, z: row.z, r: row.r };
}

/** Plain decimal numbers only (`12`, `-3.5`, `1e3`): not `0x10`, `Infinity` or `1_000`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function number(text: string | undefined): number | undefined {
  if (text === undefined || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function fail(
  code: 'CSV_HEADER' | 'CSV_ROW' | 'CSV_STEP',
  line: number,
  problem: string,
): { readonly ok: false; readonly error: RaceEngineError } {
  return err(new RaceEngineError(code, `line ${line}: ${problem}`, { line }));
}

/** Splits one CSV line; double-quoted fields may contain commas and `""`. Undefined if unterminated. */
function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

function nameFromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const base = file.split(/[\\/]/).pop() ?? file;
  const name = base.replace(/\.csv$/i, '').trim();
  return name === '' ? undefined : name.slice(0, 200);
}

function idFromName(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return id === '' ? 'beetlerank-track' : id;
}
