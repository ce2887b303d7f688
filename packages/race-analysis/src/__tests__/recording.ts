import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { createReplayWriter, openReplay, type Replay } from '@gw2race/replay-format';

/** The e2e short course (e2e/src/fixtures/short.track.json). */
export const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'unit-short',
  name: 'Unit short course',
  mapId: 24,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, x: 200, y: 12, z: 150, r: 12 },
    { id: 4, role: 'finish', x: 130, y: 10, z: 220, r: 12 },
  ],
};

export const CREATED = 1_800_000_000;
export const T0 = CREATED + 5;

/** Where a racer riding the course's centre line at `speed` m/s is `s` seconds after t0. */
export function along(speed: number, s: number): { x: number; y: number; z: number } {
  let left = Math.max(0, s) * speed;
  const cps = TRACK.checkpoints as { x: number; y: number; z: number }[];
  for (let i = 1; i < cps.length; i++) {
    const a = cps[i - 1] as { x: number; y: number; z: number };
    const b = cps[i] as { x: number; y: number; z: number };
    const length = Math.hypot(b.x - a.x, b.z - a.z);
    if (left <= length) {
      const f = left / length;
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, z: a.z + (b.z - a.z) * f };
    }
    left -= length;
  }
  const last = cps[cps.length - 1] as { x: number; y: number; z: number };
  return { ...last };
}

/**
 * A whole race recorded in memory with the real writer: START, two racers (p1 at 30 m/s, p2 at
 * 25 m/s) riding the course at 10 Hz from t0 until past the finish, a ranking now and then.
 */
export async function recordRace(
  options: {
    compactPositions?: boolean;
    /** Leave the track out of the header (a recording made without one). */
    noHeaderTrack?: boolean;
    /** Leave the race's checkpoints out of the recorded state too. */
    noStateCheckpoints?: boolean;
  } = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId: 'unit', createdAt: CREATED, track: options.noHeaderTrack ? null : TRACK },
    options.compactPositions === undefined ? {} : { compactPositions: options.compactPositions },
  );
  const messages: ReceivedMessage[] = [
    {
      kind: 'state',
      at: CREATED + 0.5,
      message: {
        raceId: 'unit',
        trackId: TRACK.id,
        checkpoints: options.noStateCheckpoints ? [] : TRACK.checkpoints,
        participants: [
          { playerId: 'p1', name: 'Alice', color: '#123456' },
          { playerId: 'p2', name: 'Bob' },
        ],
      },
    },
    { kind: 'control', at: CREATED + 1, message: { cmd: 'START', t0: T0 } },
  ];
  for (let i = -10; i <= 160; i++) {
    const t = T0 + i / 10;
    for (const [playerId, speed] of [
      ['p1', 30],
      ['p2', 25],
    ] as const) {
      const p = along(speed, i / 10);
      messages.push({
        kind: 'pos',
        at: t + 0.03,
        playerId,
        message: { playerId, t, ...p, v: i >= 0 ? speed : 0 },
      });
    }
    if (i % 20 === 0) {
      messages.push({
        kind: 'ranking',
        at: t + 0.05,
        message: {
          raceId: 'unit',
          t: t + 0.05,
          entries: [
            { playerId: 'p1', position: 1, status: 'racing', lap: 0, checkpoints: 0 },
            { playerId: 'p2', position: 2, status: 'racing', lap: 0, checkpoints: 0 },
          ],
        },
      });
    }
  }
  messages.push({ kind: 'control', at: T0 + 16.5, message: { cmd: 'END', reason: 'test' } });
  for (const m of messages) writer.append(m);
  await writer.close();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Opens recorded bytes (fails the test if they do not open). */
export function open(bytes: Uint8Array): Replay {
  const opened = openReplay(bytes);
  if (!opened.ok) throw opened.error;
  return opened.value;
}
