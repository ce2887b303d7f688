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
