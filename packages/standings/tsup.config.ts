import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tooling/tsup';

export default defineConfig(
  createTsupConfig({
    entry: { index: 'src/index.ts' },
    platform: 'neutral',
  }),
);
