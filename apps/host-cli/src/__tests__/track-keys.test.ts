import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimatePath, type PathRow } from '../track/decimate-path';
import { actionForKey, KEY_HELP, listenToKeys, scriptedKeys } from '../track/keys';

describe('the recorder keys', () => {
  it('maps every key the help lists', () => {
    expect(actionForKey('space')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('c')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('C')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('f')).toEqual({ type: 'finish' });
    expect(actionForKey('l')).toEqual({ type: 'loop' });
    expect(actionForKey('r')).toEqual({ type: 'reset' });
    expect(actionForKey('u')).toEqual({ type: 'undo' });
    expect(actionForKey('backspace')).toEqual({ type: 'undo' });
    expect(actionForKey('+')).toEqual({ type: 'radius', delta: 1 });
    expect(actionForKey('=')).toEqual({ type: 'radius', delta: 1 });
    expect(actionForKey('-')).toEqual({ type: 'radius', delta: -1 });
    expect(actionForKey('1')).toEqual({ type: 'radius-set', value: 5 });
    expect(actionForKey('9')).toEqual({ type: 'radius-set', value: 45 });
    expect(actionForKey('0')).toEqual({ type: 'radius-set', value: 'default' });
    expect(actionForKey('w')).toEqual({ type: 'save' });
    expect(actionForKey('q')).toEqual({ type: 'quit' });
    expect(actionForKey('?')).toEqual({ type: 'help' });
    expect(actionForKey('x')).toEqual({ type: 'unknown', key: 'x' });
    expect(actionForKey('return')).toEqual({ type: 'unknown', key: 'return' });
    // Every key the help names does something.
    for (const [keys] of KEY_HELP) {
      for (const key of keys.split(/, | \/ | … /)) {
        const name = key === 'ctrl-c' ? undefined : key;
        if (name) expect(actionForKey(name).type, name).not.toBe('unknown');
      }
    }
  });

  it('reads a script as one key per character or named line', () => {
    expect(scriptedKeys('c')).toEqual(['c']);
    expect(scriptedKeys('  ccf w q ')).toEqual(['c', 'c', 'f', 'w', 'q']);
    expect(scriptedKeys('space')).toEqual(['space']);
    expect(scriptedKeys('Backspace')).toEqual(['backspace']);
    expect(scriptedKeys('plus')).toEqual(['plus']);
    expect(actionForKey('plus')).toEqual({ type: 'radius', delta: 1 });
    expect(scriptedKeys('')).toEqual([]);
  });

  it('listens to a script on a stream that is not a terminal, to its end', async () => {
    const input = new PassThrough();
    const keys: string[] = [];
    let ended = false;
    const listener = listenToKeys(
      input,
      (key, ctrl) => keys.push(ctrl ? `ctrl-${key}` : key),
      () => {
        ended = true;
      },
    );
    input.write('c\r\nspace\n+');
    await new Promise((resolve) => setImmediate(resolve));
    // A line is read when it ends.
    expect(keys).toEqual(['c', 'space']);
    input.write('+\nfw');
    input.end('q');
    await new Promise((resolve) => setImmediate(resolve));
    expect(keys).toEqual(['c', 'space', '+', '+', 'f', 'w', 'q']);
    expect(ended).toBe(true);
    listener.close();
  });
});

/** Distance from row p to the segment between rows a and b, in metres. */
function offLine(p: PathRow, a: PathRow, b: PathRow): number {
  const d = [b[1] - a[1], b[2] - a[2], b[3] - a[3]] as const;
  const l2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
  const u =
    l2 === 0
      ? 0
      : Math.min(
          1,
          Math.max(0, ((p[1] - a[1]) * d[0] + (p[2] - a[2]) * d[1] + (p[3] - a[3]) * d[2]) / l2),
        );
  return Math.hypot(p[1] - a[1] - u * d[0], p[2] - a[2] - u * d[1], p[3] - a[3] - u * d[2]);
}

describe('decimatePath', () => {
  it('keeps the corners of a ridden path and a point every second on straights', () => {
    const rows: PathRow[] = [];
    // 25 Hz, 20 m/s: 5 s east, then 5 s north.
    for (let i = 0; i <= 250; i++) {
      const t = i / 25;
      rows.push(t <= 5 ? [t, t * 20, 0, 0] : [t, 100, 0, (t - 5) * 20]);
    }
    const kept = decimatePath(rows);
    expect(kept[0]).toEqual([0, 0, 0, 0]);
    expect(kept[kept.length - 1]).toEqual([10, 100, 0, 100]);
    expect(kept).toContainEqual([5, 100, 0, 0]);
    expect(kept.length).toBeGreaterThanOrEqual(11);
    expect(kept.length).toBeLessThanOrEqual(20);
    for (let i = 1; i < kept.length; i++)
      expect((kept[i] as PathRow)[0] - (kept[i - 1] as PathRow)[0]).toBeLessThanOrEqual(1);
  });

  it('never drops a point further than the tolerance from the line that replaces it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.01, max: 0.2, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: -1, max: 1, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
          ),
          { minLength: 0, maxLength: 300 },
        ),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (steps, tolerance) => {
          const rows: PathRow[] = [];
          let row: PathRow = [0, 0, 0, 0];
          for (const [dt, dx, dy, dz] of steps) {
            row = [row[0] + dt, row[1] + dx, row[2] + dy, row[3] + dz];
            rows.push(row);
          }
          const kept = decimatePath(rows, { tolerance, maxGapSeconds: 5 });
          if (rows.length === 0) {
            expect(kept).toEqual([]);
            return;
          }
          expect(kept[0]).toEqual(rows[0]);
          expect(kept[kept.length - 1]).toEqual(rows[rows.length - 1]);
          // Every dropped row lies within the tolerance of the kept segment around it.
          let segment = 0;
          for (const r of rows) {
            while (segment < kept.length - 2 && r[0] > (kept[segment + 1] as PathRow)[0]) segment++;
            const a = kept[segment] as PathRow;
            const b = (kept[segment + 1] ?? a) as PathRow;
            expect(offLine(r, a, b)).toBeLessThanOrEqual(tolerance + 1e-9);
          }
        },
      ),
    );
  });
});
