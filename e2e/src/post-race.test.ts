import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, HOST_CLI, raceOptions, start, startHost, startRacer, stopAll } from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

/** The organizer's viewer address with its token, from the owner-only file a piped host writes. */
async function organizerLink(host: { waitFor(p: RegExp): Promise<RegExpMatchArray> }) {
  const match = await host.waitFor(/organizer controls: in (\S+) \(not printed/);
  return new URL(readFileSync(match[1] as string, 'utf8').trim());
}

describe('the post-race stage', () => {
  it('stays open after END for rulings that count in the recording, and closes on SIGINT; racers are told the race is over', async () => {
    const { host, url, out } = await startHost(
      [...raceOptions('e2e-post', { autoStart: 2 }), '--finish-timeout', '20'],
      undefined,
      { stayOpen: true },
    );
    const link = await organizerLink(host);
    // What racers and viewers see on the hub: the last ranking is the final live one.
    const observer = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const rankings: { final?: boolean; entries: { playerId: string; status: string }[] }[] = [];
    observer.on('message', (_topic, payload) => rankings.push(JSON.parse(payload.toString())));
    await observer.subscribeAsync('race/e2e-post/ranking', { qos: 1 });
    const ann = startRacer('e2e-post', url, 'Ann', ['--sim-speed', '30']);
    const bob = startRacer('e2e-post', url, 'Bob', ['--sim-speed', '20', '--stay']);
    await host.waitFor(/END: every racer finished/, 60_000);
    await host.waitFor(/the race is over; the viewer stays open at http:\S+ for the results/);
    await host.waitFor(/Ctrl-C \(SIGINT\) or SIGTERM closes the race and quits: kill -INT \d+/);
    expect(await exitOf(ann)).toBe(0);
    const files = raceFiles(out);
    expect(readResults(files.resultsJson).ranking.map((r) => r.playerId)).toEqual(['ann', 'bob']);

    // After the end the host is still there: the recording so far, and a ruling on a flag.
    const token = link.searchParams.get('token') as string;
    const recording = await fetch(new URL('/api/recording', link));
    expect(recording.status).toBe(200);
    await recording.arrayBuffer();
    const ruled = await fetch(new URL('/api/control', link), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'ruling', playerId: 'ann', ruling: 'dsq', reason: 'cut' }),
    });
    expect(await ruled.json()).toEqual({ ok: true });
    await host.waitFor(/ruling: dsq Ann \(cut\)/);
    await host.waitFor(/results written again after the ruling/);
    await bob.waitFor(/Ruling: ann was disqualified \(cut\)/);

    host.kill('SIGINT');
    expect(await exitOf(host, 30_000)).toBe(0);
    expect(host.output()).not.toMatch(/end the race|again within/);
    // The racer who stayed is told the race is over, not that the hub was lost.
    await bob.waitFor(/the race is over and the host has closed it/);
    expect(bob.output()).not.toContain('lost the hub');
    bob.kill('SIGINT');
    observer.end(true);

    const final = rankings.at(-1);
    expect(final?.final).toBe(true);
    const live = final?.entries.map((e) => [e.playerId, e.status]);
    expect(live).toEqual([
      ['bob', 'finished'],
      ['ann', 'dsq'],
    ]);
    const written = readResults(files.resultsJson);
    expect(written.ranking.map((r) => [r.playerId, r.status])).toEqual(live);
    // Re-judging the recording gives the final live ranking, the ruling after the end included.
    const rejudged = start('results', HOST_CLI, ['results', files.recording, '--format', 'json']);
    expect(await exitOf(rejudged)).toBe(0);
    const again = JSON.parse(rejudged.output()) as typeof written;
    expect(again.ranking.map((r) => [r.playerId, r.status])).toEqual(live);
    expect(again).toEqual(written);
    // The host's last words: the final table (with the ruling), the files and the replay command.
    expect(host.output()).toMatch(/Results of gw2race[\s\S]*Bob[\s\S]*Replay: .* replay \S+/);
  });
});
