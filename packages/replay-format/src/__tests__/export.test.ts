import { describe, expect, it } from 'vitest';
import {
  collectText,
  encodeCheckpointsCsv,
  encodePositionsCsv,
  POSITIONS_CSV_COLUMNS,
} from '../export-csv';
import { encodeJsonExport, type JsonExport } from '../export-json';
import { openReplay } from '../open-replay';
import { readReplay } from '../read-replay';
import { collect, record, recordedRace } from './helpers';

describe('exports', () => {
  it('CSV: one row per position sample and one per checkpoint', async () => {
    const race = await recordedRace({ racers: 3, durationS: 60, fields: 'all' });
    const messages = await collect(readReplay(race.bytes));
    const csv = await collectText(encodePositionsCsv(readReplay(race.bytes)));
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe(POSITIONS_CSV_COLUMNS.join(','));
    const positions = messages.filter((m) => m.kind === 'pos');
    expect(rows).toHaveLength(positions.length + 1);
    const first = positions[0]!;
    if (first.kind !== 'pos') return;
    const cells = rows[1]!.split(',');
    expect(cells[0]).toBe(first.message.playerId);
    expect(Number(cells[1])).toBe(first.message.t);
    expect(cells[2]).toBe(''); // before the START: no race time yet
    expect(Number(cells[4])).toBe(first.message.x);
    expect(Number(cells[8])).toBe(first.message.mapId);
    // After the START, race time follows t0.
    const late = rows.at(-1)!.split(',');
    expect(Number(late[2])).toBeCloseTo(Number(late[1]) - race.t0, 3);

    const checkpoints = messages.filter((m) => m.kind === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThan(0);
    const cpRows = (await collectText(encodeCheckpointsCsv(messages, { t0: race.t0 })))
      .trimEnd()
      .split('\r\n');
    expect(cpRows).toHaveLength(checkpoints.length + 1);
    const cp = checkpoints[0]!;
    if (cp.kind !== 'checkpoint') return;
    expect(cpRows[1]!.split(',').slice(0, 4)).toEqual([
      cp.message.playerId,
      String(cp.message.cp),
      String(cp.message.lap),
      String(cp.message.ts),
    ]);
  });

  it('JSON: header, events and a columnar track per racer', async () => {
    const race = await recordedRace({ racers: 2, durationS: 20 });
    const opened = openReplay(race.bytes);
    if (!opened.ok) throw opened.error;
    const replay = opened.value;
    const document = JSON.parse(
      await encodeJsonExport(replay.messages(), { header: replay.header, t0: replay.t0 }),
    ) as JsonExport;
    expect(document.format).toBe('gw2race-replay-export');
    expect(document.header?.raceId).toBe(race.raceId);
    expect(document.t0).toBe(race.t0);
    for (const playerId of race.playerIds) {
      const track = replay.track(playerId)!;
      expect(document.tracks[playerId]!.x).toEqual([...track.x]);
      expect(document.tracks[playerId]!.t).toEqual([...track.t]);
    }
    expect(document.events.every((e) => e.kind !== 'pos')).toBe(true);
    expect(document.events.length + race.positionCount).toBe(race.messages.length);
  });

  it("CSV: race-relative t counts from the header's t0 when the stream announces none", async () => {
    const createdAt = 1_724_312_300;
    const t0 = createdAt + 5;
    const { bytes } = await record(
      [0, 1, 2].map((i) => ({
        kind: 'pos' as const,
        at: t0 + i / 10 + 0.05,
        playerId: 'p1',
        message: { playerId: 'p1', t: i / 10, x: i, y: 0, z: 0 },
      })),
      { raceId: 'rel', createdAt, t0 },
    );
    const reader = readReplay(bytes);
    const header = await reader.header();
    if (!header.ok) throw header.error;
    const rows = (await collectText(encodePositionsCsv(reader, { header: header.value })))
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(','));
    expect(rows.map((cells) => Number(cells[1]))).toEqual([t0, t0 + 0.1, t0 + 0.2]);
    expect(rows.map((cells) => cells[2])).toEqual(['0.000', '0.100', '0.200']);
  });

  it('JSON: keeps every optional position field (tick, seq, u, sig)', async () => {
    const at = 1_724_312_300;
    const sample = (i: number) => ({
      playerId: 'p1',
      t: at + i / 10,
      x: i,
      y: 2,
      z: 3,
      ...(i === 1 ? {} : { tick: 600 + i * 6, seq: i, u: 0.004 }),
      ...(i === 2 ? { sig: 'c2lnbmF0dXJl' } : {}),
    });
    const { bytes } = await record(
      [0, 1, 2].map((i) => ({
        kind: 'pos' as const,
        at: at + i / 10 + 0.04,
        playerId: 'p1',
        message: sample(i),
      })),
      { raceId: 'fields', createdAt: at },
    );
    const track = (JSON.parse(await encodeJsonExport(readReplay(bytes))) as JsonExport).tracks.p1!;
    expect(track.tick).toEqual([600, null, 612]);
    expect(track.seq).toEqual([0, null, 2]);
    expect(track.u).toEqual([0.004, null, 0.004]);
    expect(track.sig).toEqual([null, null, 'c2lnbmF0dXJl']);
  });
});
