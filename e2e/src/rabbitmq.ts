import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, type Program, start, tempDir } from './harness';

const run = promisify(execFile);

/**
 * RabbitMQ's own scripts (Debian's `rabbitmq-server` package). The ones in /usr/sbin are wrappers
 * that, run as root, switch to the `rabbitmq` user (whose data dirs must then be its own) and
 * refuse any other user; these run as whoever calls them, on data dirs of ours.
 */
const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
const SERVER = join(RABBIT_BIN, 'rabbitmq-server');
const CTL = join(RABBIT_BIN, 'rabbitmqctl');
/** Erlang's port mapper (the `erlang-base` package RabbitMQ depends on). */
const EPMD = '/usr/lib/erlang/bin/epmd';

/** Resolves once something listens on 127.0.0.1:`port`; rejects if `program` exits first. */
async function waitForPort(port: number, program: Program): Promise<void> {
  let exited = false;
  void program.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (open) return;
    if (exited) throw new Error(`${program.name} exited: ${program.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether RabbitMQ is installed here. */
export function haveRabbitmq(): boolean {
  return existsSync(SERVER) && existsSync(CTL) && existsSync(EPMD);
}

/**
 * Whether the RabbitMQ tests may run: in CI its absence is a failure (`.ci/run` installs it); on
 * a developer's machine they are skipped with a note.
 */
export function needsRabbitmq(): boolean {
  const present = haveRabbitmq();
  if (!present && !process.env.CI)
    console.warn(
      'rabbitmq-server is not installed: skipping the RabbitMQ cluster tests (CI runs them; apt-get install rabbitmq-server)',
    );
  return present || Boolean(process.env.CI);
}

/** One node of a {@link RabbitCluster}. */
export interface RabbitNode {
  /** Erlang node name, e.g. `gw2race-k3x9-a@localhost`. */
  readonly name: string;
  /** `mqtt://127.0.0.1:PORT`: the node's MQTT listener (anonymous clients allowed, as `guest`). */
  readonly url: string;
  readonly mqttPort: number;
}

/** A RabbitMQ cluster of one or two nodes on 127.0.0.1, with the MQTT plugin on each. */
export interface RabbitCluster {
  readonly nodes: readonly RabbitNode[];
  /** Seconds from the first node's start to the cluster being formed. */
  readonly startSeconds: number;
  /** Stops both nodes and their epmd, and removes the data dirs. Safe to call twice. */
  stop(): Promise<void>;
}

interface NodeDir {
  readonly node: RabbitNode;
  readonly dir: string;
  readonly distPort: number;
  program?: Program;
}

/** What a node and `rabbitmqctl` need to find each other and nothing else on the machine. */
function baseEnv(home: string, epmdPort: number): NodeJS.ProcessEnv {
  return {
    HOME: home,
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_CONF_ENV_FILE: join(home, 'rabbitmq-env.conf'),
  };
}

function writeNodeFiles(dir: string, mqttPort: number, amqpPort: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      'mqtt.allow_anonymous = true',
      'log.console = true',
      'log.console.level = warning',
      'log.file = false',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
}

function nodeEnv(node: NodeDir, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    RABBITMQ_NODENAME: node.node.name,
    RABBITMQ_CONFIG_FILE: join(node.dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(node.dir, 'enabled_plugins'),
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: join(node.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(node.dir, 'log'),
    RABBITMQ_PID_FILE: join(node.dir, 'rabbit.pid'),
    // The script then execs the Erlang VM instead of running it in the background: the VM is our
    // child, so it is stopped and reaped with it, never left behind.
    RUNNING_UNDER_SYSTEMD: 'true',
  };
}

/** Runs `rabbitmqctl -n NODE …`; rejects with its output when it fails. */
async function ctl(
  base: NodeJS.ProcessEnv,
  node: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<string> {
  try {
    const { stdout } = await run(CTL, ['-n', node, ...args], {
      env: { ...process.env, ...base },
      timeout: timeoutMs,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `rabbitmqctl ${args.join(' ')} on ${node} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }
}

/** Stops a node: `rabbitmqctl stop`, else SIGTERM (a graceful stop too), else SIGKILL. */
async function stopNode(node: NodeDir, base: NodeJS.ProcessEnv): Promise<void> {
  const { program } = node;
  if (!program || program.child.exitCode !== null || program.child.signalCode !== null) return;
  const gone = (ms: number) =>
    Promise.race([
      program.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);
  await ctl(base, node.node.name, ['stop'], 30_000).catch(() => {});
  if (await gone(15_000)) return;
  program.kill('SIGTERM');
  if (await gone(15_000)) return;
  program.kill('SIGKILL');
  await program.exited;
}

/**
 * Starts a two-node RabbitMQ cluster (or, with `count` 1, a single node) on 127.0.0.1: its own node names, ports, data dirs, Erlang
 * cookie and epmd port, so it meets no other RabbitMQ on the machine (and needs no `rabbitmq`
 * user: it runs as whoever runs the tests, on data dirs of theirs). Both nodes boot at once
 * (about 10 s), then the second joins the first (`stop_app`, `join_cluster`, `start_app`). On a
 * failure, whatever was started is stopped before the error is thrown.
 */
export async function startRabbitCluster(count: 1 | 2 = 2): Promise<RabbitCluster> {
  const began = performance.now();
  const home = tempDir('gw2race-rabbitmq-');
  const epmdPort = await freePort();
  writeFileSync(join(home, '.erlang.cookie'), `GW2RACE${Math.random().toString(36).slice(2)}`, {
    mode: 0o400,
  });
  writeFileSync(join(home, 'rabbitmq-env.conf'), '');
  const base = baseEnv(home, epmdPort);
  const tag = `gw2race-${Math.random().toString(36).slice(2, 8)}`;
  const nodes: NodeDir[] = [];
  for (const letter of ['a', 'b'].slice(0, count)) {
    const mqttPort = await freePort();
    const dir = join(home, letter);
    writeNodeFiles(dir, mqttPort, await freePort());
    nodes.push({
      node: { name: `${tag}-${letter}@localhost`, url: `mqtt://127.0.0.1:${mqttPort}`, mqttPort },
      dir,
      distPort: await freePort(),
    });
  }
  // Our own epmd, in the foreground: one a node started would daemonize and outlive the test.
  const epmd = start('epmd', EPMD, ['-address', '127.0.0.1', '-port', String(epmdPort)]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(nodes.map((node) => stopNode(node, base)));
    epmd.kill('SIGTERM');
    await epmd.exited;
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForPort(epmdPort, epmd);
    for (const node of nodes)
      node.program = start(`rabbitmq ${node.node.name}`, SERVER, [], nodeEnv(node, base));
    // `wait` waits for the pid file, then for the node to be up (`await_startup` fails at once
    // when the VM is not reachable yet).
    await Promise.all(
      nodes.map((node) =>
        ctl(
          base,
          node.node.name,
          ['wait', join(node.dir, 'rabbit.pid'), '--timeout', '90'],
          100_000,
        ),
      ),
    );
    const [a, b] = nodes as [NodeDir, NodeDir | undefined];
    if (b) {
      await ctl(base, b.node.name, ['stop_app']);
      await ctl(base, b.node.name, ['join_cluster', a.node.name]);
      await ctl(base, b.node.name, ['start_app']);
      await ctl(base, b.node.name, ['await_startup', '--timeout', '90'], 100_000);
    }
    const status = await ctl(base, a.node.name, ['cluster_status', '--formatter', 'json']);
    const running = (JSON.parse(status) as { running_nodes: string[] }).running_nodes;
    if (!nodes.every((node) => running.includes(node.node.name)))
      throw new Error(`the RabbitMQ cluster did not form: running ${running.join(', ')}`);
  } catch (error) {
    const logs = nodes.map(
      (node) => `--- ${node.node.name}:\n${node.program?.output().slice(-2000) ?? ''}`,
    );
    await stop();
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
  }
  return {
    nodes: nodes.map((node) => node.node),
    startSeconds: (performance.now() - began) / 1000,
    stop,
  };
}
