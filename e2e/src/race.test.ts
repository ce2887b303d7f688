import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CLI, RACER_CLI, raceOptions, start, startHost, startRacer, stopAll } from './harness';
import { plainLines, raceFiles, readResults } from './results';

afterAll(stopAll);

describe.concurrent('a whole race on the embedded hub', () => {
  it('honest racers finish, a teleporting one is flagged, and the recording re-judges to the same results', async () => {
    const { host, url, out } = await startHost([
      ...raceOptions('e2e-race', { autoStart: 3 }),
      '--finish-timeout',
      '12',
    ]);
    const racers = [
      startRacer('e2e-race', url, 'Alice'),
      startRacer('e2e-race', url, 'Bob', ['--codec', 'json']),
      startRacer('e2e-race', url, 'Mallory', ['--sim-cheat', 'teleport']),
    ];
    await host.waitFor(/START: the race starts in 2 s/);
    expect(await host.exited).toBe(0);
    for (const racer of racers) expect(await racer.exited).toBe(0);
    expect(racers[0]?.output()).toMatch(/Final results:/);

    const files = raceFiles(out);
    expect(host.output()).toContain(`Recording: ${files.recording}`);
    const results = readResults(files.resultsJson);
    expect(results.final).toBe(true);
    const status = Object.fromEntries(
      results.ranking.map((entry) => [entry.playerId, entry.status]),
    );
    expect(status).toEqual({
      alice: 'finished',
      bob: 'finished',
      mallory: expect.not.stringMatching(/^finished$/),
    });
    expect(
      results.ranking
        .slice(0, 2)
        .map((e) => e.playerId)
        .sort(),
    ).toEqual(['alice', 'bob']);
    for (const entry of results.ranking.slice(0, 2)) expect(entry.time).toBeGreaterThan(5);
    const malloryFlags = results.flags.filter((flag) => flag.playerId === 'mallory');
    expect(malloryFlags.map((flag) => flag.kind)).toContain('teleport');
    expect(
      results.flags.filter((flag) => flag.playerId !== 'mallory' && flag.severity === 'critical'),
    ).toEqual([]);

    // Re-judging the recording gives the live results, in both formats.
    const rejudged = start('results', HOST_CLI, ['results', files.recording]);
    expect(await rejudged.exited).toBe(0);
    expect(JSON.parse(rejudged.output())).toEqual(
      JSON.parse(readFileSync(files.resultsJson, 'utf8')),
    );
    const csv = start('results csv', HOST_CLI, ['results', files.recording, '--format', 'csv']);
    expect(await csv.exited).toBe(0);
    expect(csv.output()).toBe(readFileSync(files.resultsCsv, 'utf8'));
    expect(csv.output().split('\n')[1]).toMatch(/^1,(alice|bob),(Alice|Bob),finished,/);

    // The recording reads with plain zlib + JSON.parse, header first, every kind of event in it.
    const lines = plainLines(files.recording);
    expect(lines[0]).toMatchObject({ type: 'header', raceId: 'e2e-race' });
    const text = JSON.stringify(lines);
    for (const kind of ['presence', 'ping', 'checkpoint', 'ranking', 'control', 'state', 'flag']) {
      expect(text, `recording has ${kind}`).toContain(`"kind":"${kind}"`);
    }
  });

  it('a spectator watches the race and sends nothing but presence', async () => {
    const { host, url, out } = await startHost([...raceOptions('e2e-spec', { autoStart: 1 })]);
    const spectator = start('spectator', RACER_CLI, [
      '--race',
      'e2e-spec',
      '--broker',
      url,
      '--name',
      'Watcher',
      '--spectator',
      '--no-ntp',
      '--plain',
    ]);
    await host.waitFor(/Watcher joined as spectator/);
    const racer = startRacer('e2e-spec', url, 'Solo');
    expect(await host.exited).toBe(0);
    expect(await racer.exited).toBe(0);
    expect(await spectator.exited).toBe(0);
    expect(spectator.output()).toMatch(/Final results:[\s\S]*Solo\s+finished/);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking.map((e) => e.playerId)).toEqual(['solo']);
    const fromWatcher = plainLines(raceFiles(out).recording).filter(
      (line) =>
        JSON.stringify(line).includes('"watcher"') &&
        !JSON.stringify(line).match(/"kind":"(presence|ping|state|ranking)"/),
    );
    expect(fromWatcher).toEqual([]);
  });

  it('a racer who crashes mid-race and comes back keeps their progress', async () => {
    const { host, url, out } = await startHost([...raceOptions('e2e-back', { autoStart: 2 })]);
    const steady = startRacer('e2e-back', url, 'Steady', ['--sim-speed', '22']);
    const first = startRacer('e2e-back', url, 'Phoenix', ['--player', 'phoenix']);
    await host.waitFor(/RACE TIME [4-9]\./, 40_000);
    first.kill('SIGKILL');
    await host.waitFor(/Phoenix disconnected/);
    const again = startRacer('e2e-back', url, 'Phoenix', ['--player', 'phoenix']);
    await host.waitFor(/Phoenix is back/);
    expect(await host.exited).toBe(0);
    expect(await again.exited).toBe(0);
    expect(await steady.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    const phoenix = results.ranking.find((e) => e.playerId === 'phoenix');
    expect(phoenix?.status).toBe('finished');
    expect(phoenix?.checkpoints).toBe(4);
  });
});
