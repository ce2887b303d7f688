import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkInfo {
  readonly fileName: string;
  readonly bytes: number;
  readonly gzip: number;
  readonly imports: readonly string[];
  readonly dynamicImports: readonly string[];
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

/**
 * Prints, after `vite build`, what each page of the viewer loads: the entry and the page's
 * chunk with everything they import statically (minified and gzipped bytes), then the chunks a
 * page loads only when used (mqtt.js when the live view connects, Mediabunny for a video).
 */
export function bundleReport(): Plugin {
  return {
    name: 'gw2race-bundle-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        chunks.set(item.fileName, {
          fileName: item.fileName,
          bytes: Buffer.byteLength(item.code),
          gzip: gzipSync(item.code, { level: 9 }).length,
          imports: item.imports,
          dynamicImports: item.dynamicImports,
        });
      }
      const closure = (roots: readonly string[]) => {
        const seen = new Set<string>();
        const visit = (name: string) => {
          if (seen.has(name)) return;
          seen.add(name);
          for (const next of chunks.get(name)?.imports ?? []) visit(next);
        };
        for (const root of roots) visit(root);
        return seen;
      };
      const sum = (names: Iterable<string>) => {
        let bytes = 0;
        let gzip = 0;
        for (const name of names) {
          bytes += chunks.get(name)?.bytes ?? 0;
          gzip += chunks.get(name)?.gzip ?? 0;
        }
        return `${kB(bytes)} (${kB(gzip)} gzip)`;
      };
      const short = (name: string) => name.replace(/^assets\//, '').replace(/-[\w-]{8}\.js$/, '');
      const entry = [...chunks.values()].find((c) => {
        const item = bundle[c.fileName];
        return item?.type === 'chunk' && item.isEntry;
      });
      if (!entry) return;
      const lines = ['bundle, per page (minified JS; CSS apart):'];
      for (const page of entry.dynamicImports) {
        const first = closure([entry.fileName, page]);
        lines.push(
          `  ${short(page)}: first load ${sum(first)} = ${[...first].map(short).join(' + ')}`,
        );
        const lazy = new Set(
          [...first]
            .flatMap((name) => chunks.get(name)?.dynamicImports ?? [])
            .filter((name) => !first.has(name) && !entry.dynamicImports.includes(name)),
        );
        for (const root of lazy) {
          const extra = [...closure([root])].filter((name) => !first.has(name));
          lines.push(`    + when used: ${sum(extra)} = ${extra.map(short).join(' + ')}`);
        }
      }
      this.info(`\n${lines.join('\n')}`);
    },
  };
}
