/**
 * Benchmarks of @gw2race/mumblelink, each printed beside its baseline from the same run:
 *   1. decode time per block: a plain Buffer decoder vs decodeFrame vs the reader's decoder;
 *   2. the CPU a 60 Hz reader costs, reading a real file a separate writer process updates.
 * Run: pnpm bench
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import {
  createFileSource,
  createFileWriter,
  createFrame,
  createFrameDecoder,
  createManualClock,
  createMumbleLinkReader,
  decodeFrame,
  encodeFrame,
  readTick,
} from '../src/index';
import { naiveDecode } from './naive-decoder';

const BATCH = 256;

async function decodeBench(): Promise<void> {
  const blocks = Array.from({ length: BATCH }, (_, i) =>
    Buffer.from(
      encodeFrame(
        createFrame({
          tick: i + 1,
          avatar: { position: { x: i * 0.4, y: 12.5, z: -i * 0.1 } },
          identity: { name: 'Ælva Swiftwind', profession: 5, spec: 71, mapId: 1206 },
          context: {
            mapId: 1206,
            mount: 'roller-beetle',
            serverAddress: { family: 'ipv4', address: '34.230.8.30', port: 6112 },
          },
        }),
      ),
    ),
  );
  let sink = 0;
  const decoder = createFrameDecoder();
  const bench = new Bench({ time: 1500, warmup: true });
  bench
    .add('baseline: Buffer decoder, all strings + JSON.parse every block', () => {
      for (const block of blocks) sink += naiveDecode(block) === null ? 0 : 1;
    })
    .add('decodeFrame (stateless, pure)', () => {
      for (const block of blocks) sink += decodeFrame(block).ok ? 1 : 0;
    })
    .add("createFrameDecoder (the reader's: strings/JSON only when they change)", () => {
      for (const block of blocks) sink += decoder.decode(block).ok ? 1 : 0;
    })
    .add('readTick (what a poll costs when the tick did not change)', () => {
      for (const block of blocks) sink += readTick(block) ?? 0;
    });
  await bench.run();
  console.log(
    `\n1. Decode time per 5460-byte block (mean over batches of ${BATCH}; sink ${sink > 0})\n`,
  );
  const rows = bench.tasks.map((task) => {
    const result = task.result as { latency?: { mean: number; rme: number } };
    const ns = ((result.latency?.mean ?? Number.NaN) * 1e6) / BATCH;
    return { name: task.name, ns, rme: result.latency?.rme ?? Number.NaN };
  });
  const baseline = rows[0]!.ns;
  for (const row of rows) {
    const ratio = baseline / row.ns;
    console.log(
      `   ${row.name.padEnd(72)} ${row.ns.toFixed(0).padStart(7)} ns/block  ±${row.rme.toFixed(1)}%  ${ratio.toFixed(1)}x`,
    );
  }
}

interface CpuFigure {
  name: string;
  cpuPercent: number;
  usPerPoll: number;
  polls: number;
  frames: number;
}

async function measure(
  name: string,
  seconds: number,
  run: () => { stop(): void; polls(): number; frames(): number },
): Promise<CpuFigure> {
  const handle = run();
  await sleep(300); // settle: first open, JIT
  const polls0 = handle.polls();
  const frames0 = handle.frames();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  const polls = handle.polls() - polls0;
  const frames = handle.frames() - frames0;
  handle.stop();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    name,
    cpuPercent: (100 * cpuMs) / wallMs,
    usPerPoll: (cpuMs * 1000) / Math.max(1, polls),
    polls,
    frames,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A bare 60 Hz timer loop: the floor any polling reader pays in Node. */
function idleLoop(): { stop(): void; polls(): number; frames(): number } {
  let polls = 0;
  let timer: NodeJS.Timeout;
  const start = performance.now();
  const tickLoop = () => {
    polls++;
    timer = setTimeout(
      tickLoop,
      Math.max(0, start + ((polls + 1) * 1000) / 60 - performance.now()),
    );
  };
  tickLoop();
  return { stop: () => clearTimeout(timer), polls: () => polls, frames: () => 0 };
}

