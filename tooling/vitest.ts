import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The vitest settings every package shares. Sibling `@gw2race/*` packages resolve to their
 * sources, so a package's tests never depend on another package's build being fresh.
 */
export function createVitestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return {
    resolve: {
      alias: [
        {
          find: /^@gw2race\/(clock-sync|replay-format)\/node$/,
          replacement: `${root}packages/$1/src/node/index.ts`,
        },
        {
          find: /^@gw2race\/(protocol|mumblelink|clock-sync|race-engine|replay-format)$/,
          replacement: `${root}packages/$1/src/index.ts`,
        },
      ],
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Generous: property tests take ~1.5 s on a quiet machine, and CI shares two cores among
      // turbo's parallel packages. A limit is for a test that hangs, not one that is slow.
      testTimeout: 90_000,
      // In CI each package also writes its counts, which .ci/run adds up into one closing line.
      ...(process.env.CI
        ? { reporters: ['default', 'json'], outputFile: { json: 'test-results/vitest.json' } }
        : {}),
      ...overrides,
    },
  };
}
