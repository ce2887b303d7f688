import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const HOST_CLI = join(root, 'apps/host-cli/dist/cli.js');
export const RACER_CLI = join(root, 'apps/racer-cli/dist/cli.js');
export const SHORT_TRACK = fileURLToPath(new URL('./fixtures/short.track.json', import.meta.url));

/** A program under test: its output so far and how it ended. */
export interface Program {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves once the output matches, with the match; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<Program>();

/** Starts one of our CLIs (or any program) and collects its output. */
export function start(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Program {
  const isScript = command.endsWith('.js');
  const child = spawn(isScript ? process.execPath : command, isScript ? [command, ...args] : args, {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = text.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const program: Program = {
    name,
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      const match = text.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve };
        waiters.push(waiter);
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `${name}: no ${pattern} within ${timeoutMs} ms. Output:\n${text.slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        void exited.then(() =>
          setTimeout(() => {
            if (!waiters.includes(waiter)) return;
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`${name} exited before ${pattern}. Output:\n${text.slice(-3000)}`));
          }, 20),
        );
        void exited.then(() => clearTimeout(timer));
      });
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  running.add(program);
  void exited.then(() => running.delete(program));
  return program;
}

/** Kills every program still running (test cleanup). */
export async function stopAll(): Promise<void> {
  const left = [...running];
  for (const program of left) program.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'gw2race-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts a host with the embedded hub on free ports; resolves once racers can join. */
export async function startHost(
  args: string[],
  out = tempDir(),
): Promise<{ host: Program; url: string; out: string }> {
  const host = start('host', HOST_CLI, [
    '--yes',
    '--no-ntp',
    '--plain',
    '--port',
    '0',
    '--http-port',
    '0',
    '--out',
    out,
    ...args,
  ]);
  const match = await host.waitFor(/race \S+ is open on (mqtt:\/\/[\d.]+:\d+)/);
  return { host, url: match[1] as string, out };
}

/** Starts a simulated racer. */
export function startRacer(
  raceId: string,
  broker: string,
  name: string,
  extra: string[] = [],
): Program {
  return start(`racer ${name}`, RACER_CLI, [
    '--race',
    raceId,
    '--broker',
    broker,
    '--name',
    name,
    '--simulate',
    '--no-ntp',
    '--plain',
    ...extra,
  ]);
}

/** Where a Debian package's program is, if installed. */
export function which(program: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    try {
      execFileSync('test', ['-x', join(dir, program)]);
      return join(dir, program);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A real Mosquitto broker on a free port, allowing anonymous clients (as a LAN hub would). */
export async function startMosquitto(): Promise<{ url: string; port: number; program: Program }> {
  const binary = which('mosquitto');
  if (!binary)
    throw new Error('mosquitto is not installed (apt-get install mosquitto mosquitto-clients)');
  const port = await freePort();
  const dir = tempDir('gw2race-mosquitto-');
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\n`,
  );
  const program = start('mosquitto', binary, ['-c', config]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`mosquitto did not listen on ${port}:\n${program.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `mqtt://127.0.0.1:${port}`, port, program };
}

/**
 * Whether tests that need a Debian program may run: in CI its absence is a failure (the CI
 * script installs it); on a developer's machine those tests are skipped with a note.
 */
export function needs(program: string): boolean {
  const present = which(program) !== undefined;
  if (!present && !process.env.CI) {
    console.warn(
      `${program} is not installed: skipping the tests that need it (CI runs them; apt-get install ${program})`,
    );
  }
  return present || Boolean(process.env.CI);
}

/** The options of a test race on the short course: its id, auto-start and start delay. */
export function raceOptions(
  raceId: string,
  options: { autoStart?: number; startDelay?: number } = {},
): string[] {
  return [
    '--race',
    raceId,
    '--track',
    SHORT_TRACK,
    ...(options.autoStart !== undefined ? ['--auto-start', String(options.autoStart)] : []),
    '--start-delay',
    String(options.startDelay ?? 2),
  ];
}

/** Starts a host on an external broker (`--broker`); resolves once racers can join. */
export async function startHostOnBroker(
  broker: string,
  args: string[],
  out = tempDir(),
): Promise<{ host: Program; out: string }> {
  const host = start('host', HOST_CLI, [
    '--yes',
    '--no-ntp',
    '--plain',
    '--out',
    out,
    '--broker',
    broker,
    ...args,
  ]);
  await host.waitFor(/race \S+ is open on mqtt:/);
  return { host, out };
}
