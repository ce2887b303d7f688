import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppError, ask, parseHubUrl } from '@gw2race/app-shared';

/** The racer's default hub: the organizer's embedded hub on this machine. */
export const DEFAULT_BROKER = 'mqtt://127.0.0.1:1883';

/**
 * Where the guided racer remembers the last hub it was given: `GW2RACE_CONFIG_DIR`, else
 * `%APPDATA%\gw2race` on Windows, else `$XDG_CONFIG_HOME/gw2race` (`~/.config/gw2race`).
 */
export function settingsFile(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const dir =
    env.GW2RACE_CONFIG_DIR ??
    (platform === 'win32'
      ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'gw2race')
      : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'gw2race'));
  return join(dir, 'racer.json');
}

/** The hub remembered in `file`, or undefined (no file, unreadable, or not a hub URL). */
export function rememberedHub(file: string): string | undefined {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { broker?: unknown };
    if (typeof saved.broker !== 'string') return undefined;
    parseHubUrl(saved.broker);
    return saved.broker;
  } catch {
    return undefined;
  }
}

/** Remembers the hub for the next time; a file that cannot be written only loses the memory. */
export function rememberHub(file: string, broker: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ broker }, null, 2)}\n`, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/**
 * A hub URL from what a racer types: a full URL as it is, else an address with an optional port
 * (`192.168.1.20`, `192.168.1.20:1884`, `race.example.org`, `[fe80::1]:1883`) on mqtt://, port
 * 1883 by default. Throws a USAGE {@link AppError} for what is neither.
 */
export function hubFromAnswer(answer: string): string {
  const text = answer.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    parseHubUrl(text);
    return text;
  }
  const bareIpv6 =
    text.includes(':') && text.indexOf(':') !== text.lastIndexOf(':') && !text.startsWith('[');
  const host = bareIpv6 ? `[${text}]` : text;
  const url = /:\d+$/.test(host) && !bareIpv6 ? `mqtt://${host}` : `mqtt://${host}:1883`;
  if (text === '' || /[\s/]/.test(text))
    throw new AppError(
      'USAGE',
      `"${text}" is not a hub address: type the organizer's address, such as 192.168.1.20`,
    );
  parseHubUrl(url);
  return url;
}

/**
 * Asks for the organizer's hub (the address their host printed), offering the last one given,
 * else this machine's; remembers the answer for the next time.
 */
export async function askHub(file: string = settingsFile()): Promise<string> {
  const fallback = rememberedHub(file) ?? DEFAULT_BROKER;
  const answer = await ask("Organizer's address (from their host's join line)", {
    fallback,
    validate: (text) => {
      try {
        hubFromAnswer(text);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
  const broker = hubFromAnswer(answer);
  rememberHub(file, broker);
  return broker;
}
