/**
 * Record a short race in memory, read it back in order, then seek into it.
 * Run: npx tsx examples/record-and-seek.ts (from packages/replay-format)
 */
// In your code: from '@gw2race/replay-format'.
import { createReplayWriter, openReplay, readReplay } from '../src/index';

// Record. The writer is sans-I/O: any sink with write(bytes) will do (see ./node for files).
const parts: Uint8Array[] = [];
const writer = createReplayWriter(
  { write: (bytes) => void parts.push(bytes) },
  { raceId: 'abc123', createdAt: 1724312300 }, // host clock, epoch s
);
writer.append({ kind: 'control', at: 1724312301, message: { cmd: 'START', t0: 1724312310 } });
for (let i = 0; i < 100; i++) {
  const t = 1724312310 + i / 10; // 10 Hz, on the organizer clock
  writer.append({
    kind: 'pos',
    at: t + 0.042, // when the host received it
    message: { playerId: 'p1', t, x: -1234.5 + i * 2.4, y: 87.1, z: 2345.06, v: 24 },
    playerId: 'p1',
  });
}
const index = await writer.close();
const file = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
let offset = 0;
for (const part of parts) {
  file.set(part, offset);
  offset += part.length;
}
console.log(`${file.length} bytes, ${index.members.length} members, ${index.positions} positions`);

// Read it back, in the order the host received it (positions within 1 cm and 1 ms).
let count = 0;
for await (const message of readReplay(file)) if (message.kind === 'pos') count++;
console.log(`read ${count} positions`);

// Random access: where was everyone 5.25 s into the race?
const opened = openReplay(file);
if (!opened.ok) throw opened.error;
const { positions } = opened.value.seek(5250);
console.log(
  positions.map((p) => `${p.playerId} at x=${p.x.toFixed(2)} (interpolated: ${p.interpolated})`),
);
