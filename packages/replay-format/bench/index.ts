/**
 * replay-format benchmark: size, write and read rates, and seeking, each beside its baseline
 * measured in the same run on the same simulated race.
 *
 * - Size: bytes per position sample, ours vs the spec's plain format (one JSON line per position,
 *   gzipped as one stream), at equal precision and as received.
 * - Rates: samples per second written and read, ours vs plain.
 * - Seek: a random instant in a 2-hour, 100-racer recording, vs decoding from the start.
 *
 * Run: pnpm --filter @gw2race/replay-format bench
 */
import { cpus, loadavg } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ReceivedMessage } from '@gw2race/protocol';
import {
  createReplayDecoder,
  createReplayWriter,
  openReplay,
  type Replay,
  type ReplayEntry,
  type ReplayWriterOptions,
  readReplay,
} from '../src/index';
import { nodeGunzip } from '../src/node/index';
import { type SimulatedRace, simulateRace } from './simulated-race';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** Best and median wall time of `repeat` runs: the best is what the code does on a quiet CPU. */
interface Timing {
  best: number;
  median: number;
}
/**
 * Untimed runs before the timed ones, for ours and the baselines alike: the first runs of a
 * function are interpreted and compiled, which is not what it costs once a page or a CLI has
 * decoded a file or two.
 */
const WARMUP = 3;
const time = (run: () => void, repeat: number): Timing => {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return { best: Math.min(...times), median: median(times) };
};
const timeAsync = async (run: () => Promise<void>, repeat: number): Promise<Timing> => {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return { best: Math.min(...times), median: median(times) };
};
const perSecond = (count: number, ms: number) => ((count / ms) * 1000) / 1e6;
const rate = (count: number, timing: Timing) =>
  `${perSecond(count, timing.best).toFixed(2)} M/s (median ${perSecond(count, timing.median).toFixed(2)})`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function writeOurs(
  race: SimulatedRace,
  messages: readonly ReplayEntry[],
  options: ReplayWriterOptions = {},
) {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (part) => void parts.push(part) },
    { raceId: race.raceId, createdAt: race.startAt, track: race.track, state: race.state },
    options,
  );
  for (const message of messages) writer.append(message);
  void writer.close(); // a synchronous sink: every member is out before close() first awaits
  return concat(parts);
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The spec's plain recording: one JSON line per message, the whole file gzipped once. */
function plainLine(message: ReceivedMessage, equalPrecision: boolean): string {
  if (message.kind !== 'pos' || !equalPrecision) return JSON.stringify(message);
  const m = message.message;
  return JSON.stringify({
    kind: 'pos',
    at: round(message.at, 3),
    playerId: m.playerId,
    t: round(m.t, 3),
    x: round(m.x, 2),
    y: round(m.y, 2),
    z: round(m.z, 2),
    ...(m.v === undefined ? {} : { v: round(m.v, 1) }),
    ...(m.mapId === undefined ? {} : { mapId: m.mapId, mount: m.mount, tick: m.tick, seq: m.seq }),
  });
}
function writePlain(messages: readonly ReceivedMessage[], equalPrecision: boolean): Uint8Array {
  const text = `${messages.map((m) => plainLine(m, equalPrecision)).join('\n')}\n`;
  return new Uint8Array(gzipSync(text));
}
function readPlain(bytes: Uint8Array): number {
  const text = gunzipSync(bytes).toString('utf8');
  let count = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const value = JSON.parse(text.slice(start, end)) as { kind: string };
    if (value.kind === 'pos') count++;
    start = end + 1;
  }
  return count;
}

