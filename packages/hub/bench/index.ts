/**
 * The hub's benchmark: N racers' positions at 10 Hz relayed through the hub on 127.0.0.1, for
 * 100, 500 and 1,000 racers, hardened (the hub as a race uses it) beside the baseline from the
 * same run: plain aedes with the same access hooks (`unhardened`), and Mosquitto when installed.
 * Each run is its own process, so a crash is reported, not fatal. `pnpm bench`; `RACERS=100,500`
 * and `SECONDS=3` to change it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBurst } from './burst';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const sizes = (process.env.RACERS ?? '100,500,1000').split(',').map(Number);
const seconds = process.env.SECONDS ?? '3';

interface Row {
  config: string;
  racers: number;
  sent?: number;
  delivered?: number;
  drops?: number;
  p50?: number;
  p99?: number;
  note?: string;
}

function run(config: string, racers: number): Row {
  const result = spawnSync(tsx, [here('relay.ts'), config, String(racers), seconds, '2'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status === 0 && line.startsWith('{')) return JSON.parse(line) as Row;
  const crash = /RangeError[^\n]*/.exec(result.stderr)?.[0] ?? `exit ${result.status}`;
  return { config, racers, note: `crashed: ${crash}` };
}

const rows: Row[] = [];
for (const racers of sizes)
  for (const config of ['hardened', 'unhardened']) rows.push(run(config, racers));
const burst = startBurst(tsx, here('stack-burst.ts'));

console.log('positions at 10 Hz through the hub, 1 host + 2 spectators subscribed (127.0.0.1)');
console.log('config      racers   sent  delivered  drops  p50 ms  p99 ms  note');
for (const row of rows)
  console.log(
    [
      row.config.padEnd(10),
      String(row.racers).padStart(6),
      String(row.sent ?? '').padStart(6),
      String(row.delivered ?? '').padStart(10),
      String(row.drops ?? '').padStart(6),
      String(row.p50 ?? '').padStart(7),
      String(row.p99 ?? '').padStart(7),
      row.note ?? '',
    ].join(' '),
  );
console.log('');
console.log('one client burst of 300 positions + 20,000 pings (bench/stack-burst.ts):');
for (const line of burst) console.log(`  ${line}`);
console.log(
  'mosquitto: not benchmarked (not installed here); run it beside with `mosquitto -p 1883`',
);
