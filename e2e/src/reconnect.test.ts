import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { raceOptions, startHost, startProxy, startRacer, stopAll } from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

describe('a racer whose connection drops mid-race', () => {
  it('reconnects by itself: reports made while offline are sent and credited, no stale positions, and it finishes', async () => {
    const { host, url, out } = await startHost([
      ...raceOptions('e2e-cut', { autoStart: 2 }),
      '--finish-timeout',
      '20',
    ]);
    const hubPort = Number(new URL(url).port);
    const proxy = await startProxy(hubPort);

    // What goes over the hub, as the host sees it: checkpoint reports and Wobbly's positions.
    const watcher = await mqtt.connectAsync(url, { clientId: 'e2e-watcher', protocolVersion: 4 });
    const reports: { at: number; ts: number; cp: number }[] = [];
    const positions: { at: number; t: number }[] = [];
    watcher.on('message', (topic, payload) => {
      const message = JSON.parse(payload.toString()) as Record<string, unknown>;
      // Receipt on the same machine's clock as the racers' (--no-ntp everywhere).
      const at = Date.now() / 1000;
      if (topic === 'race/e2e-cut/checkpoints' && message.playerId === 'wobbly')
        reports.push({ at, ts: message.ts as number, cp: message.cp as number });
      if (topic === 'race/e2e-cut/pos/wobbly') positions.push({ at, t: message.t as number });
    });
    await watcher.subscribeAsync(['race/e2e-cut/checkpoints', 'race/e2e-cut/pos/wobbly']);

    // Steady is slower, so the race is still on when Wobbly comes back.
    const steady = startRacer('e2e-cut', url, 'Steady', ['--sim-speed', '22']);
    const wobbly = startRacer('e2e-cut', `mqtt://127.0.0.1:${proxy.port}`, 'Wobbly', [
      '--codec',
      'json',
    ]);
    // Cut once the first checkpoint is credited, for long enough to pass at least one more.
    const deadline = performance.now() + 40_000;
    while (!reports.some((r) => r.cp === 1)) {
      if (performance.now() > deadline) throw new Error(`no first checkpoint:\n${wobbly.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    proxy.cut();
    const cutAt = Date.now() / 1000;
    await host.waitFor(/Wobbly disconnected/);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const restoredAt = Date.now() / 1000;
    proxy.restore();
    await wobbly.waitFor(/reconnected to the hub/, 15_000);
    await host.waitFor(/Wobbly is back/);

    expect(await host.exited).toBe(0);
    expect(await wobbly.exited).toBe(0);
    expect(await steady.exited).toBe(0);
    await watcher.endAsync();
    await proxy.close();

    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking.find((e) => e.playerId === 'wobbly')).toMatchObject({
      status: 'finished',
      checkpoints: 4,
    });
    expect(wobbly.output()).toContain('Checkpoints 4/4');
    expect(wobbly.output()).not.toMatch(/has not credited checkpoint/);

    // A checkpoint crossed while offline was kept and reported once the hub was back.
    const crossedOffline = reports.filter((r) => r.ts > cutAt && r.ts < restoredAt);
    expect(crossedOffline.length).toBeGreaterThan(0);
    for (const report of crossedOffline) {
      expect(report.at).toBeGreaterThan(restoredAt);
      // Sent once on reconnecting: not a burst of copies queued while offline.
      const burst = reports.filter((r) => r.cp === report.cp && Math.abs(r.at - report.at) < 1);
      expect(burst).toHaveLength(1);
    }
    // Every checkpoint was reported, none more than a few times.
    const counts = new Map<number, number>();
    for (const report of reports) counts.set(report.cp, (counts.get(report.cp) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(5);

    // Positions are never queued: none arrives while the line is cut, and none the host got
    // after the reconnect is stale (a position stamped just before the restore and sent on the
    // reconnect right after it is fresh, not queued: this compares receive times).
    expect(positions.filter((p) => p.at > cutAt + 0.5 && p.at < restoredAt)).toEqual([]);
    const afterCut = positions.filter((p) => p.at > restoredAt);
    expect(afterCut.length).toBeGreaterThan(10);
    for (const position of afterCut) expect(position.at - position.t).toBeLessThan(1);
  });
});
