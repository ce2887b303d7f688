import { expect } from 'vitest';
import {
  exitCodes,
  type Program,
  RACER_CLI,
  raceOptions,
  start,
  startHost,
  startHostOnBroker,
  startRacer,
} from './harness';
import { plainLines, raceFiles, readResults } from './results';

/** Starts a host for a race on some hub; resolves once racers can join at `url`. */
export type HubStarter = (args: string[]) => Promise<{ host: Program; url: string; out: string }>;

/** A host with its embedded hub. */
export const embeddedHub: HubStarter = (args) => startHost(args);

/** A host on an external broker at `url` (a Mosquitto). */
export function externalHub(url: string): HubStarter {
  return async (args) => ({ url, ...(await startHostOnBroker(url, args)) });
}

/**
 * Two honest racers (one sending JSON positions) and one whose bot teleports: the honest ones
 * finish first, the cheater is flagged and not finished. Resolves with the host's output folder.
 */
export async function cheaterRace(
  hub: HubStarter,
  raceId: string,
): Promise<{ host: Program; out: string; racers: Program[] }> {
  const { host, url, out } = await hub([
    ...raceOptions(raceId, { autoStart: 3 }),
    '--finish-timeout',
    '12',
  ]);
  const racers = [
    startRacer(raceId, url, 'Alice'),
    startRacer(raceId, url, 'Bob', ['--codec', 'json']),
    startRacer(raceId, url, 'Mallory', ['--sim-cheat', 'teleport']),
  ];
  await host.waitFor(/START: the race starts in 2 s/);
  expect(await exitCodes([host, ...racers])).toEqual([0, ...racers.map(() => 0)]);
  expect(racers[0]?.output()).toMatch(/Final results:/);

  const results = readResults(raceFiles(out).resultsJson);
  expect(results.final).toBe(true);
  const status = Object.fromEntries(results.ranking.map((entry) => [entry.playerId, entry.status]));
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
  // Waiting at the start is not a gap in anyone's stream (standing racers keep sending).
  expect(
    results.flags.filter((flag) => flag.playerId !== 'mallory' && flag.kind === 'gap'),
  ).toEqual([]);
  return { host, out, racers };
}

/** A spectator watches a one-racer race: sees the final results, sends nothing but presence and pings. */
export async function spectatorRace(hub: HubStarter, raceId: string): Promise<void> {
  const { host, url, out } = await hub([...raceOptions(raceId, { autoStart: 1 })]);
  const spectator = start('spectator', RACER_CLI, [
    '--race',
    raceId,
    '--broker',
    url,
    '--name',
    'Watcher',
    '--spectator',
    '--no-ntp',
    '--plain',
  ]);
  await host.waitFor(/Watcher joined as spectator/);
  const racer = startRacer(raceId, url, 'Solo');
  expect(await exitCodes([host, racer, spectator])).toEqual([0, 0, 0]);
  expect(spectator.output()).toMatch(/Final results:[\s\S]*Solo\s+finished/);
  const results = readResults(raceFiles(out).resultsJson);
  expect(results.ranking.map((e) => e.playerId)).toEqual(['solo']);
  // Presence, and clock pings (the countdown runs on the organizer's clock): nothing else.
  const fromWatcher = plainLines(raceFiles(out).recording).filter(
    (line) =>
      JSON.stringify(line).includes('"watcher"') &&
      !JSON.stringify(line).match(/"kind":"(presence|ping|state|ranking)"/),
  );
  expect(fromWatcher).toEqual([]);
}
