import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (example: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', `examples/${example}`], {
    cwd: root,
    encoding: 'utf8',
  });

describe('the README example', () => {
  it('records a track from a simulated ride, with a reference line and no warnings', () => {
    const out = run('record-simulated-ride.ts');
    expect(out).toContain('  the start at (0.0, 10.0, 0.0), radius 12 m on map 24');
    expect(out).toMatch(/checkpoint 1 at \(9\d\.\d, .*\), radius 12 m/);
    expect(out).toContain(': the course is closed (w saves)');
    expect(out).toMatch(/reference line: \d+ points, 28\d m ridden in/);
    expect(out).toContain('no problems found');
    expect(out).toMatch(/recorded\.track\.json would be \d+ bytes/);
  });
});
