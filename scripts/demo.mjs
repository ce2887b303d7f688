#!/usr/bin/env node
// The demo race: gw2race-host with its embedded hub and the bundled Gendarran track, and five
// simulated racers (gw2race-racer --simulate) whose bots drive the track through real MumbleLink
// files. One racer cheats with a burst of impossible speed, so the host raises a flag.
// Run with `pnpm demo` (which builds the apps first).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const host = join(root, 'apps/host-cli/dist/cli.js');
const racer = join(root, 'apps/racer-cli/dist/cli.js');
const out = join(process.cwd(), 'demo-results');
mkdirSync(join(out, 'logs'), { recursive: true });

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on `port` (the host's hub), or rejects. */
async function waitForPort(port, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`the host's hub did not open port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const port = await freePort();
const httpPort = await freePort();
const raceId = 'demo';
const racers = [
  { name: 'Aurora', speed: 39.5 },
  { name: 'Brakk', speed: 38.5 },
  { name: 'Cinder', speed: 37.5 },
  { name: 'Dusk', speed: 36.5 },
  { name: 'Sneaky Pete', speed: 36, cheat: 'speed' },
];

console.log(
  `gw2race demo: a host and ${racers.length} simulated racers on the bundled Gendarran track.`,
);
console.log(`Racer logs go to ${join(out, 'logs')}; the race takes about a minute and a half.`);
// In a terminal the host keeps its post-race stage open (the viewer, the replay and rulings on
// the cheater's flag) until you press q or Ctrl-C; run from a script (no terminal), it quits
// once the results are written.
const stayOpen = Boolean(process.stdin.isTTY && process.stdout.isTTY);
console.log(
  stayOpen
    ? 'After the race the host stays open for the results, the replay and rulings on flags: press q or Ctrl-C to quit.\n'
    : 'Not run in a terminal: the host quits once the results are written.\n',
);

const hostProcess = spawn(
  process.execPath,
  [
    host,
    ...(stayOpen ? [] : ['--exit-after-race']),
    '--yes',
    '--no-ntp',
    '--name',
    'gw2race demo',
    '--race',
    raceId,
    '--track',
    'gendarran',
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--auto-start',
    String(racers.length),
    '--start-delay',
    '5',
    '--finish-timeout',
    '20',
    '--out',
    out,
  ],
  { stdio: 'inherit' },
);

const children = [];
let hostExited = false;
const startRacers = () => {
  for (const [i, r] of racers.entries()) {
    const logPath = join(out, 'logs', `racer-${i + 1}.log`);
    const log = openSync(logPath, 'w');
    const args = [
      racer,
      '--race',
      raceId,
      '--broker',
      `mqtt://127.0.0.1:${port}`,
      '--name',
      r.name,
      '--simulate',
      '--sim-speed',
      String(r.speed),
      '--no-ntp',
      '--plain',
    ];
    if (r.cheat) args.push('--sim-cheat', r.cheat);
    const child = spawn(process.execPath, args, { stdio: ['ignore', log, log] });
    children.push(child);
    // A racer that fails (rather than finishing or being stopped) would leave the host waiting
    // for its auto-start: say so and end the demo.
    child.on('exit', (code) => {
      if (code === 0 || code === null || hostExited) return;
      console.error(`\n${r.name} stopped with exit code ${code}; see ${logPath}`);
      hostProcess.kill('SIGINT');
    });
  }
};
waitForPort(port, 60_000).then(startRacers, (error) => {
  console.error(`\n${error.message}; stopping the demo`);
  hostProcess.kill('SIGINT');
});

const stopRacers = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('SIGINT', () => {
  hostProcess.kill('SIGINT');
});
hostProcess.on('exit', (code) => {
  hostExited = true;
  setTimeout(() => {
    stopRacers();
    process.exit(code ?? 1);
  }, 1000);
});
