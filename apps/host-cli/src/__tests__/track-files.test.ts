import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isAppError } from '@gw2race/app-shared';
import type { Track } from '@gw2race/protocol';
import { parseBeetlerankCsv, parseTrack } from '@gw2race/race-engine';
import { encodeTrackJson } from '@gw2race/track-authoring';
import { describe, expect, it } from 'vitest';
import { trackCommand } from '../commands/track';
import type { TrackIo } from '../commands/track-record';

const BUNDLED = fileURLToPath(new URL('../../tracks/', import.meta.url));

function streams() {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const io: TrackIo = { stdin: new PassThrough(), stdout, stderr, plain: true };
  return { io, out };
}

async function run(args: string[]) {
  const { io, out } = streams();
  const code = await trackCommand(args, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, ...out };
}

async function failure(args: string[]) {
  const error = await trackCommand(args, streams().io).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError from ${args.join(' ')}`);
  return error;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gw2race-track-files-'));
}

function readTrack(path: string): Track {
  const parsed = parseTrack(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** A track with everything the JSON can say that a CSV can carry. */
const RICH: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'rich',
  name: 'Rich',
  mapId: 24,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 15 },
    {
      id: 1,
      role: 'checkpoint',
      x: 150,
      y: 12.5,
      z: -20.25,
      r: 10,
      angle: 90,
      alternatives: [{ x: 150, y: 12.5, z: 40, r: 8 }],
    },
    { id: 2, role: 'checkpoint', x: 300, y: 14, z: 60, r: 20 },
    { id: 3, role: 'finish', x: 320, y: 9, z: 250, r: 15 },
  ],
  resets: [{ x: -30, y: 8, z: 5, r: 6 }],
};

describe('gw2race-host track show', () => {
  it('prints checkpoints, legs, length and map, and says when nothing is wrong', async () => {
    const { code, stdout } = await run(['show', 'diessa-plateau']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('TYRIA DIESSA PLATEAU (diessa-plateau)');
    expect(lines[1]).toBe('map 32 · 13 checkpoints · open course (start to finish) · 1 lap');
    expect(stdout).toMatch(/^ 0 +0 +start +-104\.8 +27\.8 +-524\.9 +15 m +0 m$/m);
    expect(stdout).toMatch(/^ 1 +1 +checkpoint +1\.1 +19\.6 +-578\.9 +15 m +119 m +119 m$/m);
    expect(stdout).toMatch(/^12 +12 +finish .* 15 m +\d+ m +[\d,]+ m$/m);
    expect(stdout).toMatch(/^length: [\d,]+ m in straight lines between checkpoints$/m);
    expect(stdout).toContain('reset points: 1');
    expect(stdout.trimEnd().endsWith('no problems found')).toBe(true);
  });

  it('lists the warnings of a bad track; --strict exits 1; --json gives them as data', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.track.json');
    const bad: Track = {
      ...RICH,
      checkpoints: [
        { id: 0, x: 0, y: 10, z: 0, r: 15 },
        { id: 1, x: 10, y: 10, z: 0, r: 15 },
        { id: 2, x: 300, y: 10, z: 0, r: 2 },
        { id: 3, x: 3, y: 10, z: 0, r: 150 },
      ],
    };
    writeFileSync(file, encodeTrackJson(bad));
    const shown = await run(['show', file]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^5 warnings:$/m);
    expect(shown.stdout).toMatch(/! checkpoint 2 has a radius of 2 m .* \[RADIUS_TOO_SMALL\]/);
    expect(shown.stdout).toMatch(
      /! the finish \(3\) has a radius of 150 m .* \[RADIUS_TOO_LARGE\]/,
    );
    expect(shown.stdout).toMatch(/! the finish is at the start .* \[START_IS_FINISH\]/);
    expect(shown.stdout).toMatch(/! the start \(0\) and checkpoint 1 are closer .* \[TOO_CLOSE\]/);
    expect(shown.stdout).toMatch(/! checkpoint 1 and the finish \(3\) are closer .* \[TOO_CLOSE\]/);

    const strict = await run(['show', file, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`5 warnings in ${file} (--strict)`);

    const json = JSON.parse((await run(['show', file, '--json'])).stdout) as {
      warnings: { code: string; checkpointIds: number[] }[];
      summary: { checkpoints: number; lapLength: number };
    };
    expect(json.summary.checkpoints).toBe(4);
    expect(json.warnings.map((w) => [w.code, w.checkpointIds])).toEqual([
      ['RADIUS_TOO_SMALL', [2]],
      ['RADIUS_TOO_LARGE', [3]],
      ['START_IS_FINISH', [0, 3]],
      ['TOO_CLOSE', [0, 1]],
      ['TOO_CLOSE', [1, 3]],
    ]);
  });

  it('shows a circuit with its way back, alternatives, and legs between maps', async () => {
    const dir = tempDir();
    const file = join(dir, 'loop.track.json');
    writeFileSync(
      file,
      encodeTrackJson({
        ...RICH,
        circuit: true,
        laps: 3,
        checkpoints: [
          ...RICH.checkpoints.slice(0, 3),
          { id: 3, x: 320, y: 9, z: 250, r: 15, mapId: 50 },
        ],
        referenceLine: [
          [0, 0, 10, 0],
          [65.5, 300, 14, 60],
        ],
      }),
    );
    const { stdout } = await run(['show', file]);
    expect(stdout).toContain('maps 24, 50 · 4 checkpoints · circuit · 3 laps');
    expect(stdout).toMatch(
      /^1 +1 +checkpoint \(\+1 alt\) +150\.0 +12\.5 +-20\.3 +10 m +151 m +151 m +24$/m,
    );
    expect(stdout).toMatch(/^3 +3 +checkpoint .* other map +— +50$/m);
    expect(stdout).toMatch(/^ +0 +back to the start .* other map +—/m);
    expect(stdout).toMatch(
      /lap length: [\d,]+ m in straight lines between checkpoints \(legs between maps not counted\); 3 laps: [\d,]+ m/,
    );
    expect(stdout).toMatch(/reference line: 2 points, 306 m ridden in 1:05\.5/);
  });

  it('says clearly what is wrong with a file', async () => {
    const dir = tempDir();
    expect((await failure(['show', join(dir, 'nope.json')])).message).toMatch(
      /cannot read the track .*nope\.json: no such file/,
    );
    const notJson = join(dir, 'text.json');
    writeFileSync(notJson, 'hello');
    expect((await failure(['show', notJson])).message).toMatch(
      /is neither a Beetlerank CSV nor valid JSON/,
    );
    const notTrack = join(dir, 'other.json');
    writeFileSync(
      notTrack,
      '{"format":"gw2race-track","version":1,"id":"x","name":"x","checkpoints":[]}',
    );
    expect((await failure(['show', notTrack])).message).toMatch(
      /is not a gw2race track: invalid track at checkpoints/,
    );
    expect((await failure(['show'])).message).toBe('give one track file to show');
    expect((await failure(['show', 'a', '--map', 'x'])).message).toMatch(
      /--map must be a whole number/,
    );
    expect((await failure(['fly'])).message).toBe('unknown track command "fly"');
  });
});

describe('gw2race-host track import', () => {
  const variants: [string, string, number, number][] = [
    [
      'current',
      'STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE\n0,start,1,2,3,15,-1\n1,*,40,5,6,12,213.5\n2,end,90,8,9,15,-1\n',
      3,
      0,
    ],
    [
      'no RADIUS (older files)',
      'STEP,STEPNAME,X,Y,Z\n0,start,0,1,2\n-1,reset,1,2,3\n1,*,50,3,4\n2,end,100,4,5\n',
      3,
      1,
    ],
    ['no header', '0,start,0,0,0,15\n1,end,90,9,9,15\n', 2, 0],
    [
      'CRLF, quotes, BOM',
      '\uFEFFSTEP,STEPNAME,X,Y,Z,RADIUS\r\n0,"start",0,0,0,15\r\n1,"the ""end""",90,9,9,15\r\n',
      2,
      0,
    ],
    [
      'bare CR (Speedometer editor)',
      'STEP,STEPNAME,X,Y,Z,RADIUS\r0,start,0,0,0,15\r1,*,60,0,0,15\r2,end,120,0,0,15',
      3,
      0,
    ],
    ['columns in another order', 'X,Y,Z,STEP,STEPNAME\n1,2,3,0,start\n80,5,6,1,end\n', 2, 0],
    [
      'alternatives',
      'STEP,STEPNAME,X,Y,Z,RADIUS\n0,start,0,0,0,15\n1,*,100,0,0,10\n1,*,100,0,50,8\n2,end,200,0,0,15\n',
      3,
      0,
    ],
  ];

  it.each(variants)('converts a CSV: %s', async (_, csv, checkpoints, resets) => {
    const dir = tempDir();
    const file = join(dir, 'My Track.csv');
    writeFileSync(file, csv);
    const { code, stdout } = await run(['import', file, '--map', '24']);
    expect(code).toBe(0);
    const out = join(dir, 'My Track.track.json');
    expect(stdout).toContain(`wrote ${out}`);
    const track = readTrack(out);
    expect(track.name).toBe('My Track');
    expect(track.id).toBe('my-track');
    expect(track.mapId).toBe(24);
    expect(track.checkpoints).toHaveLength(checkpoints);
    expect(track.resets?.length ?? 0).toBe(resets);
    expect(track.source).toEqual({ kind: 'beetlerank-csv', file: 'My Track.csv' });
    // The summary and validation come with it.
    expect(stdout).toContain(`My Track (my-track)`);
  });

  it('imports the bundled community files; without --map it warns that map checks are off', async () => {
    const dir = tempDir();
    const out = join(dir, 'g.json');
    const { stdout } = await run([
      'import',
      join(BUNDLED, 'gendarran.csv'),
      '--out',
      out,
      '--name',
      'Gendarran Fields',
      '--laps',
      '2',
    ]);
    const track = readTrack(out);
    expect(track.name).toBe('Gendarran Fields');
    expect(track.laps).toBe(2);
    expect(track.checkpoints).toHaveLength(14);
    expect(stdout).toMatch(/! the track has no map id/);
    expect(stdout).toMatch(/! 2 laps on a course that is not a circuit/);
  });

  it('writes to stdout with --out -, the summary to stderr', async () => {
    const { stdout, stderr } = await run([
      'import',
      join(BUNDLED, 'diessa-plateau.csv'),
      '--out',
      '-',
      '--map',
      '32',
    ]);
    const parsed = parseTrack(JSON.parse(stdout));
    expect(parsed.ok).toBe(true);
    expect(stderr).toContain('no problems found');
  });

  it('says clearly what is wrong with a file', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'STEP,STEPNAME,X,Y,Z,RADIUS\n0,start,0,0,0,15\n2,end,9,9,9,15\n');
    const error = await failure(['import', broken]);
    expect(error.code).toBe('BAD_FILE');
    expect(error.message).toBe(`${broken}: line 3: step 2 follows step 0: step 1 is missing`);
    const json = join(dir, 'already.csv');
    writeFileSync(json, encodeTrackJson(RICH));
    expect((await failure(['import', json])).message).toBe(`${json} is JSON, not a Beetlerank CSV`);
    expect((await failure(['import', join(dir, 'missing.csv')])).message).toBe(
      `cannot read the CSV ${join(dir, 'missing.csv')}: no such file`,
    );
    const good = join(dir, 'good.csv');
    writeFileSync(good, '0,start,0,0,0,15\n1,end,90,9,9,15\n');
    writeFileSync(join(dir, 'good.track.json'), '{}');
    expect((await failure(['import', good])).message).toMatch(/good\.track\.json already exists/);
    expect((await failure(['import', good, '--laps', '0'])).message).toMatch(
      /--laps must be a whole number ≥ 1/,
    );
  });
});

describe('JSON ⇄ CSV', () => {
  it('round-trips a track through export and import', async () => {
    const dir = tempDir();
    const json = join(dir, 'rich.track.json');
    const csv = join(dir, 'rich.csv');
    const back = join(dir, 'back.track.json');
    writeFileSync(json, encodeTrackJson(RICH));
    const exported = await run(['export', json, '--out', csv]);
    expect(exported.stdout).toBe(`wrote ${csv}: 4 checkpoints\n`);
    expect(exported.stderr).toBe(
      'note: the CSV has no map id: import it again with --map 24, or pass --map when racing it\n',
    );
    await run(['import', csv, '--map', '24', '--out', back, '--name', 'Rich']);
    const again = readTrack(back);
    expect(again.checkpoints).toEqual(RICH.checkpoints);
    expect(again.resets).toEqual(RICH.resets);
    expect(again.mapId).toBe(24);
    // And CSV → JSON → CSV gives the same text.
    const twice = join(dir, 'twice.csv');
    await run(['export', back, '--out', twice]);
    expect(readFileSync(twice, 'utf8')).toBe(readFileSync(csv, 'utf8'));
  });

  it('round-trips a circuit: its repeated start is dropped again on import with --circuit', async () => {
    const dir = tempDir();
    const json = join(dir, 'loop.track.json');
    const circuit: Track = {
      ...RICH,
      circuit: true,
      checkpoints: RICH.checkpoints.map((cp, i) =>
        i === 3 ? { ...cp, role: 'checkpoint' as const } : cp,
      ),
    };
    writeFileSync(json, encodeTrackJson(circuit));
    const exported = await run(['export', json]);
    expect(exported.stderr).toContain('note: a circuit: the start is written again as the end');
    const csv = join(dir, 'loop.csv');
    writeFileSync(csv, exported.stdout);
    const imported = await run([
      'import',
      csv,
      '--map',
      '24',
      '--circuit',
      '--out',
      join(dir, 'b.json'),
    ]);
    expect(imported.stdout).not.toContain('CIRCUIT_REPEATS_START');
    const again = readTrack(join(dir, 'b.json'));
    expect(again.circuit).toBe(true);
    expect(again.checkpoints).toEqual(circuit.checkpoints);
  });

  it('says what a CSV cannot keep', async () => {
    const dir = tempDir();
    const json = join(dir, 'lossy.track.json');
    writeFileSync(
      json,
      encodeTrackJson({
        ...RICH,
        laps: 2,
        checkpoints: [
          ...RICH.checkpoints.slice(0, 2),
          { id: 2, kind: 'gate', a: { x: 300, y: 10, z: 40 }, b: { x: 300, y: 10, z: 80 } },
          { ...(RICH.checkpoints[3] as Track['checkpoints'][number]), mapId: 50 },
        ],
        referenceLine: [
          [0, 0, 10, 0],
          [1, 10, 10, 0],
        ],
      }),
    );
    const { stdout, stderr } = await run(['export', json]);
    expect(stderr.trim().split('\n')).toEqual([
      'note: the CSV has no map id: import it again with --map 24, or pass --map when racing it',
      'note: the CSV does not keep the 2 laps',
      'note: gate 2 written as spheres (middle, half the width as radius)',
      'note: checkpoint 3 on other maps lose their map',
      'note: the reference line is not part of the CSV',
    ]);
    const parsed = parseBeetlerankCsv(stdout);
    expect(parsed.ok && parsed.value.checkpoints[2]).toMatchObject({ x: 300, z: 60, r: 20 });
  });

  it('keeps the reference line in the JSON, one row per line', () => {
    const text = encodeTrackJson({
      ...RICH,
      referenceLine: [
        [0, 0, 10, 0],
        [0.5, 15.25, 10, 1],
      ],
    });
    expect(text).toContain('  "referenceLine": [\n    [0,0,10,0],\n    [0.5,15.25,10,1]\n  ]\n}\n');
    const parsed = parseTrack(JSON.parse(text));
    expect(parsed.ok && parsed.value.referenceLine).toEqual([
      [0, 0, 10, 0],
      [0.5, 15.25, 10, 1],
    ]);
  });
});
