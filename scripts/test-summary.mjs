// Adds up the vitest JSON reports that every package writes in CI (tooling/vitest.ts) and prints
// one closing line for the whole run: "Tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['e2e'];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) dirs.push(join(group, name));
}

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const dir of dirs) {
  const file = join(root, dir, 'test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  reports += 1;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `${dir.padEnd(22)} ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
if (reports === 0) {
  console.error('no test reports found: did the tests run?');
  process.exit(1);
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
