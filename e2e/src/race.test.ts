import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CLI, raceOptions, start, startHost, startRacer, stopAll } from './harness';
import { plainLines, raceFiles, readResults } from './results';
import { cheaterRace, embeddedHub, spectatorRace } from './scenarios';

afterAll(stopAll);

describe.concurrent('a whole race on the embedded hub', () => {
  it('honest racers finish, a teleporting one is flagged, and the recording re-judges to the same results', async () => {
    const { host, out } = await cheaterRace(embeddedHub, 'e2e-race');
    const files = raceFiles(out);
    expect(host.output()).toContain(`Recording: ${files.recording}`);

    // Re-judging the recording gives the live results, in both formats.
    const rejudged = start('results', HOST_CLI, ['results', files.recording, '--format', 'json']);
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

  it('a spectator watches the race and sends nothing but presence (and clock pings)', async () => {
    await spectatorRace(embeddedHub, 'e2e-spec');
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
    // The restarted client took its progress from the host's ranking: its count went on to the end.
    expect(again.output()).toContain('Checkpoints 4/4');
  });

  it('ends the race at --time-limit with whoever has not finished yet not finished', async () => {
    const { host, url, out } = await startHost([
      ...raceOptions('e2e-limit', { autoStart: 1 }),
      '--time-limit',
      '4',
    ]);
    const slow = startRacer('e2e-limit', url, 'Snail', ['--sim-speed', '5']);
    await host.waitFor(/time limit of 4 s reached/, 30_000);
    expect(await host.exited).toBe(0);
    expect(await slow.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.final).toBe(true);
    expect(results.ranking).toMatchObject([{ playerId: 'snail' }]);
    expect(results.ranking[0]?.status).not.toBe('finished');
    expect(slow.output()).toMatch(/Final results:[\s\S]*Snail/);
  });
});
