import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readReplay } from '../read-replay';
import { collect, recordedRace } from './helpers';

/**
 * A reader written from the README's format section only, the way another language would do
 * it: plain zlib, JSON.parse line by line, and the documented arithmetic. It shares no code
 * with the package.
 */
function referenceDecode(text: string) {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = JSON.parse(lines[0]!);
  const { timeScale, positionScale, speedScale } = header.quantization;
  const step = Math.round(timeScale / 10);
  const out: {
    playerId: string;
    t: number;
    at: number;
    x: number;
    y: number;
    z: number;
    v?: number;
  }[] = [];
  const events: unknown[] = [];
  let index: unknown;
  const states = new Map<
    string,
    Map<string, { h: number; q1: number; q2: number; s1: number; s2: number; w: number[] }>
  >();
  for (const line of lines.slice(1)) {
    const record = JSON.parse(line);
    if (record.type === 'event') events.push(record);
    else if (record.type === 'index') index = record;
    else if (record.type === 'pos') {
      if (record.key) states.clear();
      const cols: string[] = record.cols.split(' ');
      const data: string = record.data;
      let at = 0;
      const next = (): number | undefined => {
        let acc = 0;
        for (;;) {
          const c = data.charCodeAt(at++);
          if (c === 126) return undefined;
          if (c >= 93) acc = acc * 32 + (c - 93);
          else {
            acc = acc * 32 + (c - 48);
            return acc % 2 === 0 ? acc / 2 : -(acc + 1) / 2;
          }
        }
      };
      record.players.forEach((playerId: string, p: number) => {
        if (record.key || record.fresh?.includes(p)) states.set(playerId, new Map());
        const state = states.get(playerId)!;
        // The previous sample of this player, for the speed predictor.
        const last = state.get('t')?.h
          ? ['t', 'x', 'y', 'z'].map((c) => state.get(c)!.q1)
          : undefined;
        const n: number = record.n[p];
        const columns: Record<string, (number | undefined)[]> = {};
        for (const col of cols) {
          let st = state.get(col);
          if (!st) {
            st = { h: 0, q1: 0, q2: 0, s1: 0, s2: 0, w: [] };
            state.set(col, st);
          }
          const values: (number | undefined)[] = [];
          for (let i = 0; i < n; i++) {
            const r = next();
            if (r === undefined) {
              values.push(undefined);
              continue;
            }
            const s = col === 't' ? undefined : columns.t![i]!;
            let pred = 0;
            const prev =
              col !== 'v'
                ? undefined
                : i > 0
                  ? ['t', 'x', 'y', 'z'].map((c) => columns[c]![i - 1]!)
                  : last;
            let speed = Number.NaN;
            if (col === 'v' && prev) {
              const [dt, dx, dy, dz] = ['t', 'x', 'y', 'z'].map(
                (c, k) => columns[c]![i]! - prev[k]!,
              );
              if (dt! > 0 && Math.max(Math.abs(dx!), Math.abs(dy!), Math.abs(dz!)) <= 2 ** 26) {
                speed = Math.floor(
                  (Math.sqrt(dx! * dx! + dy! * dy! + dz! * dz!) * (speedScale * timeScale)) /
                    (positionScale * dt!) +
                    0.5,
                );
              }
            }
            if (!Number.isNaN(speed)) pred = speed;
            else if (st.h >= 1) {
              if (col === 't') pred = st.q1 + step;
              else if (col === 'lag') pred = Math.min(...st.w);
              else if (st.h === 1 || !['x', 'y', 'z', 'tick'].includes(col)) pred = st.q1;
              else if (col === 'tick') pred = 2 * st.q1 - st.q2;
              else {
                const d0 = st.s1 - st.s2;
                const d1 = s! - st.s1;
                const num = 2 * (st.q1 - st.q2) * d1 + d0;
                pred =
                  d0 > 0 && d1 >= 0 && Math.abs((st.q1 - st.q2) * d1) <= 2 ** 50
                    ? st.q1 + Math.floor(num / (2 * d0))
                    : st.q1;
              }
            }
            const q = pred + r;
            values.push(q);
            st.q2 = st.q1;
            st.s2 = st.s1;
            st.q1 = q;
            st.s1 = col === 't' ? q : s!;
            st.h = Math.min(8, st.h + 1);
            if (col === 'lag') st.w = [...st.w, q].slice(-8);
          }
          columns[col] = values;
        }
        for (let i = 0; i < n; i++) {
          const t = columns.t![i]!;
          const sample: (typeof out)[number] = {
            playerId,
            t: (header.origin + t) / timeScale,
            at: (header.origin + t + columns.lag![i]!) / timeScale,
            x: columns.x![i]! / positionScale,
            y: columns.y![i]! / positionScale,
            z: columns.z![i]! / positionScale,
          };
          const v = columns.v?.[i];
          if (v !== undefined) sample.v = v / speedScale;
          out.push(sample);
        }
      });
    }
  }
  return { header, positions: out, events, index };
}

describe('the zcat | jq contract', () => {
  it('reads back with plain zlib and JSON.parse, line by line, into the same messages', async () => {
    const race = await recordedRace();
    // Node's zlib reads every member of a multi-member gzip file, like zcat.
    const text = gunzipSync(race.bytes).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').slice(0, -1);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      type: 'header',
      format: 'gw2race-replay',
      raceId: race.raceId,
    });
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({
      type: 'index',
      positions: race.positionCount,
    });

    const reference = referenceDecode(text);
    const back = await collect(readReplay(race.bytes));
    const ours = back.filter((m) => m.kind === 'pos');
    const key = (p: { playerId: string; t: number }) => `${p.playerId}@${p.t}`;
    const byKey = new Map(reference.positions.map((p) => [key(p), p]));
    expect(reference.positions).toHaveLength(ours.length);
    for (const message of ours) {
      if (message.kind !== 'pos') continue;
      const m = message.message;
      expect(byKey.get(key(m))).toEqual({
        playerId: m.playerId,
        t: m.t,
        at: message.at,
        x: m.x,
        y: m.y,
        z: m.z,
        v: m.v,
      });
    }
    expect(reference.events).toHaveLength(back.length - ours.length);
  });

  it('is read by the real zcat and passes gzip -t', async (context) => {
    let zcat: string;
    try {
      zcat = execFileSync('sh', ['-c', 'command -v zcat'], { encoding: 'utf8' }).trim();
    } catch {
      context.skip();
      return;
    }
    const race = await recordedRace({ racers: 3, durationS: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'gw2race-replay-'));
    const file = join(dir, 'race.replay.jsonl.gz');
    writeFileSync(file, race.bytes);
    const text = execFileSync(zcat, [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(text).toBe(gunzipSync(race.bytes).toString('utf8'));
    expect(() => execFileSync('gzip', ['-t', file])).not.toThrow();
    // A file cut in the middle: zcat prints every complete member, then complains about the tail.
    const cut = join(dir, 'cut.replay.jsonl.gz');
    writeFileSync(cut, race.bytes.subarray(0, Math.floor(race.bytes.length * 0.6)));
    let partial = '';
    try {
      partial = execFileSync(zcat, [cut], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      partial = String((error as { stdout?: string }).stdout ?? '');
    }
    const complete = partial
      .slice(0, partial.lastIndexOf('\n') + 1)
      .split('\n')
      .filter(Boolean);
    expect(complete.length).toBeGreaterThan(1);
    expect(complete[0]).toContain('"type":"header"');
  });
});
