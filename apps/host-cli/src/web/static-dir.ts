import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built web viewer is: copied next to the host's bundle (`dist/web`, as published), or
 * the web app's own build in the repository (`apps/web/dist`). `undefined` when neither exists.
 */
export function webAppDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'web'),
    join(here, '..', '..', 'web', 'dist'),
    join(here, '..', '..', '..', 'web', 'dist'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
