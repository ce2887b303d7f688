import { readFileSync } from 'node:fs';
import { type SphereCheckpoint, type Track, trackSchema } from '@gw2race/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBeetlerankCsv, parseBeetlerankCsv } from '../beetlerank-csv';
import { isRaceEngineError } from '../errors';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const DIESSA = fixture('TYRIA DIESSA PLATEAU.csv');
const GENDARRAN = fixture('TYRIA GENDARRAN.csv');

function parsed(text: string, options = {}): Track {
  const result = parseBeetlerankCsv(text, options);
  if (!result.ok) throw result.error;
  return result.value;
}

function failure(text: string) {
  const result = parseBeetlerankCsv(text);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('parseBeetlerankCsv on the community fixtures', () => {
  it('imports Diessa Plateau: 13 steps, start and finish roles, one reset', () => {
    const track = parsed(DIESSA, { file: 'maps/TYRIA DIESSA PLATEAU.csv', mapId: 32 });
    expect(trackSchema.safeParse(track).success).toBe(true);
    expect(track.name).toBe('TYRIA DIESSA PLATEAU');
    expect(track.id).toBe('tyria-diessa-plateau');
    expect(track.mapId).toBe(32);
    expect(track.source).toEqual({ kind: 'beetlerank-csv', file: 'maps/TYRIA DIESSA PLATEAU.csv' });
    expect(track.checkpoints).toHaveLength(13);
    expect(track.checkpoints.map((c) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(track.checkpoints[0]).toEqual({
      id: 0,
      role: 'start',
      x: -104.83452,
      y: 27.776852,
      z: -524.9238,
      r: 15,
    });
    expect(track.checkpoints[12]?.role).toBe('finish');
    expect(track.checkpoints.slice(1, 12).every((c) => c.role === 'checkpoint')).toBe(true);
    expect(track.resets).toEqual([{ x: -147.57817, y: 32.125404, z: -532.2944, r: 15 }]);
  });

  it('imports Gendarran Fields: 14 steps', () => {
    const track = parsed(GENDARRAN);
    expect(track.checkpoints).toHaveLength(14);
    const finish = track.checkpoints[13] as SphereCheckpoint;
    expect([finish.x, finish.y, finish.z, finish.r]).toEqual([289.72845, 12.304443, 464.35706, 15]);
    expect(track.name).toBe('Beetlerank track');
  });

  it('reads CRLF and bare-CR files exactly like LF ones', () => {
    const lf = parsed(DIESSA);
    expect(parsed(DIESSA.replace(/\n/g, '\r\n'))).toEqual(lf);
    expect(parsed(DIESSA.replace(/\n/g, '\r'))).toEqual(lf);
    // A byte-order mark, blank lines and no final newline change nothing either.
    expect(parsed(`\uFEFF${DIESSA.replace(/\n/g, '\n\n').trimEnd()}`)).toEqual(lf);
  });
});

describe('parseBeetlerankCsv on format variants', () => {
  it('uses the default radius when an older file has no RADIUS column', () => {
    const text =
      'STEP,STEPNAME,X,Y,Z\n0,start,0.0,1.0,2.0\n-1,reset,1.0,2.0,3.0\n1,*,2.0,3.0,4.0\n2,end,3.0,4.0,5.0\n';
    const track = parsed(text);
    expect(track.checkpoints.map((c) => (c as SphereCheckpoint).r)).toEqual([15, 15, 15]);
    expect(track.resets).toEqual([{ x: 1, y: 2, z: 3, r: 5 }]);
    expect(parsed(text, { defaultRadius: 10, resetRadius: 4 }).resets?.[0]?.r).toBe(4);
  });

  it('keeps the ANGLE column (Speedometer draws with it; the sphere is what is judged)', () => {
    const text =
      'STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE\r0,start,1,2,3,15,-1\r1,*,4,5,6,12,213.5\r2,end,7,8,9,15,-1';
    const track = parsed(text);
    expect(track.checkpoints[0]).toEqual({ id: 0, role: 'start', x: 1, y: 2, z: 3, r: 15 });
    expect(track.checkpoints[1]).toEqual({
      id: 1,
      role: 'checkpoint',
      x: 4,
      y: 5,
      z: 6,
      r: 12,
      angle: 213.5,
    });
    // and writes it back
    expect(encodeBeetlerankCsv(track).split('\n')[2]).toBe('1,*,4,5,6,12,213.5');
  });

  it('turns a step listed twice into alternatives', () => {
    const text = [
      'STEP,STEPNAME,X,Y,Z,RADIUS',
      '0,start,0,0,0,15',
      '1,*,100,0,0,10',
      '1,*,100,0,50,8',
      '1,*,100,0,-50,8',
      '2,end,200,0,0,15',
    ].join('\n');
    const track = parsed(text);
    expect(track.checkpoints).toHaveLength(3);
    expect(track.checkpoints[1]).toEqual({
      id: 1,
      role: 'checkpoint',
      x: 100,
      y: 0,
      z: 0,
      r: 10,
      alternatives: [
        { x: 100, y: 0, z: 50, r: 8 },
        { x: 100, y: 0, z: -50, r: 8 },
      ],
    });
  });

  it('reads files without a header line, quoted fields and columns in another order', () => {
    expect(parsed('0,start,0,0,0,15\n1,end,9,9,9,15').checkpoints).toHaveLength(2);
    expect(
      parsed('STEP,STEPNAME,X,Y,Z,RADIUS\n0,"start",0,0,0,15\n1,"the ""end""",9,9,9,15')
        .checkpoints,
    ).toHaveLength(2);
    const reordered = parsed('X,Y,Z,STEP,STEPNAME\n1,2,3,0,start\n4,5,6,1,end');
    expect(reordered.checkpoints[1]).toMatchObject({ id: 1, x: 4, y: 5, z: 6 });
  });

  it('accepts a header and rows ending with an empty field (a trailing comma)', () => {
    for (const text of [
      'STEP,STEPNAME,X,Y,Z,RADIUS,\n0,start,0,0,0,15\n1,end,9,9,9,12\n',
      'STEP,STEPNAME,X,Y,Z,RADIUS,\n0,start,0,0,0,15,\n1,end,9,9,9,12,\n',
      'STEP,STEPNAME,X,Y,Z,RADIUS,,\r\n0,start,0,0,0,15\r\n1,end,9,9,9,12\r\n',
    ]) {
      const track = parsed(text);
      expect(track.checkpoints.map((c) => (c.kind === 'gate' ? -1 : c.r))).toEqual([15, 12]);
    }
  });

  it('passes id, name, laps and circuit through', () => {
    const track = parsed(DIESSA, { id: 'diessa', name: 'Diessa cup', laps: 3, circuit: true });
    expect([track.id, track.name, track.laps, track.circuit]).toEqual([
      'diessa',
      'Diessa cup',
      3,
      true,
    ]);
  });
});

describe('parseBeetlerankCsv errors name the line and the problem', () => {
  const header = 'STEP,STEPNAME,X,Y,Z,RADIUS';
  const cases: [string, string, string, number | undefined][] = [
    ['', 'CSV_EMPTY', 'no checkpoint rows', undefined],
    ['\n\n', 'CSV_EMPTY', 'no checkpoint rows', undefined],
    ['NAME,X,Y\n0,1,2', 'CSV_HEADER', 'line 1: the header lacks STEP, STEPNAME, Z', 1],
    [
      `${header}\n0,start,0,0,0,15\n1,*,abc,0,0,15\n2,end,0,0,0,15`,
      'CSV_ROW',
      'line 3: X is not a number: "abc"',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,15\n1,*,0,0,0\n2,end,0,0,0,15`,
      'CSV_ROW',
      'line 3: expected 6 fields',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,-2\n1,end,0,0,0,15`,
      'CSV_ROW',
      'line 2: RADIUS must be a positive number',
      2,
    ],
    [
      `${header}\n0,start,0,0,0,15\n1.5,*,0,0,0,15`,
      'CSV_ROW',
      'line 3: STEP must be an integer',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,15\n1,*,0,0,0,15\n3,end,0,0,0,15`,
      'CSV_STEP',
      'line 4: step 3 follows step 1: step 2 is missing',
      4,
    ],
    [`${header}\n1,*,0,0,0,15\n2,end,0,0,0,15`, 'CSV_STEP', 'line 2: the first step must be 0', 2],
    [
      `${header}\n0,start,0,0,0,15\n1,end,0,0,0,15\n2,*,0,0,0,15`,
      'CSV_STEP',
      'line 3: "end" is step 1 but step 2 follows it',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,15\n1,start,0,0,0,15`,
      'CSV_STEP',
      'line 3: "start" must be step 0',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,15\n2,reset,0,0,0,15`,
      'CSV_STEP',
      'line 3: a "reset" row must have step -1',
      3,
    ],
    [
      `${header}\n-1,reset,0,0,0,5\n0,start,0,0,0,15`,
      'CSV_STEP',
      'a start (step 0) and at least one more step',
      3,
    ],
    [
      `${header}\n0,start,0,0,0,15\n1,"end,0,0,0,15`,
      'CSV_ROW',
      'line 3: unterminated quoted field',
      3,
    ],
    [
      `STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE\n0,start,0,0,0,15,north\n1,end,0,0,0,15,-1`,
      'CSV_ROW',
      'line 2: ANGLE is not a number',
      2,
    ],
    // Only plain decimal numbers: JavaScript's Number() would read these.
    [
      `${header}\n0,start,0x10,0,0,15\n1,end,0,0,0,15`,
      'CSV_ROW',
      'line 2: X is not a number: "0x10"',
      2,
    ],
    [`${header}\n0,start,0,0,0,0b11\n1,end,0,0,0,15`, 'CSV_ROW', 'line 2: RADIUS must be', 2],
    [`${header}\n0,start,0,0,0,15\n0x1,end,0,0,0,15`, 'CSV_ROW', 'line 3: STEP must be', 3],
    [`${header}\n0,start,Infinity,0,0,15\n1,end,0,0,0,15`, 'CSV_ROW', 'line 2: X is not', 2],
    [
      `${header}\n0,start,0,0,0,15\n1,*,1,0,0,15\n2,*,2,0,0,15\n1,*,3,0,0,15\n3,end,9,0,0,15`,
      'CSV_STEP',
      "line 5: step 1 comes after step 2: steps must be in order, and a step's alternative points listed together",
      5,
    ],
    // The track schema's limits, placed on the row that breaks them.
    [
      `${header}\n${Array.from({ length: 1002 }, (_, i) => `${i},*,${i},0,0,5`).join('\n')}`,
      'CSV_STEP',
      'line 1002: more than 1000 steps',
      1002,
    ],
    [
      `${header}\n${Array.from({ length: 101 }, (_, i) => `-1,reset,${i},0,0,5`).join('\n')}\n0,start,0,0,0,15\n1,end,9,9,9,15`,
      'CSV_STEP',
      'line 102: more than 100 reset points',
      102,
    ],
  ];
  it.each(cases)('%#: %s', (text, code, message, line) => {
    const error = failure(text);
    expect(isRaceEngineError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.line).toBe(line);
  });

  it('rejects an id the track schema refuses, and never throws on arbitrary text', () => {
    expect(parseBeetlerankCsv(DIESSA, { id: 'bad id/x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRACK' },
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseBeetlerankCsv(text);
        if (result.ok) expect(trackSchema.safeParse(result.value).success).toBe(true);
        else expect(isRaceEngineError(result.error)).toBe(true);
      }),
    );
  });
});

describe('encodeBeetlerankCsv', () => {
  it('round-trips the fixtures through export and import', () => {
    for (const text of [DIESSA, GENDARRAN]) {
      const track = parsed(text);
      for (const lineEnding of ['\n', '\r\n', '\r'] as const) {
        const again = parsed(encodeBeetlerankCsv(track, { lineEnding }));
        expect(again.checkpoints).toEqual(track.checkpoints);
        expect(again.resets).toEqual(track.resets);
      }
    }
  });

  it('writes the current 7-column format with -1 angles for spheres', () => {
    const csv = encodeBeetlerankCsv(parsed(DIESSA));
    const lines = csv.split('\n');
    expect(lines[0]).toBe('STEP,STEPNAME,X,Y,Z,RADIUS,ANGLE');
    expect(lines[1]).toBe('-1,reset,-147.57817,32.125404,-532.2944,15,-1');
    expect(lines[2]).toBe('0,start,-104.83452,27.776852,-524.9238,15,-1');
    expect(lines[14]).toBe('12,end,-161.61705,30.594496,-507.65585,15,-1');
  });

  it('closes a circuit with its start and approximates a gate by a sphere', () => {
    const track: Track = {
      format: 'gw2race-track',
      version: 1,
      id: 'g',
      name: 'g',
      circuit: true,
      checkpoints: [
        { id: 0, x: 0, y: 0, z: 0, r: 10 },
        { id: 7, kind: 'gate', a: { x: 100, y: 0, z: -6 }, b: { x: 100, y: 1, z: 6 } },
      ],
    };
    const again = parsed(encodeBeetlerankCsv(track));
    expect(again.checkpoints).toHaveLength(3);
    expect(again.checkpoints[1]).toMatchObject({ x: 100, y: 0, z: 0, r: 6 });
    expect(again.checkpoints[2]).toMatchObject({ x: 0, y: 0, z: 0, r: 10, role: 'finish' });
  });

  it('round-trips any sphere track (property)', () => {
    // CSV has no negative zero: -0 is written "0" (and reads back as 0).
    const num = fc
      .double({ min: -1e5, max: 1e5, noNaN: true, noDefaultInfinity: true })
      .map((v) => (v === 0 ? 0 : v));
    const radius = fc.double({ min: 0.01, max: 500, noNaN: true, noDefaultInfinity: true });
    const sphere = fc.record({ x: num, y: num, z: num, r: radius });
    fc.assert(
      fc.property(
        fc.array(fc.record({ main: sphere, alternatives: fc.array(sphere, { maxLength: 3 }) }), {
          minLength: 2,
          maxLength: 20,
        }),
        fc.array(sphere, { maxLength: 3 }),
        (cps, resets) => {
          const track: Track = {
            format: 'gw2race-track',
            version: 1,
            id: 'prop',
            name: 'prop',
            checkpoints: cps.map((c, id) => ({
              id,
              ...c.main,
              ...(c.alternatives.length ? { alternatives: c.alternatives } : {}),
            })),
            resets,
          };
          const again = parsed(encodeBeetlerankCsv(track), { id: 'prop', name: 'prop' });
          expect(again.checkpoints.map(({ role: _r, ...rest }) => rest)).toEqual(track.checkpoints);
          expect(again.resets ?? []).toEqual(resets);
        },
      ),
    );
  });
});
