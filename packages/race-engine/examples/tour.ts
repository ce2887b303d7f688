/**
 * A tour of @gw2race/race-engine: import a Beetlerank track, let two racers' clients detect
 * their crossings, judge the race live on the host with `step`, then re-judge the recording with
 * `adjudicate` and get the same results.
 *
 * Run: npx tsx packages/race-engine/examples/tour.ts
 */
import { readFileSync } from 'node:fs';
import type { ReceivedMessage } from '@gw2race/protocol';
import {
  adjudicate,
  createCrossingDetector,
  createRaceState,
  type EngineEvent,
  parseBeetlerankCsv,
  type RaceState,
  step,
  toCheckpointMessage,
  toRankingMessage,
} from '../src/index';

// 1. A community track file.
const csv = readFileSync(
  new URL('../src/__tests__/fixtures/TYRIA DIESSA PLATEAU.csv', import.meta.url),
  'utf8',
);
const imported = parseBeetlerankCsv(csv, { file: 'TYRIA DIESSA PLATEAU.csv', mapId: 32 });
if (!imported.ok) throw imported.error; // e.g. "line 7: step 5 follows step 3: step 4 is missing"
const track = imported.value;
console.log(`${track.name}: ${track.checkpoints.length} checkpoints`);

// 2. Two racers ride straight from checkpoint to checkpoint; "tp" teleports once mid-race.
const t0 = 1_724_312_345;
const points = track.checkpoints.map((cp) => (cp.kind === 'gate' ? cp.a : cp));
function positionAt(speed: number, seconds: number) {
  let left = Math.max(0, seconds) * speed;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as { x: number; y: number; z: number };
    const b = points[i] as { x: number; y: number; z: number };
    const length = Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
    if (left <= length) {
      const u = left / length;
      return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u, z: a.z + (b.z - a.z) * u };
    }
    left -= length;
  }
  return points[points.length - 1] as { x: number; y: number; z: number };
}

const recording: ReceivedMessage[] = [
  { kind: 'control', at: t0 - 10, message: { cmd: 'START', t0 } },
];
for (const [playerId, speed] of [
  ['honest', 31],
  ['tp', 30],
] as const) {
  // The racer's client: samples at 10 Hz, detects crossings, reports them.
  const detector = createCrossingDetector(track, { t0 });
  for (let k = 0; k < 10 * 160; k++) {
    const t = t0 + k / 10 + (k % 3) * 0.007; // game frames never line up with the timer
    let p = positionAt(speed, t - t0);
    if (playerId === 'tp' && k === 600) p = { x: p.x + 300, y: p.y, z: p.z };
    const pos = { playerId, t, ...p, mapId: 32, mount: 6, seq: k };
    const at = t + 0.05; // the host receives it 50 ms later
    recording.push({ kind: 'pos', at, playerId, message: pos });
    for (const crossing of detector.push(pos)) {
      const report = toCheckpointMessage(playerId, crossing, { clockBound: 0.004 });
      recording.push({ kind: 'checkpoint', at: at + 0.01, playerId, message: report });
    }
  }
}
recording.push({ kind: 'control', at: t0 + 170, message: { cmd: 'END' } });
recording.sort((a, b) => a.at - b.at);

// 3. The host judges live, one message at a time, reacting to events.
let state: RaceState = createRaceState(track, { raceId: 'tour' });
for (const message of recording) {
  let events: readonly EngineEvent[];
  [state, events] = step(state, message);
  for (const event of events) {
    if (event.type === 'finished') {
      console.log(`${event.playerId} finished in ${event.time.toFixed(3)} s`);
    }
    if (event.type === 'flag') {
      console.log(`flag ${event.flag.severity} ${event.flag.kind}: ${event.flag.message}`);
    }
  }
}
console.table(
  toRankingMessage(state, { splits: false }).entries.map((e) => ({
    position: e.position,
    player: e.playerId,
    status: e.status,
    time: e.time?.toFixed(3),
    gap: e.gapToLeader?.toFixed(3),
    flags: e.flags,
  })),
);

// 4. Re-judging the recording gives the same results, bit for bit.
const rejudged = adjudicate(track, recording, { raceId: 'tour' });
const same = JSON.stringify(rejudged.ranking) === JSON.stringify(toRankingMessage(state).entries);
console.log(`re-judged from the recording: ${same ? 'identical' : 'DIFFERENT'} ranking`);
