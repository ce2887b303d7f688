import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tooling/vitest';

export default defineConfig(createVitestConfig({ testTimeout: 120_000, hookTimeout: 60_000 }));
