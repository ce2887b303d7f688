import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
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
    // 'close', not 'exit': only then has all of its output been read (a program's last line
    // could be missing right after 'exit').
    child.on('close', (code, signal) => resolve(code ?? signal ?? -1));
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

/**
 * The exit codes of `programs`, waited for together (one deadline for all, within the test's own
 * timeout), so a program that runs on too long is reported with every program's output.
 */
export function exitCodes(
  programs: readonly Program[],
  timeoutMs = 100_000,
): Promise<(number | string)[]> {
  return Promise.all(programs.map((program) => exitOf(program, timeoutMs)));
}

/** The program's exit code; rejects with its output (and the others') if it runs on too long. */
export function exitOf(program: Program, timeoutMs = 120_000): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const others = [...running]
        .filter((p) => p !== program)
        .map((p) => `--- ${p.name} (still running):\n${p.output().slice(-1500)}`);
      reject(
        new Error(
          `${program.name} still running after ${timeoutMs} ms. Output:\n${program.output().slice(-3000)}\n${others.join('\n')}`,
        ),
      );
    }, timeoutMs);
  });
  return Promise.race([program.exited, late]).finally(() => clearTimeout(timer));
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

/**
 * Starts a host with the embedded hub on free ports; resolves once racers can join. It quits
 * once the results are written (`--exit-after-race`) unless `stage.stayOpen`: then its
 * post-race stage stays open until it is sent SIGINT or SIGTERM.
 */
export async function startHost(
  args: string[],
  out = tempDir(),
  stage: { stayOpen?: boolean } = {},
): Promise<{ host: Program; url: string; out: string }> {
  const host = start('host', HOST_CLI, [
    ...(stage.stayOpen ? [] : ['--exit-after-race']),
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

/** Options of {@link startMosquitto}: by default one anonymous plain listener, as a LAN hub. */
export interface MosquittoOptions {
  /** Also listen with TLS, with this server certificate. */
  tls?: TestCa;
  /** Only these users, with these passwords (a password_file made with mosquitto_passwd). */
  users?: Record<string, string>;
}

/** A real Mosquitto broker on free ports. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<{
  url: string;
  port: number;
  /** Its configuration file: start it again on the same ports with {@link restartMosquitto}. */
  config: string;
  /** The TLS listener's port (`mqtts://127.0.0.1:tlsPort`), with `options.tls`. */
  tlsPort: number | undefined;
  program: Program;
}> {
  const binary = which('mosquitto');
  if (!binary)
    throw new Error('mosquitto is not installed (apt-get install mosquitto mosquitto-clients)');
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const dir = tempDir('gw2race-mosquitto-');
  const config = join(dir, 'mosquitto.conf');
  const lines = ['persistence false', 'log_dest stdout'];
  lines.push(...['error', 'warning', 'notice'].map((type) => `log_type ${type}`));
  if (options.users) {
    const passwd = which('mosquitto_passwd');
    if (!passwd) throw new Error('mosquitto_passwd is not installed (apt-get install mosquitto)');
    const file = join(dir, 'passwd');
    writeFileSync(file, '');
    for (const [user, password] of Object.entries(options.users))
      execFileSync(passwd, ['-b', file, user, password], { stdio: 'pipe' });
    // Mosquitto started as root reads it as the mosquitto user.
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    lines.push('allow_anonymous false', `password_file ${file}`);
  } else {
    lines.push('allow_anonymous true');
  }
  lines.push(`listener ${port} 127.0.0.1`);
  if (options.tls && tlsPort !== undefined) {
    lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${options.tls.caFile}`);
    lines.push(`certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`);
  }
  writeFileSync(config, `${lines.join('\n')}\n`);
  const program = await runMosquitto(binary, config, port);
  return { url: `mqtt://127.0.0.1:${port}`, port, config, tlsPort, program };
}

/** Starts Mosquitto again with a configuration {@link startMosquitto} wrote (same ports). */
export async function restartMosquitto(config: string, port: number): Promise<Program> {
  const binary = which('mosquitto');
  if (!binary) throw new Error('mosquitto is not installed');
  return runMosquitto(binary, config, port);
}

/** Starts Mosquitto and resolves once it accepts connections on `port`. */
async function runMosquitto(binary: string, config: string, port: number): Promise<Program> {
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
  return program;
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
    '--exit-after-race',
    '--yes',
    '--no-ntp',
    '--plain',
    '--out',
    out,
    '--broker',
    broker,
    ...args,
  ]);
  await host.waitFor(/race \S+ is open on (mqtt|mqtts|ws|wss):/);
  return { host, out };
}

/** The web viewer's address (and MQTT over WebSocket on its `/mqtt`) a host printed. */
export async function viewerPort(host: Program): Promise<number> {
  const match = await host.waitFor(/viewer: http:\/\/[\d.]+:(\d+)\//);
  return Number(match[1]);
}

/** A certificate authority made for the test, and a server certificate it signed for 127.0.0.1. */
export interface TestCa {
  /** The CA's certificate (PEM file): what clients are given with `--ca`. */
  caFile: string;
  /** The server's certificate and key (PEM files), for 127.0.0.1 and localhost. */
  certFile: string;
  keyFile: string;
}

/** Makes a {@link TestCa} with the openssl CLI, in a fresh folder. */
export function makeTestCa(): TestCa {
  const openssl = which('openssl');
  if (!openssl) throw new Error('openssl is not installed (apt-get install openssl)');
  const dir = tempDir('gw2race-ca-');
  const at = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  run(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=gw2race test CA',
    ].concat(['-keyout', at('ca.key'), '-out', at('ca.pem')]),
  );
  run(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
    ]),
  );
  writeFileSync(at('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      at('san.ext'),
      '-out',
      at('server.pem'),
    ]),
  );
  // Mosquitto started as root reads them as the mosquitto user: test keys, readable by all.
  chmodSync(dir, 0o755);
  for (const name of ['ca.pem', 'server.pem', 'server.key']) chmodSync(at(name), 0o644);
  return { caFile: at('ca.pem'), certFile: at('server.pem'), keyFile: at('server.key') };
}

/** A TCP proxy in front of a port that can be cut: every connection dropped, new ones refused. */
export interface CuttableProxy {
  readonly port: number;
  cut(): void;
  restore(): void;
  /** Drops every connection; new ones go to 127.0.0.1:`target` (another node of a cluster). */
  switchTo(target: number): void;
  close(): Promise<void>;
}

/** Starts a {@link CuttableProxy} to 127.0.0.1:`target`. */
export async function startProxy(initialTarget: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  let target = initialTarget;
  const server = createServer((socket) => {
    if (cut) {
      socket.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    for (const end of [socket, upstream]) {
      end.on('error', () => {});
      end.on('close', () => {
        socket.destroy();
        upstream.destroy();
        sockets.delete(end);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    switchTo(next) {
      target = next;
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
