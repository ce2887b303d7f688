import { describe, expect, it } from 'vitest';
import { simulateRace } from '../../bench/simulated-race';
import { openReplay } from '../open-replay';
import { recoverReplay } from '../recover-replay';
import { createReplayDecoder } from '../replay-decoder';
import type { ReplayEntry } from '../replay-entry';
import { concat, record, recordedRace } from './helpers';

function decodeAll(bytes: Uint8Array) {
  const decoder = createReplayDecoder();
  const entries: ReplayEntry[] = [...decoder.push(bytes), ...decoder.finish()];
  return { entries, decoder };
}

describe('recovery', () => {
  it('recovers every complete member of a recording cut at any byte', async () => {
    // Small on purpose (every byte offset is tried): positions of two racers and a few events.
    const sim = simulateRace({ racers: 2, durationS: 3, countdownS: 1, positionsOnly: true });
    const messages: ReplayEntry[] = [...sim.messages];
    for (let i = 0; i < 8; i++) {
      messages.push({
        kind: 'chat',
        at: sim.startAt + 0.5 * i + 0.25,
        message: { text: `note ${i}` },
      });
    }
    messages.push({
      kind: 'control',
      at: sim.startAt + 0.7,
      message: { cmd: 'START', t0: sim.t0 },
    });
    messages.sort((a, b) => a.at - b.at);
    const race = await record(
      messages,
      { raceId: sim.raceId, createdAt: sim.startAt },
      { flushIntervalMs: 400, keyframeIntervalMs: 1200 },
    );
    const all = decodeAll(race.bytes).entries;
    expect(all).toHaveLength(messages.length);
    // Member boundaries and how many messages the members before each boundary hold.
    const ends: number[] = [];
    const counts: number[] = [];
    let end = 0;
    let count = 0;
    const dataMembers = race.members.slice(0, -1); // without the index trailer
    const index = decodeAll(race.bytes).decoder.index!;
    dataMembers.forEach((member, i) => {
      end += member.length;
      count += index.members[i]!.records;
      ends.push(end);
      counts.push(count);
    });
    expect(dataMembers.length).toBeGreaterThan(5);
    // Every cut inside the same member recovers the same bytes: decode those once.
    const recoveredEntries = new Map<number, ReplayEntry[]>();
    for (let cut = 0; cut <= race.bytes.length; cut++) {
      const bytes = race.bytes.subarray(0, cut);
      const complete = ends.filter((e) => e <= cut).length;
      const recovered = recoverReplay(bytes);
      if (complete === 0) {
        expect(recovered.ok).toBe(false);
        continue;
      }
      expect(recovered.ok).toBe(true);
      if (!recovered.ok) continue;
      const expected = all.slice(0, counts[complete - 1]);
      const { report, index: newIndex } = recovered.value;
      expect(report.keptMembers).toBe(complete);
      expect(report.truncated).toBe(cut < race.bytes.length && !ends.includes(cut));
      expect(newIndex.records).toBe(expected.length);
      if (!recoveredEntries.has(complete)) {
        const back = decodeAll(recovered.value.bytes);
        expect(back.decoder.issues).toEqual([]);
        expect(back.decoder.index).toEqual(newIndex);
        expect(back.entries).toEqual(expected);
        recoveredEntries.set(complete, back.entries);
      }
      // Reading the cut file directly gives the same, with the tail reported.
      const direct = decodeAll(bytes);
      expect(direct.entries).toEqual(expected);
      if (report.truncated) expect(direct.decoder.issues.map((i) => i.code)).toContain('TRUNCATED');
    }
  }, 60_000);

  it('drops a damaged member, keeps the rest, and resumes positions at the next keyframe', async () => {
    const race = await recordedRace(
      { racers: 3, durationS: 30 },
      { flushIntervalMs: 1000, keyframeIntervalMs: 5000 },
    );
    const damaged = race.bytes.slice();
    // Flip a byte in the middle of the deflate data of the 8th member.
    const offset = race.members.slice(0, 8).reduce((sum, m) => sum + m.length, 0);
    damaged[offset + 44 + Math.floor((race.members[8]!.length - 52) / 2)]! ^= 0xff;
    const { entries, decoder } = decodeAll(damaged);
    const codes = decoder.issues.map((issue) => issue.code);
    expect(codes[0]).toBe('CORRUPT_MEMBER');
    expect(decoder.issues[0]!.offset).toBe(offset);
    expect(codes.slice(1).every((code) => code === 'MISSING_KEYFRAME')).toBe(true);
    const full = decodeAll(race.bytes).entries;
    expect(entries.length).toBeLessThan(full.length);
    expect(entries.length).toBeGreaterThan(full.length * 0.7);

    const recovered = recoverReplay(damaged);
    expect(recovered.ok).toBe(true);
    if (!recovered.ok) return;
    expect(recovered.value.report.droppedMembers.map((d) => d.offset)).toEqual([offset]);
    expect(recovered.value.report.keptMembers).toBe(race.members.length - 2);
    const opened = openReplay(recovered.value.bytes);
    expect(opened.ok && opened.value.complete).toBe(true);
  });

  it('reads on past a member whose length field is damaged, streamed or whole', async () => {
    const race = await recordedRace(
      { racers: 3, durationS: 30 },
      { flushIntervalMs: 1000, keyframeIntervalMs: 5000 },
    );
    const full = decodeAll(race.bytes).entries;
    const offset = race.members.slice(0, 6).reduce((sum, m) => sum + m.length, 0);
    const events = (list: ReplayEntry[]) => list.filter((e) => e.kind !== 'pos');
    const withoutIt = events(
      decodeAll(concat([...race.members.slice(0, 6), ...race.members.slice(7)])).entries,
    );
    expect(withoutIt.length).toBeLessThan(events(full).length);
    // The GR length (offset 20 of the member): beyond any member, and merely beyond the file.
    for (const claimed of [0x7fffffff, race.bytes.length]) {
      const damaged = race.bytes.slice();
      new DataView(damaged.buffer).setUint32(offset + 20, claimed, true);
      for (const pieceSize of [damaged.length, 4096, 333]) {
        const decoder = createReplayDecoder();
        const entries: ReplayEntry[] = [];
        for (let at = 0; at < damaged.length; at += pieceSize) {
          entries.push(...decoder.push(damaged.subarray(at, at + pieceSize)));
        }
        entries.push(...decoder.finish());
        const codes = decoder.issues.map((issue) => issue.code);
        expect(codes[0]).toBe('CORRUPT_MEMBER');
        expect(decoder.issues[0]!.offset).toBe(offset);
        expect(codes).not.toContain('TRUNCATED');
        expect(new Set(codes.slice(1))).toEqual(new Set(['MISSING_KEYFRAME']));
        // Only the damaged member is lost: the events are those of the file without it, and
        // positions resume at the next keyframe.
        expect(events(entries)).toEqual(withoutIt);
        expect(entries.length).toBeGreaterThan(full.length * 0.8);
        expect(decoder.index).toEqual(decodeAll(race.bytes).decoder.index);
      }
    }
  });

  it('skips garbage between members and refuses a file without its header', async () => {
    const race = await recordedRace({ racers: 2, durationS: 10 }, { flushIntervalMs: 1000 });
    const garbage = new Uint8Array(100).fill(0x42);
    const spliced = concat([...race.members.slice(0, 4), garbage, ...race.members.slice(4)]);
    const { entries, decoder } = decodeAll(spliced);
    // The garbage could have been a damaged member, so positions wait for the next keyframe.
    const codes = decoder.issues.map((i) => i.code);
    expect(codes[0]).toBe('CORRUPT_BYTES');
    expect(new Set(codes.slice(1))).toEqual(new Set(['MISSING_KEYFRAME']));
    const full = decodeAll(race.bytes).entries;
    const events = (list: ReplayEntry[]) => list.filter((e) => e.kind !== 'pos');
    expect(events(entries)).toEqual(events(full));
    expect(entries.length).toBeGreaterThan(full.length * 0.5);

    expect(recoverReplay(concat(race.members.slice(1))).ok).toBe(false);
    expect(recoverReplay(new TextEncoder().encode('{"type":"header"}\n')).ok).toBe(false);
    const notReplay = decodeAll(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(notReplay.decoder.fatal?.code).toBe('NOT_A_REPLAY');
  });
});
