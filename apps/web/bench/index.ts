/**
 * The viewer's benchmark: jumping on the replay's timeline, beside its baseline in the same run.
 *
 * - Seek: what the replay page does when the timeline is dragged or a key pressed — the frame
 *   at an instant through the recording's index (`createReplayData(replay).frame(ms)`, the
 *   viewer's own module over `@gw2race/replay-format`'s `seek`), warm (the recording opened
 *   once, as on the page) and cold (open + first frame, as on loading a file).
 * - Baseline: a viewer without an index — decoding the recording from its start up to the
 *   instant, keeping each racer's last position.
 *
 * In node, with the same modules the page bundles (the browser adds drawing, not decoding).
 * Video encoding speed is observed by the browser test (e2e/src/web-replay.test.ts), not here.
 *
 * Run: pnpm --filter @gw2race/web bench
 */
import { cpus, loadavg } from 'node:os';
import { createReplayData } from '@gw2race/race-analysis';
import { createReplayDecoder, openReplay } from '@gw2race/replay-format';
import { benchRecording } from './race';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const fixed = (value: number, digits = 2) => value.toFixed(digits);

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

/** The baseline: decode from the start until `raceTimeMs`, keeping the last positions. */
function scanTo(bytes: Uint8Array, t0: number, raceTimeMs: number): number {
  const target = t0 + raceTimeMs / 1000;
  const decoder = createReplayDecoder();
  const last = new Map<string, number>();
  for (let at = 0; at < bytes.length; at += 1 << 16) {
    for (const entry of decoder.push(bytes.subarray(at, at + (1 << 16)))) {
      if (entry.at >= target) return last.size;
      if (entry.kind === 'pos') last.set(entry.message.playerId, entry.message.t);
    }
  }
  decoder.finish();
  return last.size;
}

console.log(
  `web viewer benchmark · node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);

const rows: Record<string, string>[] = [];
for (const [racers, durationS] of [
  [2, 30],
  [20, 600],
  [50, 1800],
] as const) {
  const recording = await benchRecording(racers, durationS);
  const opened = openReplay(recording.bytes);
  if (!opened.ok) throw opened.error;
  const data = createReplayData(opened.value);
  const t0 = opened.value.t0 as number;
  const span = data.endMs - data.startMs;
  const instants = Array.from({ length: 60 }, () => data.startMs + random() * span);
  // Warm-up (JIT), then measure.
  for (const ms of instants.slice(0, 10)) data.frame(ms);
  const warm: number[] = [];
  for (const ms of instants) {
    const start = performance.now();
    const frame = data.frame(ms);
    warm.push(performance.now() - start);
    if (ms > 1000 && frame.racers.length !== racers)
      throw new Error(`seek found ${frame.racers.length} of ${racers} racers`);
  }
  const cold: number[] = [];
  for (const ms of instants.slice(0, 20)) {
    const start = performance.now();
    const again = openReplay(recording.bytes);
    if (!again.ok) throw again.error;
    createReplayData(again.value).frame(ms);
    cold.push(performance.now() - start);
  }
  const scans: number[] = [];
  const scanCount = durationS > 600 ? 5 : 15;
  for (const ms of instants.slice(0, scanCount)) {
    const start = performance.now();
    const found = scanTo(recording.bytes, t0, ms);
    scans.push(performance.now() - start);
    if (ms > 1000 && found !== racers) throw new Error(`the scan found ${found} racers`);
  }
  const label = `${racers} racers × ${durationS >= 60 ? `${durationS / 60} min` : `${durationS} s`} (${recording.samples.toLocaleString('en')} samples, ${fixed(recording.bytes.length / 1e3, 0)} kB)`;
  rows.push({
    recording: label,
    'seek (warm) median': `${fixed(median(warm))} ms`,
    'seek (warm) max': `${fixed(Math.max(...warm))} ms`,
    'open + first frame median': `${fixed(median(cold))} ms`,
    'baseline: decode from the start, median': `${fixed(median(scans))} ms`,
    'seek vs baseline': `${fixed(median(scans) / median(warm), 0)}× faster`,
  });
}
console.log('Seek to a random instant of the timeline (60 instants; baseline: 15, or 5 on 30 min)');
console.table(rows);
