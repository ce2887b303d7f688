// The Windows racer as racers get it: one .exe with Node and koffi inside, run under Wine, reading
// real named shared memory that a native MumbleLink writer (compiled with MinGW) creates and moves
// along a known path, racing a host that runs on Linux over 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  needs,
  type Program,
  raceOptions,
  SHORT_TRACK,
  start,
  startHost,
  stopAll,
  tempDir,
} from './harness';
import { raceFiles, readResults } from './results';
import {
  compileMumbleWriter,
  packageRacer,
  RACER_LINUX_EXE,
  startWine,
  stopWine,
  wineBinary,
  winePrefix,
} from './wine';

const runs = needs('x86_64-w64-mingw32-gcc') && (wineBinary() !== undefined || needs('wine64'));
const SPEED = 12; // m/s, on foot: under the course's 15 m/s limit for an unmounted racer

interface Checkpoint {
  x: number;
  y: number;
  z: number;
  r: number;
}
const checkpoints = (JSON.parse(readFileSync(SHORT_TRACK, 'utf8')) as { checkpoints: Checkpoint[] })
  .checkpoints;

/** Metres along the path through every checkpoint's centre until the finish sphere is entered. */
function distanceToFinish(): number {
  let total = 0;
  for (let i = 1; i < checkpoints.length; i++) {
    const a = checkpoints[i - 1] as Checkpoint;
    const b = checkpoints[i] as Checkpoint;
    total += Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
  }
  return total - (checkpoints.at(-1) as Checkpoint).r;
}

/** The race's t0 from its retained state. */
async function raceStart(url: string, raceId: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `e2e-t0-${raceId}` });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no t0 in the race state')), 60_000);
      client.on('message', (_topic, payload) => {
        const state = JSON.parse(payload.toString()) as { t0?: number };
        if (typeof state.t0 === 'number') {
          clearTimeout(timer);
          resolve(state.t0);
        }
      });
      void client.subscribeAsync(`race/${raceId}/state`);
    });
  } finally {
    await client.endAsync(true);
  }
}

/** Waits until what `program` printed after its first `offset` characters matches `pattern`. */
async function waitAfter(program: Program, offset: number, pattern: RegExp, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!pattern.test(program.output().slice(offset))) {
    if (performance.now() > deadline)
      throw new Error(
        `${program.name}: no ${pattern} within ${timeoutMs} ms:\n${program.output().slice(-2000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(runs)('the Windows racer under Wine', () => {
  let exe = '';
  let writer = '';
  const wine = winePrefix();
  const work = tempDir('gw2race-win-');

  beforeAll(() => {
    exe = packageRacer('win-x64');
    writer = compileMumbleWriter(work);
  }, 300_000);

  afterAll(async () => {
    await stopAll();
    stopWine(wine);
  });

  it('races from shared memory and finishes within its reported ± of the path’s truth', async () => {
    const control = tempDir('gw2race-mumble-');
    const path = join(work, 'path.txt');
    writeFileSync(path, checkpoints.map((c) => `${c.x} ${c.y} ${c.z}\n`).join(''));
    const game = startWine(
      'mumble writer',
      writer,
      ['MumbleLink', path, control, String(SPEED)],
      wine,
    );
    const { host, url, out } = await startHost(
      raceOptions('e2e-win', { autoStart: 1, startDelay: 3 }),
    );
    const racer = startWine(
      'windows racer',
      exe,
      ['--race', 'e2e-win', '--broker', url, '--name', 'Wine', '--no-ntp', '--plain'],
      wine,
    );
    await racer.waitFor(/Game: live · map 24/, 90_000);
    const t0 = await raceStart(url, 'e2e-win');
    const departure = t0 + 1;
    writeFileSync(join(control, 'start'), departure.toFixed(3));
    expect(await host.exited).toBe(0);
    expect(await racer.exited).toBe(0);
    writeFileSync(join(control, 'stop'), '');
    expect(await game.exited).toBe(0);

    const results = readResults(raceFiles(out).resultsJson);
    const entry = results.ranking.find((e) => e.playerId === 'wine') as unknown as {
      status: string;
      time: number;
      uncertainty: number;
    };
    const truth = departure - t0 + distanceToFinish() / SPEED;
    expect(entry.status).toBe('finished');
    expect(Math.abs(entry.time - truth)).toBeLessThanOrEqual(entry.uncertainty);
    expect(results.racers.find((r) => r.playerId === 'wine')?.flags).toEqual([]);
    expect(racer.output()).toContain('Checkpoints 4/4');
  });

  it('waits for the game, then shows it live, stale when paused, and absent when it exits', async () => {
    const control = tempDir('gw2race-mumble-');
    const path = join(work, 'still.txt');
    writeFileSync(path, '0 10 0\n1 10 0\n');
    const { url } = await startHost(raceOptions('e2e-win-game'));
    const racer = startWine(
      'windows racer',
      exe,
      [
        '--race',
        'e2e-win-game',
        '--broker',
        url,
        '--name',
        'Early',
        '--mumble',
        'gw2race-e2e',
        '--no-ntp',
        '--plain',
      ],
      wine,
    );
    // Started before the game: it says what it waits for, under the custom name.
    await racer.waitFor(/Game: waiting for Guild Wars 2 \(shared memory "gw2race-e2e"\)/, 90_000);
    const game = startWine('mumble writer', writer, ['gw2race-e2e', path, control, '1'], wine);
    await racer.waitFor(/Game: live · map 24/, 30_000);
    writeFileSync(join(control, 'pause'), '');
    await racer.waitFor(/Game: stale/, 30_000);
    rmSync(join(control, 'pause'));
    writeFileSync(join(control, 'stop'), '');
    expect(await game.exited).toBe(0);
    // The mapping is gone with the game: the racer says so again (in what it printed since).
    const since = racer.output().length;
    await waitAfter(racer, since, /Game: waiting for Guild Wars 2 \(shared memory "gw2race-e2e"\)/);
    racer.kill('SIGKILL');
  });
});

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'the Linux racer executable',
  () => {
    afterAll(stopAll);

    it('runs with no Node installed: prints its version, then races a simulated bot to the finish', async () => {
      const exe = packageRacer('linux-x64');
      expect(exe).toBe(RACER_LINUX_EXE);
      const noNode = { PATH: '/nonexistent', HOME: tempDir() };
      expect(execFileSync(exe, ['--version'], { env: noNode }).toString()).toMatch(
        /^gw2race-racer \d+\.\d+\.\d+/,
      );
      const { host, url, out } = await startHost(raceOptions('e2e-linux-exe', { autoStart: 1 }));
      const args = ['--race', 'e2e-linux-exe', '--broker', url, '--name', 'Tux', '--simulate'];
      const racer = start('linux racer', exe, [...args, '--no-ntp', '--plain'], noNode);
      expect(await racer.exited).toBe(0);
      expect(racer.output()).toContain('Checkpoints 4/4');
      expect(await host.exited).toBe(0);
      const results = readResults(raceFiles(out).resultsJson);
      expect(results.ranking[0]).toMatchObject({ playerId: 'tux', status: 'finished' });
    }, 300_000);
  },
);
