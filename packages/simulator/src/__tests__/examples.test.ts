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
  it('rides a track to its finish and shows the MumbleLink blocks a reader would see', () => {
    const out = run('ride-a-track.ts');
    expect(out).toMatch(/^path 29\d\.\d m, ridden in 1\d\.\d\d s$/m);
    expect(out).toContain('t= 0 s  x    0.0  z    0.0  0.0 m/s');
    expect(out).toContain('finished: true');
    expect(out).toMatch(/after 250 ticks: Example Bot on map 24, mount roller-beetle, at x/);
  });
});