/** readFileSync + the Buffer decoder on every 60 Hz poll. */
function naiveReader(path: string): { stop(): void; polls(): number; frames(): number } {
  let polls = 0;
  let frames = 0;
  let lastTick = -1;
  let timer: NodeJS.Timeout;
  const start = performance.now();
  const tickLoop = () => {
    polls++;
    const frame = naiveDecode(readFileSync(path)) as { tick: number };
    if (frame.tick !== lastTick) frames++;
    lastTick = frame.tick;
    timer = setTimeout(
      tickLoop,
      Math.max(0, start + ((polls + 1) * 1000) / 60 - performance.now()),
    );
  };
  tickLoop();
  return { stop: () => clearTimeout(timer), polls: () => polls, frames: () => frames };
}

function ourReader(path: string): { stop(): void; polls(): number; frames(): number } {
  let polls = 0;
  let frames = 0;
  const reader = createMumbleLinkReader({
    path,
    clock: { monotonicMs: () => performance.now() },
    scheduler: {
      setTimeout: (callback, ms) => {
        polls++;
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
  });
  reader.on('frame', () => frames++);
  void reader.start();
  return { stop: () => reader.stop(), polls: () => polls, frames: () => frames };
}

async function cpuBench(): Promise<void> {
  const dir = existsSync('/dev/shm')
    ? mkdtempSync('/dev/shm/gw2race-bench-')
    : mkdtempSync(join(tmpdir(), 'gw2race-bench-'));
  const path = join(dir, 'MumbleLink');
  const writerScript = fileURLToPath(new URL('./writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, path, '50'], {
    stdio: 'inherit',
  });
  try {
    await sleep(1500);
    const seconds = 5;
    const figures = [
      await measure('baseline: empty 60 Hz timer loop', seconds, idleLoop),
      await measure('baseline: readFileSync + Buffer decoder every poll', seconds, () =>
        naiveReader(path),
      ),
      await measure('createMumbleLinkReader (60 Hz, file source, velocity)', seconds, () =>
        ourReader(path),
      ),
    ];
    console.log(
      `\n2. CPU of a 60 Hz reader over ${seconds} s, a separate process writing ${path} at 50 Hz\n`,
    );
    for (const figure of figures) {
      console.log(
        `   ${figure.name.padEnd(58)} ${figure.cpuPercent.toFixed(2).padStart(5)}% of one core  ${figure.usPerPoll.toFixed(1).padStart(6)} µs/poll  ${figure.polls} polls, ${figure.frames} new blocks`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The synchronous work of one poll, without the event loop around it. */
async function pollBench(): Promise<void> {
  const dir = existsSync('/dev/shm')
    ? mkdtempSync('/dev/shm/gw2race-poll-')
    : mkdtempSync(join(tmpdir(), 'gw2race-poll-'));
  const path = join(dir, 'MumbleLink');
  const writer = createFileWriter({ path });
  const blocks = Array.from({ length: 64 }, (_, i) =>
    encodeFrame(createFrame({ tick: i + 1, avatar: { position: { x: i * 0.4, y: 0, z: 0 } } })),
  );
  let next = 0;
  const write = () => {
    const block = blocks[next++ % blocks.length]!;
    new DataView(block.buffer).setUint32(4, next, true);
    writer.write(block);
  };
  write();
  const source = createFileSource({ path });
  const time = createManualClock();
  const reader = createMumbleLinkReader({ path, clock: time, scheduler: time });
  await reader.start();
  const bench = new Bench({ time: 1000, warmup: true });
  bench
    .add('file source read (pread + a second pread to check the copy)', () => {
      source.read();
    })
    .add('reader.poll(), tick unchanged', () => {
      reader.poll();
    })
    .add('writer.write() alone', write)
    .add('writer.write() + reader.poll() of the new block', () => {
      write();
      time.advance(1);
      reader.poll();
    });
  await bench.run();
  console.log('\n3. Work of one poll (synchronous, no event loop)\n');
  for (const task of bench.tasks) {
    const result = task.result as { latency?: { mean: number; rme: number } };
    const us = (result.latency?.mean ?? Number.NaN) * 1000;
    const rme = result.latency?.rme ?? Number.NaN;
    console.log(`   ${task.name.padEnd(58)} ${us.toFixed(2).padStart(7)} µs  ±${rme.toFixed(1)}%`);
  }
  reader.stop();
  source.close();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `@gw2race/mumblelink benchmarks — node ${process.version}, ${process.platform}/${process.arch}`,
);
await decodeBench();
await cpuBench();
await pollBench();
