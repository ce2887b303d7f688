import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../tooling/vitest';

export default defineConfig(
  createVitestConfig({
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Each test runs whole programs; two at a time suits a 2-core machine.
    maxConcurrency: 2,
    fileParallelism: true,
    maxWorkers: 2,
  }),
);
