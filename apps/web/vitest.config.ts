import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tooling/vitest';

// Unit tests of the pure modules (src/core, the tile placement parser); the pages themselves are
// tested in a real Chromium by e2e/src/web-*.test.ts.
export default defineConfig(createVitestConfig());
