/**
 * Record a short race in memory, re-judge the recording, and print each racer's sectors.
 * Run: npx tsx examples/rejudge-and-sectors.ts (from packages/race-analysis)
 *
 * With a real file: `openReplayFile(path)` from '@gw2race/replay-format/node' instead of the
 * in-memory writer, then the same three lines from "Re-judge".
 */
// In your code: from '@gw2race/race-analysis'.
import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { createReplayWriter, openReplay } from '@gw2race/replay-format';
import { formatRaceTime, rejudgeRecording, sectorAnalysis } from '../src/index';

const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'straight',
  name: 'Straight',
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
    { id: 1, x: 100, y: 0, z: 0, r: 10 },
    { id: 2, x: 200, y: 0, z: 0, r: 10 },
    { id: 3, role: 'finish', x: 300, y: 0, z: 0, r: 10 },
  ],
};

// Record: START, then two racers at 10 Hz (30 and 25 m/s), stamped on the organizer clock.
const t0 = 1_800_000_010;
const parts: Uint8Array[] = [];
const writer = createReplayWriter(
  { write: (bytes) => void parts.push(bytes) },
  { raceId: 'demo', createdAt: t0 - 10, track },
);
const messages: ReceivedMessage[] = [
  { kind: 'control', at: t0 - 9, message: { cmd: 'START', t0 } },
];
for (let i = 0; i <= 140; i++) {
  const t = t0 + i / 10;
  for (const [playerId, speed] of [
    ['ann', 30],
    ['bob', 25],
  ] as const) {
    const x = Math.min((speed * i) / 10, 305);
    messages.push({ kind: 'pos', at: t + 0.03, playerId, message: { playerId, t, x, y: 0, z: 0 } });
  }
}
for (const message of messages) writer.append(message);
await writer.close();
const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
let offset = 0;
for (const part of parts) {
  bytes.set(part, offset);
  offset += part.length;
}
const opened = openReplay(bytes);
if (!opened.ok) throw opened.error;

// Re-judge: the rule `gw2race-host results` and the viewer share.
const replay = opened.value;
const { results, state, source } = rejudgeRecording({
  header: replay.header,
  entries: replay.messages(),
});
console.log(`judged on the ${source} track; final: ${results.final}`);

// Sectors: per racer and lap, marked against the field's and the racer's own best.
const sectors = sectorAnalysis(
  results,
  state.config.course.lap.map((checkpoint) => checkpoint.id),
);
console.log(['racer', ...sectors.columns.map((c) => c.label), 'lap'].join('\t'));
for (const row of sectors.rows) {
  const times = row.times.map(
    (t, i) => `${formatRaceTime(t)}${row.marks[i] === 'overall-best' ? '*' : ''}`,
  );
  console.log([row.name, ...times, formatRaceTime(row.lapTime)].join('\t'));
}
console.log(`theoretical best: ${formatRaceTime(sectors.theoreticalBest)}`);
