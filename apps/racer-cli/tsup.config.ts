import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tooling/tsup';

const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

export default defineConfig({
  ...createTsupConfig({
    entry: { cli: 'src/cli.ts' },
    platform: 'node',
    esmOnly: true,
    banner: '#!/usr/bin/env node',
    define: { __VERSION__: JSON.stringify(version) },
  }),
  // The private app-shared library is bundled; published packages stay dependencies.
  noExternal: ['@gw2race/app-shared'],
});
