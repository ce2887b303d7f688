import { AppError, numberOption } from '@gw2race/app-shared';
import { DEFAULT_HUD_PORT } from './hud-server';

/**
 * `--hud [PORT]`: the port is optional, which `parseArgs` cannot say, so a bare `--hud` (last,
 * or followed by another option) becomes `--hud=<default port>`. Anything else is left as is.
 *
 * @example
 * expandHudFlag(['--hud', '--race', 'x']); // ['--hud=4790', '--race', 'x']
 * expandHudFlag(['--hud', '5000']);        // ['--hud', '5000']
 */
export function expandHudFlag(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (arg === '--hud' && (next === undefined || next.startsWith('-')))
      out.push(`--hud=${DEFAULT_HUD_PORT}`);
    else out.push(arg);
  }
  return out;
}

/** Where the HUD listens: `--hud PORT` (checked) on `--hud-listen ADDRESS` (default 127.0.0.1). */
export function hudOption(values: {
  hud?: string | undefined;
  'hud-listen'?: string | undefined;
}): { host: string; port: number } | undefined {
  const listen = values['hud-listen'];
  if (values.hud === undefined) {
    if (listen !== undefined) throw new AppError('USAGE', '--hud-listen needs --hud');
    return undefined;
  }
  const port = numberOption(values.hud, 'hud', DEFAULT_HUD_PORT, {
    min: 0,
    max: 65535,
    integer: true,
  });
  const host = listen ?? '127.0.0.1';
  if (host.trim() === '') throw new AppError('USAGE', '--hud-listen: give an address');
  return { host, port };
}
