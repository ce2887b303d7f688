import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectText, encodePositionsCsv } from '../export-csv';
import { encodeJsonExport, type JsonExport } from '../export-json';
import { openReplay } from '../open-replay';
import { readReplay } from '../read-replay';
import { recoverReplay } from '../recover-replay';
import type { ReplayEntry } from '../replay-entry';
import { collect, positionsByPlayer, record, recordedRace } from './helpers';

describe('openReplay', () => {
  it('seeks to any instant: positions interpolated between the recorded samples', async () => {
    const race = await recordedRace({ racers: 5, durationS: 60 });
    const opened = openReplay(race.bytes);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const replay = opened.value;
    expect(replay.complete).toBe(true);
    expect(replay.t0).toBe(race.t0);
    expect(replay.raceTimeOrigin).toBe(race.t0);
    expect([...replay.racers].sort()).toEqual([...race.playerIds].sort());
    const recorded = positionsByPlayer(await collect(readReplay(race.bytes)));

    for (const raceTimeMs of [0, 1234, 15_000, 33_333, 59_950]) {
      const snapshot = replay.seek(raceTimeMs);
      const time = race.t0 + raceTimeMs / 1000;
      expect(snapshot.time).toBe(time);
      expect(snapshot.positions.map((p) => p.playerId).sort()).toEqual([...race.playerIds].sort());
      for (const position of snapshot.positions) {
        const samples = recorded.get(position.playerId)!;
        let after = samples.findIndex((s) => s.message.t > time);
        if (after < 0) after = samples.length;
        const a = samples[after - 1]!.message;
        const b = samples[after]?.message;
        expect(position.before).toBe(a.t);
        if (b && b.t - a.t <= 1) {
          expect(position.interpolated).toBe(true);
          expect(position.after).toBe(b.t);
          const f = (time - a.t) / (b.t - a.t);
          expect(position.x).toBeCloseTo(a.x + (b.x - a.x) * f, 4);
          expect(position.z).toBeCloseTo(a.z + (b.z - a.z) * f, 4);
        } else {
          expect(position.interpolated).toBe(false);
          expect(position.x).toBe(a.x);
        }
      }
      expect(snapshot.state?.raceId).toBe(race.raceId);
    }
    // The latest ranking received at or before the instant.
    const late = replay.seek(30_000);
    expect(late.ranking!.t).toBeLessThanOrEqual(race.t0 + 30);
    expect(late.ranking!.t).toBeGreaterThan(race.t0 + 28);
    expect(late.state?.stage).toBe('active');
    expect(replay.seek(-9000).state?.stage).toBe('pre');
  });

  it('gives tracks and time ranges equal to a sequential read', async () => {
    const race = await recordedRace({ racers: 4, durationS: 30 });
    const opened = openReplay(race.bytes);
    if (!opened.ok) throw opened.error;
    const replay = opened.value;
    const all = await collect(readReplay(race.bytes));
    const recorded = positionsByPlayer(all);
    for (const [playerId, samples] of recorded) {
      const track = replay.track(playerId)!;
      expect(track.length).toBe(samples.length);
      expect([...track.t]).toEqual(samples.map((s) => s.message.t));
      expect([...track.at]).toEqual(samples.map((s) => s.at));
      expect([...track.x]).toEqual(samples.map((s) => s.message.x));
      expect([...track.v]).toEqual(samples.map((s) => s.message.v));
    }
    expect(replay.track('nobody')).toBeUndefined();
    const from = race.t0 + 10;
    const to = race.t0 + 12.5;
    expect(replay.messages(from, to)).toEqual(all.filter((m) => m.at >= from && m.at <= to));
    expect(replay.messages()).toEqual(all);
    expect(replay.index.positions).toBe(race.positionCount);
    expect(replay.issues).toEqual([]);
  });

  it('seeks and gives tracks for positions stored exactly as event lines too', async () => {
    const race = await recordedRace({ racers: 3, durationS: 20 }, { compactPositions: false });
    const opened = openReplay(race.bytes);
    if (!opened.ok) throw opened.error;
    const replay = opened.value;
    const recorded = positionsByPlayer(await collect(readReplay(race.bytes)));
    expect(recorded.size).toBe(3);
    for (const [playerId, samples] of recorded) {
      const track = replay.track(playerId)!;
      expect(track.length).toBe(samples.length);
      // Exact values go through the position-line units: equal to within float round-off.
      const off = (column: ArrayLike<number>, expected: number[]) =>
        Math.max(...expected.map((value, k) => Math.abs(column[k]! - value)));
      expect(
        off(
          track.t,
          samples.map((s) => s.message.t),
        ),
      ).toBeLessThan(1e-6);
      expect(
        off(
          track.at,
          samples.map((s) => s.at),
        ),
      ).toBeLessThan(1e-6);
      expect(
        off(
          track.x,
          samples.map((s) => s.message.x),
        ),
      ).toBeLessThan(1e-6);
    }
    const snapshot = replay.seek(10_000);
    expect(snapshot.positions.map((p) => p.playerId).sort()).toEqual([...recorded.keys()].sort());
    for (const position of snapshot.positions) {
      const samples = recorded.get(position.playerId)!;
      const time = race.t0 + 10;
      const after = samples.findIndex((s) => s.message.t > time);
      const a = samples[after - 1]!.message;
      const b = samples[after]!.message;
      const f = (time - a.t) / (b.t - a.t);
      expect(position.x).toBeCloseTo(a.x + (b.x - a.x) * f, 4);
      expect(position.interpolated).toBe(true);
    }
  });

  it('counts race-relative t (below 1e9 s) from t0 in seeks, tracks and exports', async () => {
    // Two racers at the same places: p1 sends t relative to t0 (the spec's minimal example),
    // p2 epoch seconds. Everything but the raw messages must treat them alike.
    const createdAt = 1_724_312_300;
    const t0 = createdAt + 5;
    const messages: ReplayEntry[] = [
      { kind: 'control', at: createdAt + 1, message: { cmd: 'START', t0 } },
    ];
    for (let i = 0; i < 100; i++) {
      const rel = i / 10;
      for (const [playerId, t] of [
        ['p1', rel],
        ['p2', t0 + rel],
      ] as const) {
        messages.push({
          kind: 'pos',
          at: t0 + rel + 0.05,
          playerId,
          message: { playerId, t, x: i, y: 0, z: 0 },
        });
      }
    }
    for (const header of [
      { raceId: 'rel', createdAt },
      { raceId: 'rel', createdAt, t0 },
    ]) {
      const { bytes } = await record(messages, header);
      const opened = openReplay(bytes);
      if (!opened.ok) throw opened.error;
      const replay = opened.value;
      const snapshot = replay.seek(5050);
      const [p1, p2] = ['p1', 'p2'].map((id) => snapshot.positions.find((p) => p.playerId === id));
      expect(p1).toBeDefined();
      expect(p1!.x).toBeCloseTo(50.5, 6);
      expect(p1!.x).toBeCloseTo(p2!.x, 6);
      expect(p1!.before).toBeCloseTo(t0 + 5, 6);
      expect(p1!.after).toBeCloseTo(t0 + 5.1, 6);
      expect(p1!.interpolated).toBe(true);
      const [a, b] = [replay.track('p1')!, replay.track('p2')!];
      expect(a.t[0]).toBe(t0);
      for (let k = 0; k < a.length; k++) expect(a.t[k]).toBeCloseTo(b.t[k]!, 6);
      const rows = (await collectText(encodePositionsCsv(readReplay(bytes)))).split('\r\n');
      const cells = (playerId: string) =>
        rows.find((row) => row.startsWith(`${playerId},`))!.split(',');
      expect(Number(cells('p1')[1])).toBe(t0);
      expect(cells('p1')[2]).toBe('0.000');
      expect(cells('p1').slice(1, 3)).toEqual(cells('p2').slice(1, 3));
      const document = JSON.parse(await encodeJsonExport(readReplay(bytes))) as JsonExport;
      expect(document.tracks.p1!.t[0]).toBe(t0);
      expect(document.tracks.p1!.t).toEqual([...a.t]);
    }
  });

  it('opens a crashed recording (no trailer) and one recompressed by another gzip', async () => {
    const race = await recordedRace({ racers: 3, durationS: 30 });
    const crashed = race.bytes.subarray(0, race.bytes.length - race.members.at(-1)!.length - 100);
    const opened = openReplay(crashed);
    if (!opened.ok) throw opened.error;
    expect(opened.value.complete).toBe(false);
    expect(opened.value.t0).toBe(race.t0); // found in the recorded START
    expect(opened.value.issues.map((i) => i.code)).toEqual(['TRUNCATED']);
    expect(opened.value.seek(5000).positions).toHaveLength(3);
    const recovered = recoverReplay(crashed);
    if (!recovered.ok) throw recovered.error;
    expect(recovered.value.index.members).toEqual(opened.value.index.members);

    // zcat file | gzip > other: one member, no GR fields.
    const recompressed = new Uint8Array(gzipSync(gunzipSync(race.bytes)));
    const whole = openReplay(recompressed);
    if (!whole.ok) throw whole.error;
    expect(whole.value.messages()).toEqual(await collect(readReplay(race.bytes)));
    expect(whole.value.header.raceId).toBe(race.raceId);
    expect(await collect(readReplay(recompressed))).toEqual(await collect(readReplay(race.bytes)));
  });

  it('decodes for positions only the events they need, and checks every line messages returns', async () => {
    const race = await recordedRace({ racers: 3, durationS: 20 });
    // A ranking no reader accepts, between the others.
    const bad = { kind: 'ranking', at: race.t0 + 8, message: { nonsense: true } };
    const entries: ReplayEntry[] = [...race.messages];
    entries.splice(
      entries.findIndex((m) => m.at >= bad.at),
      0,
      bad as unknown as ReplayEntry,
    );
    const { bytes } = await record(entries, {
      raceId: race.raceId,
      createdAt: race.startAt,
      track: race.track,
      state: race.state,
    });
    const opened = openReplay(bytes);
    if (!opened.ok) throw opened.error;
    const replay = opened.value;
    const good = openReplay(race.bytes);
    if (!good.ok) throw good.error;
    // Positions, t0, state and ranking as in the recording without it; the bad line unread.
    expect(replay.t0).toBe(race.t0);
    for (const playerId of race.playerIds) {
      expect([...replay.track(playerId)!.x]).toEqual([...good.value.track(playerId)!.x]);
    }
    for (const time of [race.t0 + 4, race.t0 + 8.1]) {
      expect(replay.positionsAt(time)).toEqual(good.value.positionsAt(time));
    }
    expect(replay.issues).toEqual([]);
    // A seek reads the rankings of the member it needs the latest one from: the bad one is
    // reported there, and skipped.
    for (const raceTimeMs of [4000, 7900, 8100, 15_000]) {
      expect(replay.seek(raceTimeMs)).toEqual(good.value.seek(raceTimeMs));
    }
    expect(replay.issues.map((i) => i.code)).toEqual(['INVALID_MESSAGE']);
    // Every message: the bad line is skipped.
    const recorded = await collect(readReplay(race.bytes));
    expect(replay.messages()).toEqual(recorded);
    expect(replay.issues.map((i) => i.code)).toEqual(['INVALID_MESSAGE']);

    // Event lines in another writer's key order are parsed whole, then kept or skipped by kind.
    const text = gunzipSync(race.bytes)
      .toString('utf8')
      .replace(
        /\{"type":"event","at":([\d.]+),"kind":"(\w+)"/g,
        '{"kind":"$2","type":"event","at":$1',
      );
    expect(text).toContain('{"kind":"ranking","type":"event"');
    const reordered = openReplay(new Uint8Array(gzipSync(text)));
    if (!reordered.ok) throw reordered.error;
    expect(reordered.value.t0).toBe(race.t0);
    for (const raceTimeMs of [-2000, 4000, 15_000]) {
      expect(reordered.value.seek(raceTimeMs)).toEqual(good.value.seek(raceTimeMs));
    }
    expect(reordered.value.messages()).toEqual(recorded);
  });

  it('refuses what is not a recording', () => {
    expect(openReplay(new Uint8Array(0)).ok).toBe(false);
    expect(openReplay(new Uint8Array(gzipSync('{"hello":1}\n'))).ok).toBe(false);
    const newer = new Uint8Array(
      gzipSync('{"type":"header","format":"gw2race-replay","version":2}\n'),
    );
    const result = openReplay(newer);
    expect(!result.ok && result.error.code).toBe('UNSUPPORTED_VERSION');
  });
});
