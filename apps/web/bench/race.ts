/**
 * A recording for the viewer's benchmark, written with the real writer: `racers` riding a
 * circuit (the e2e short course, closed) lap after lap at 10 Hz for `durationS` seconds, each
 * at their own speed with a little deterministic wobble, with a state, START, a ranking per
 * second and END — the kind of file `gw2race-host` writes and the replay page opens.
 */
import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { createReplayWriter } from '@gw2race/replay-format';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'bench-circuit',
  name: 'Bench circuit',
  mapId: 24,
  circuit: true,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, x: 200, y: 12, z: 150, r: 12 },
    { id: 4, x: 130, y: 10, z: 220, r: 12 },
  ],
};

const corners = TRACK.checkpoints.map((cp) => cp as { x: number; y: number; z: number });
const legs = corners.map((a, i) => {
  const b = corners[(i + 1) % corners.length] as { x: number; y: number; z: number };
  return { a, b, length: Math.hypot(b.x - a.x, b.z - a.z) };
});
const lap = legs.reduce((sum, leg) => sum + leg.length, 0);

/** Where a racer is after riding `distance` metres around the circuit. */
function at(distance: number): { x: number; y: number; z: number } {
  let left = ((distance % lap) + lap) % lap;
  for (const { a, b, length } of legs) {
    if (left <= length) {
      const f = left / length;
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, z: a.z + (b.z - a.z) * f };
    }
    left -= length;
  }
  return { ...corners[0]! };
}

/** A written recording and what is in it. */
export interface BenchRecording {
  readonly bytes: Uint8Array;
  readonly racers: number;
  readonly durationS: number;
  readonly samples: number;
}

/** Writes the recording in memory. */
export async function benchRecording(racers: number, durationS: number): Promise<BenchRecording> {
  const created = 1_800_000_000;
  const t0 = created + 10;
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId: `bench-${racers}x${durationS}`, createdAt: created, track: TRACK, t0 },
  );
  const ids = Array.from({ length: racers }, (_, i) => `p${i + 1}`);
  const speeds = ids.map((_, i) => 24 + ((i * 7) % 11) * 0.6);
  const messages: ReceivedMessage[] = [
    {
      kind: 'state',
      at: created + 0.5,
      message: {
        raceId: `bench-${racers}x${durationS}`,
        trackId: TRACK.id,
        checkpoints: TRACK.checkpoints,
        participants: ids.map((playerId, i) => ({ playerId, name: `Racer ${i + 1}` })),
      },
    },
    { kind: 'control', at: created + 1, message: { cmd: 'START', t0 } },
  ];
  for (const m of messages) writer.append(m);
  let samples = 0;
  for (let tick = -50; tick <= durationS * 10; tick++) {
    const t = t0 + tick / 10;
    ids.forEach((playerId, i) => {
      const speed = speeds[i] as number;
      const ridden = Math.max(0, tick / 10) * speed;
      const p = at(ridden);
      const wobble = Math.sin(tick * 0.13 + i) * 1.5;
      writer.append({
        kind: 'pos',
        at: t + 0.02 + (i % 5) * 0.004,
        playerId,
        message: {
          playerId,
          t,
          x: p.x + wobble,
          y: p.y,
          z: p.z - wobble,
          v: tick >= 0 ? speed : 0,
        },
      });
      samples++;
    });
    if (tick >= 0 && tick % 10 === 0) {
      const order = ids
        .map((playerId, i) => ({ playerId, ridden: (tick / 10) * (speeds[i] as number) }))
        .sort((a, b) => b.ridden - a.ridden);
      writer.append({
        kind: 'ranking',
        at: t + 0.05,
        message: {
          raceId: `bench-${racers}x${durationS}`,
          t: t + 0.05,
          entries: order.map((o, k) => ({
            playerId: o.playerId,
            position: k + 1,
            status: 'racing' as const,
            lap: Math.floor(o.ridden / lap),
            checkpoints: Math.floor((o.ridden / lap) * corners.length),
          })),
        },
      });
    }
  }
  writer.append({ kind: 'control', at: t0 + durationS + 0.5, message: { cmd: 'END' } });
  await writer.close();
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { bytes, racers, durationS, samples };
}
