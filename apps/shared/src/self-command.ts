import { relative, sep } from 'node:path';

/** What started this process: its environment and script path (the process's own by default). */
export interface Invocation {
  readonly env: NodeJS.ProcessEnv;
  /** The script node runs (`process.argv[1]`). */
  readonly script: string | undefined;
  readonly cwd: string;
}

function currentInvocation(): Invocation {
  return { env: process.env, script: process.argv[1], cwd: process.cwd() };
}

/**
 * The command a person types to run this app again, for lines such as "Re-judge: … results FILE":
 * `npx pnpm@10 host` when it was started by the repository's `host` (or `demo`) script, `node
 * apps/host-cli/dist/cli.js` when run from a clone's build, else the installed bin name.
 *
 * @param bin The installed command, `gw2race-host` or `gw2race-racer`.
 * @param script The repository's script that runs it (`host`, `racer`).
 * @param scripts Other repository scripts whose children should be told to use `script`.
 */
export function selfCommand(
  bin: string,
  script: string,
  scripts: readonly string[] = [],
  invocation: Invocation = currentInvocation(),
): string {
  const event = invocation.env.npm_lifecycle_event;
  const viaPnpm = (invocation.env.npm_config_user_agent ?? '').startsWith('pnpm/');
  if (viaPnpm && event !== undefined && (event === script || scripts.includes(event)))
    return `npx pnpm@10 ${script}`;
  const path = invocation.script ?? '';
  const inClone =
    !path.split(/[\\/]/).includes('node_modules') &&
    /[\\/]apps[\\/][^\\/]+[\\/]dist[\\/]cli\.c?js$/.test(path);
  if (!inClone) return bin;
  const shown = relative(invocation.cwd, path);
  return `node ${shown.startsWith('..') || shown === '' ? path : shown.split(sep).join('/')}`;
}
