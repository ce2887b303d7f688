import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tooling/tsup';

export default defineConfig({
  ...createTsupConfig({
    entry: { cli: 'src/cli.ts' },
    platform: 'node',
    esmOnly: true,
    banner: '#!/usr/bin/env node',
  }),
  // The private app-shared library is bundled; published packages stay dependencies.
  noExternal: ['@gw2race/app-shared'],
});
