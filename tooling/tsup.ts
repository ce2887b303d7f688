import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/** Options for {@link createTsupConfig}. */
export interface PackageBuildOptions {
  /** Entry points: `{ index: 'src/index.ts', node: 'src/node/index.ts' }`. */
  entry: Record<string, string>;
  /** `neutral` for isomorphic packages (default), `node` for packages that may touch the OS. */
  platform?: 'neutral' | 'node';
  /** Modules never bundled (besides dependencies, which tsup already leaves external). */
  external?: (string | RegExp)[];
  /** Adds `#!/usr/bin/env node` to ESM entries (apps). */
  banner?: string;
  /** Only ESM (apps that are never `require`d). */
  esmOnly?: boolean;
  /** Compile-time constants (`define`), e.g. the app's version. */
  define?: Record<string, string>;
}

/**
 * One build for every package: ESM + CJS + `.d.ts`/`.d.cts`, source maps, ES2022.
 * Every package's `tsup.config.ts` calls this, so the published shape cannot drift.
 */
export function createTsupConfig(options: PackageBuildOptions): Options {
  return {
    entry: options.entry,
    format: options.esmOnly ? ['esm'] : ['esm', 'cjs'],
    dts: !options.esmOnly,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: options.platform ?? 'neutral',
    // Shared chunks: a package with several entries (".", "./node") ships its core once, so
    // `instanceof` of its error class holds across entries.
    splitting: true,
    treeshake: true,
    shims: false,
    external: [/^node:/, ...(options.external ?? [])],
    ...(options.banner ? { banner: { js: options.banner } } : {}),
    ...(options.define ? { define: options.define } : {}),
  };
}

/**
 * The build of an app (a CLI): one ESM bundle with a shebang, its version compiled in, and the
 * private `@gw2race/app-shared` bundled (published packages stay dependencies).
 */
export function createAppTsupConfig(packageJsonUrl: URL): Options {
  const { version } = JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { version: string };
  return {
    ...createTsupConfig({
      entry: { cli: 'src/cli.ts' },
      platform: 'node',
      esmOnly: true,
      banner: '#!/usr/bin/env node',
      define: { __VERSION__: JSON.stringify(version) },
    }),
    noExternal: ['@gw2race/app-shared'],
  };
}
