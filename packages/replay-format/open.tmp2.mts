import { simulateRace } from './bench/simulated-race';
import { createReplayWriter, openReplay } from './src/index';

const block = simulateRace({ racers: 20, durationS: 600, positionsOnly: true, countdownS: 0 });
const parts: Uint8Array[] = [];
const long = createReplayWriter(
  { write: (p) => void parts.push(p) },
  { raceId: 'l', createdAt: block.startAt, t0: block.t0 },
);
for (let r = 0; r < 12; r++)
  for (const m of block.messages)
    if (m.kind === 'pos')
      long.append({
        ...m,
        at: m.at + r * 600,
        message: { ...m.message, t: m.message.t + r * 600 },
      });
await long.close();
const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
let o = 0;
for (const p of parts) {
  bytes.set(p, o);
  o += p.length;
}
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  const r = openReplay(bytes);
  const t2 = performance.now();
  if (r.ok) r.value.seek(Math.random() * 7.2e6);
  console.log('open', (t2 - t).toFixed(2), 'seek', (performance.now() - t2).toFixed(2));
}
