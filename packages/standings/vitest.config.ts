import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tooling/vitest';

export default defineConfig(createVitestConfig());