console.log(
  `replay-format benchmark · node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('Simulated race: 20 racers, 10 minutes, 10 Hz (see bench/simulated-race.ts).\n');

// --- size -------------------------------------------------------------------------------------
const sizeRows: Record<string, string | number>[] = [];
let main: { race: SimulatedRace; bytes: Uint8Array; plain: Uint8Array } | undefined;
let whole: { race: SimulatedRace; bytes: Uint8Array; plain: Uint8Array } | undefined;
for (const [label, options] of [
  ['positions, spec fields (t x y z v)', { positionsOnly: true }],
  ['positions, all fields (+ mapId mount tick seq)', { positionsOnly: true, fields: 'all' }],
  ['positions, naive client (t = poll time)', { positionsOnly: true, stamping: 'poll' }],
  ['whole recording (positions + every event)', {}],
] as const) {
  const race = simulateRace({ racers: 20, durationS: 600, hz: 10, ...options });
  const ours = writeOurs(race, race.messages);
  const plain = writePlain(race.messages, true);
  const raw = writePlain(race.messages, false);
  main ??= { race, bytes: ours, plain };
  if (!options.positionsOnly) whole = { race, bytes: ours, plain };
  const n = race.positionCount;
  sizeRows.push({
    recording: label,
    samples: n,
    'ours B/sample': fixed(ours.length / n),
    'plain B/sample (equal precision)': fixed(plain.length / n),
    'plain B/sample (as received)': fixed(raw.length / n),
    'ours vs plain': `${fixed(plain.length / ours.length, 1)}× smaller`,
  });
}
console.log(
  'Bytes per position sample (file bytes / position samples; defaults: 5 s members, 10 s keyframes)',
);
console.table(sizeRows);

const { race, bytes, plain } = main!;
const n = race.positionCount;
const flushRows: Record<string, string | number>[] = [];
for (const flushIntervalMs of [1000, 2000, 5000, 10_000]) {
  const size = writeOurs(race, race.messages, { flushIntervalMs }).length;
  flushRows.push({
    'flush interval (most lost in a crash)': `${flushIntervalMs / 1000} s`,
    'B/sample': fixed(size / n),
    'vs plain': `${fixed(plain.length / size, 1)}×`,
  });
}
console.log('Member (flush) interval vs size, same race');
console.table(flushRows);

// --- rates ------------------------------------------------------------------------------------
const writeMs = time(() => void writeOurs(race, race.messages), 7);
const plainWriteMs = time(() => void writePlain(race.messages, true), 7);
/** Opening a recording and building every racer's track, inflating with fflate or node:zlib. */
const timeTracks = (recording: Uint8Array, native: boolean) =>
  time(() => {
    const opened = openReplay(recording, native ? { gunzip: nodeGunzip } : {});
    if (!opened.ok) throw opened.error;
    opened.value.tracks();
  }, 21);
/** Decoding every message of a recording into objects, each line checked. */
const timeDecoder = (recording: Uint8Array) =>
  time(() => {
    const decoder = createReplayDecoder();
    decoder.push(recording);
    decoder.finish();
  }, 7);
const tracksMs = timeTracks(bytes, false);
const nativeTracksMs = timeTracks(bytes, true);
const decoderMs = timeDecoder(bytes);
const streamMs = await timeAsync(async () => {
  for await (const _ of readReplay(bytes)) {
    // iterate
  }
}, 7);
const plainReadMs = time(() => void readPlain(plain), 7);
console.log('Write and read rates, position samples per second: best run (median in brackets)');
console.table([
  {
    operation: 'write (append + gzip members)',
    ours: rate(n, writeMs),
    'plain (JSON lines + gzip)': rate(n, plainWriteMs),
  },
  {
    operation: 'read → per-racer typed columns (openReplay().tracks())',
    ours: rate(n, tracksMs),
    'plain (JSON lines + gzip)': rate(n, plainReadMs),
  },
  {
    operation: 'read → per-racer typed columns, node:zlib inflating (openReplayFile)',
    ours: rate(n, nativeTracksMs),
    'plain (JSON lines + gzip)': rate(n, plainReadMs),
  },
  {
    operation: 'read → message objects (createReplayDecoder)',
    ours: rate(n, decoderMs),
    'plain (JSON lines + gzip)': rate(n, plainReadMs),
  },
  {
    operation: 'read → message objects (for await readReplay)',
    ours: rate(n, streamMs),
    'plain (JSON lines + gzip)': rate(n, plainReadMs),
  },
]);

// The same reads of a whole recording: positions and every event the host records (presence,
// pings, checkpoints, rankings, ...). Tracks decode only the events positions need.
{
  const { race: wholeRace, bytes: wholeBytes, plain: wholePlain } = whole!;
  const wholeN = wholeRace.positionCount;
  const wholeTracksMs = timeTracks(wholeBytes, false);
  const wholeNativeMs = timeTracks(wholeBytes, true);
  const wholeDecoderMs = timeDecoder(wholeBytes);
  const wholePlainMs = time(() => void readPlain(wholePlain), 7);
  console.log(
    `Whole recording (${wholeRace.messages.length.toLocaleString('en')} messages, ${wholeN.toLocaleString('en')} of them positions): position samples per second`,
  );
  console.table([
    {
      operation: 'read → per-racer typed columns (openReplay().tracks())',
      ours: rate(wholeN, wholeTracksMs),
      'plain (JSON lines + gzip)': rate(wholeN, wholePlainMs),
    },
    {
      operation: 'read → per-racer typed columns, node:zlib inflating',
      ours: rate(wholeN, wholeNativeMs),
      'plain (JSON lines + gzip)': rate(wholeN, wholePlainMs),
    },
    {
      operation: 'read → every message as objects, all checked (createReplayDecoder)',
      ours: rate(wholeN, wholeDecoderMs),
      'plain (JSON lines + gzip)': rate(wholeN, wholePlainMs),
    },
  ]);
}

// --- seek -------------------------------------------------------------------------------------
// A 2-hour, 100-racer recording: a 10-minute race of 100 racers, twelve times in a row.
const block = simulateRace({
  racers: 100,
  durationS: 600,
  hz: 10,
  positionsOnly: true,
  countdownS: 0,
  seed: 2,
});
const parts: Uint8Array[] = [];
const long = createReplayWriter(
  { write: (part) => void parts.push(part) },
  { raceId: 'long-race', createdAt: block.startAt, t0: block.t0 },
);
const buildStart = performance.now();
let longSamples = 0;
for (let repeat = 0; repeat < 12; repeat++) {
  const shift = repeat * 600;
  for (const message of block.messages) {
    if (message.kind !== 'pos') continue;
    long.append({
      ...message,
      at: message.at + shift,
      message: { ...message.message, t: message.message.t + shift },
    });
    longSamples++;
  }
}
await long.close();
const longBytes = concat(parts);
console.log(
  `\n2-hour recording: ${longSamples.toLocaleString('en')} samples of 100 racers, ${(longBytes.length / 1e6).toFixed(1)} MB (${fixed(longBytes.length / longSamples)} B/sample), written in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`,
);

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const row = (operation: string, times: number[]) => ({
  operation,
  best: `${fixed(Math.min(...times))} ms`,
  median: `${fixed(median(times))} ms`,
  max: `${fixed(Math.max(...times))} ms`,
});

/**
 * 40 cold seeks (a fresh openReplay each) to random instants of the first `spanS` s after t0,
 * each checked by `check`, beside 3 decodes from the start to a random instant; printed as a
 * table of open, seek, both, and the baseline.
 */
function benchSeek(
  bytes: Uint8Array,
  t0: number,
  spanS: number,
  what: string,
  check: (snapshot: ReturnType<Replay['seek']>) => string | undefined,
): void {
  const openMs: number[] = [];
  const seekMs: number[] = [];
  for (let i = 0; i < 40; i++) {
    const raceTimeMs = random() * spanS * 1000;
    const openStart = performance.now();
    const opened = openReplay(bytes);
    if (!opened.ok) throw opened.error;
    const seekStart = performance.now();
    const snapshot = opened.value.seek(raceTimeMs);
    const end = performance.now();
    const problem = check(snapshot);
    if (problem) throw new Error(problem);
    openMs.push(seekStart - openStart);
    seekMs.push(end - seekStart);
  }
  const scanMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const target = t0 + random() * spanS;
    const start = performance.now();
    const decoder = createReplayDecoder();
    let reached = false;
    for (let at = 0; at < bytes.length && !reached; at += 1 << 20) {
      for (const message of decoder.push(bytes.subarray(at, at + (1 << 20)))) {
        if (message.at >= target) {
          reached = true;
          break;
        }
      }
    }
    scanMs.push(performance.now() - start);
  }
  console.table([
    row('open (hop over the member headers)', openMs),
    row(`seek: ${what}`, seekMs),
    row(
      'open + seek',
      openMs.map((ms, i) => ms + seekMs[i]!),
    ),
    row('baseline: decode from the start to the instant', scanMs),
  ]);
}

console.log('Seek to a random instant (cold: a fresh openReplay each time, nothing cached)');
benchSeek(longBytes, block.t0, 7200, 'positions of all 100 racers', (snapshot) =>
  snapshot.positions.length < 90 ? `seek found ${snapshot.positions.length} racers` : undefined,
);

// Seeking in a whole recording: 100 racers, 30 minutes, with every event (rankings, presence,
// pings, ...): a seek decodes the positions and the events it needs, and the rankings of the one
// member the latest ranking is in.
{
  const wholeRace = simulateRace({ racers: 100, durationS: 1800, hz: 10, seed: 3 });
  const wholeBytes = writeOurs(wholeRace, wholeRace.messages);
  console.log(
    `\n30-minute whole recording: ${wholeRace.messages.length.toLocaleString('en')} messages (${wholeRace.positionCount.toLocaleString('en')} positions) of 100 racers, ${(wholeBytes.length / 1e6).toFixed(1)} MB`,
  );
  console.log('Seek to a random instant of the whole recording (cold), with its state and ranking');
  benchSeek(
    wholeBytes,
    wholeRace.t0,
    1800,
    'positions of all 100 racers, state and ranking',
    (snapshot) =>
      snapshot.positions.length < 90 || !snapshot.ranking
        ? `seek found ${snapshot.positions.length} racers`
        : undefined,
  );
}
