import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Program, tempDir, which } from './harness';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The Windows racer as `pnpm package:win` writes it. */
export const RACER_EXE = join(root, 'apps/racer-cli/release/gw2race-racer-win-x64.exe');
/** The Linux racer as `pnpm package:linux` writes it. */
export const RACER_LINUX_EXE = join(root, 'apps/racer-cli/release/gw2race-racer-linux-x64');
const WRITER_SOURCE = fileURLToPath(new URL('./fixtures/windows/mumble-writer.c', import.meta.url));

/** Debian's wine64 puts its loader off PATH (the `wine` package adds the wrapper). */
export function wineBinary(): string | undefined {
  for (const candidate of ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the racer's single executable for `target` (fetches the Windows runtime once). */
export function packageRacer(target: 'win-x64' | 'linux-x64'): string {
  execFileSync(process.execPath, [join(root, 'apps/racer-cli/scripts/package-exe.mjs'), target], {
    stdio: 'pipe',
    timeout: 300_000,
  });
  return target === 'win-x64' ? RACER_EXE : RACER_LINUX_EXE;
}

/** Compiles the MumbleLink writer (a stand-in for the game) with MinGW into `dir`. */
export function compileMumbleWriter(dir: string): string {
  const gcc = which('x86_64-w64-mingw32-gcc');
  if (!gcc) throw new Error('x86_64-w64-mingw32-gcc is not installed');
  const exe = join(dir, 'mumble-writer.exe');
  execFileSync(gcc, ['-O2', '-o', exe, WRITER_SOURCE, '-lm'], { stdio: 'pipe' });
  return exe;
}

/** A Wine prefix of its own (made on first use by Wine), and the environment that selects it. */
export function winePrefix(): NodeJS.ProcessEnv {
  const prefix = tempDir('gw2race-wine-');
  return {
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // Wine reports an old Windows version, which Node 20 refuses to start on without this.
    NODE_SKIP_PLATFORM_CHECK: '1',
    NO_COLOR: '1',
  };
}

/**
 * Runs a Windows program under Wine. Its output goes to a file: under Wine, Node's writes to a
 * pipe fail with EBADF (a file or a console works), so {@link Program.output} reads the file.
 */
export function startWine(
  name: string,
  exe: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Program {
  const wine = wineBinary();
  if (!wine) throw new Error('wine64 is not installed');
  const dir = tempDir('gw2race-wine-log-');
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'output.txt');
  const fd = openSync(log, 'w');
  const child = spawn(wine, [exe, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = () => (existsSync(log) && statSync(log).size > 0 ? readFileSync(log, 'utf8') : '');
  const exited = new Promise<number | string>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? signal ?? -1));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    name,
    child,
    output,
    exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const match = output().match(pattern);
        if (match) return match;
        if (done)
          throw new Error(`${name} exited before ${pattern}. Output:\n${output().slice(-3000)}`);
        if (performance.now() > deadline)
          throw new Error(
            `${name}: no ${pattern} within ${timeoutMs} ms. Output:\n${output().slice(-3000)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Ends every Windows process of a prefix and its wineserver. */
export function stopWine(env: NodeJS.ProcessEnv): void {
  const server = [
    '/usr/lib/wine/wineserver64',
    '/usr/lib/wine/wineserver',
    '/usr/bin/wineserver',
  ].find(existsSync);
  if (!server) return;
  try {
    execFileSync(server, ['-k'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
      timeout: 20_000,
    });
  } catch {
    // nothing was running
  }
}
