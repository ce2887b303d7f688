import { afterAll, describe, expect, it } from 'vitest';
import {
  exitCodes,
  freePort,
  HOST_CLI,
  needs,
  type Program,
  raceOptions,
  restartMosquitto,
  start,
  startMosquitto,
  startProxy,
  startRacer,
  stopAll,
  tempDir,
} from './harness';
import { type Results, raceFiles, readResults } from './results';

afterAll(stopAll);

/** The same bots in every race: name, cruise speed, seed. */
const BOTS = [
  ['Ann', '14', '11'],
  ['Bob', '12', '12'],
] as const;
/** Crossings a finisher has on the e2e course (start excluded). */
const CROSSINGS = 4;

type HubKind = 'embedded' | 'mosquitto';

/** A race under way, and what a chaos step can do to it. */
interface RaceRun {
  readonly raceId: string;
  host: Program;
  readonly racers: Program[];
  /** Where racers reach the hub. */
  readonly url: string;
  readonly mosquitto: Awaited<ReturnType<typeof startMosquitto>> | undefined;
  /** Starts the host again with the very same command. */
  restartHost(): Program;
  /** Starts racer `i` again with the very same command. */
  restartRacer(i: number): Program;
}

async function openRace(
  kind: HubKind,
  raceId: string,
  hostVia?: (port: number) => Promise<string>,
) {
  const out = tempDir();
  const mosquitto = kind === 'mosquitto' ? await startMosquitto() : undefined;
  const port = mosquitto ? undefined : await freePort();
  const hostBroker = mosquitto && hostVia ? await hostVia(mosquitto.port) : mosquitto?.url;
  const hubArgs = mosquitto ? ['--broker', hostBroker as string] : ['--port', String(port)];
  const args = [
    '--exit-after-race',
    '--yes',
    '--no-ntp',
    '--plain',
    '--http-port',
    '0',
    '--out',
    out,
    ...hubArgs,
    ...raceOptions(raceId, { autoStart: BOTS.length }),
  ];
  const url = mosquitto?.url ?? `mqtt://127.0.0.1:${port}`;
  const host = start('host', HOST_CLI, args);
  await host.waitFor(/race \S+ is open on/);
  const racerArgs = (i: number): [string, string[]] => {
    const [name, speed, seed] = BOTS[i] as (typeof BOTS)[number];
    return [name, ['--sim-speed', speed, '--sim-seed', seed]];
  };
  const racers = BOTS.map((_, i) => startRacer(raceId, url, ...racerArgs(i)));
  const run: RaceRun = {
    raceId,
    host,
    racers,
    url,
    mosquitto,
    restartHost() {
      run.host = start('host (again)', HOST_CLI, args);
      return run.host;
    },
    restartRacer(i) {
      const again = startRacer(raceId, url, ...racerArgs(i));
      racers[i] = again;
      return again;
    },
  };
  return { run, out };
}

/** A finished race: the live results, and `results --strict` of its recording. */
interface RaceOutcome {
  readonly results: Results;
  readonly rejudged: Results;
}

/** Runs a race of {@link BOTS}; `chaos` strikes once the first racer has its first checkpoint. */
async function runRace(
  kind: HubKind,
  raceId: string,
  chaos?: (run: RaceRun) => Promise<void>,
  hostVia?: (port: number) => Promise<string>,
): Promise<RaceOutcome> {
  const { run, out } = await openRace(kind, raceId, hostVia);
  if (chaos) {
    await run.racers[0]?.waitFor(/Checkpoints 1\/4/, 90_000);
    await chaos(run);
  }
  const codes = await exitCodes([run.host, ...run.racers], 150_000);
  expect(codes).toEqual([0, ...BOTS.map(() => 0)]);
  run.mosquitto?.program.kill('SIGKILL');
  const files = raceFiles(out);
  const rejudge = start('results', HOST_CLI, [
    'results',
    files.recording,
    '--format',
    'json',
    '--strict',
  ]);
  expect(await rejudge.exited).toBe(0);
  return {
    results: readResults(files.resultsJson),
    rejudged: JSON.parse(rejudge.output()) as Results,
  };
}

const baselines = new Map<HubKind, Results>();

/**
 * What a chaos race cost: checkpoint crossings lost (goal 0) and each racer's final time against
 * the uninterrupted race of the same bots on the same hub, printed for the record; asserted: none
 * lost, every racer finished, and `results` of the recording is the live result.
 */
function report(kind: HubKind, what: string, outcome: RaceOutcome): void {
  const { results, rejudged } = outcome;
  expect(rejudged).toEqual(JSON.parse(JSON.stringify(results)));
  const baseline = baselines.get(kind);
  let lost = 0;
  const times: string[] = [];
  for (const [name] of BOTS) {
    const playerId = name.toLowerCase();
    const entry = results.ranking.find((e) => e.playerId === playerId);
    lost += CROSSINGS - (entry?.checkpoints ?? 0);
    const before = baseline?.ranking.find((e) => e.playerId === playerId)?.time;
    const time = entry?.time;
    times.push(
      `${name} ${time?.toFixed(3) ?? '—'} s (uninterrupted ${before?.toFixed(3) ?? '—'} s${time !== undefined && before !== undefined ? `, ${time - before >= 0 ? '+' : ''}${(time - before).toFixed(3)}` : ''})`,
    );
    expect(entry?.status, `${name} finished`).toBe('finished');
  }
  console.log(`chaos on ${kind}, ${what}: ${lost} checkpoint crossings lost; ${times.join('; ')}`);
  expect(lost).toBe(0);
}

/** Kills the host with SIGKILL and runs the same command again; resolves once it resumed. */
async function killAndResumeHost(run: RaceRun): Promise<void> {
  run.host.kill('SIGKILL');
  await run.host.exited;
  const again = run.restartHost();
  await again.waitFor(
    /RESUMED race \S+ from \S+: \d+ recorded lines replayed; nothing was recorded for [\d.]+ s/,
    60_000,
  );
}

const hubs: HubKind[] = needs('mosquitto') ? ['embedded', 'mosquitto'] : ['embedded'];

describe.each(hubs)('chaos on the %s hub', (kind) => {
  it('an uninterrupted race of the bots (the baseline)', async () => {
    const outcome = await runRace(kind, `chaos-base-${kind}`);
    baselines.set(kind, outcome.results);
    report(kind, 'no chaos', outcome);
  });

  it('the host killed with SIGKILL mid-race and run again resumes the race: nothing lost', async () => {
    const outcome = await runRace(kind, `chaos-host-${kind}`, killAndResumeHost);
    report(kind, 'host kill -9 + resume', outcome);
  });

  it('a racer killed with SIGKILL mid-race and started again keeps its progress', async () => {
    const outcome = await runRace(kind, `chaos-racer-${kind}`, async (run) => {
      const victim = run.racers[1] as Program;
      await victim.waitFor(/Checkpoints 1\/4/, 60_000);
      victim.kill('SIGKILL');
      await victim.exited;
      const again = run.restartRacer(1);
      // Its progress comes back from the host's ranking at once, before it rides on.
      await again.waitFor(/Checkpoints [1-4]\/4/, 30_000);
    });
    report(kind, 'racer kill -9 + restart', outcome);
  });

  if (kind === 'mosquitto')
    it('Mosquitto restarted mid-race: host and racers reconnect, nothing lost', async () => {
      const outcome = await runRace(kind, 'chaos-broker', async (run) => {
        const mosquitto = run.mosquitto as NonNullable<RaceRun['mosquitto']>;
        mosquitto.program.kill('SIGKILL');
        await mosquitto.program.exited;
        await run.host.waitFor(/hub: offline/, 30_000);
        const again = await restartMosquitto(mosquitto.config, mosquitto.port);
        Object.assign(mosquitto, { program: again });
        await run.host.waitFor(/hub: online/, 60_000);
        for (const racer of run.racers) await racer.waitFor(/reconnected to the hub/, 60_000);
      });
      report(kind, 'Mosquitto restart', outcome);
    });

  if (kind === 'mosquitto')
    it("the host's network cut (a TCP proxy) while a checkpoint is crossed: it reconnects, nothing lost", async () => {
      let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
      const outcome = await runRace(
        kind,
        'chaos-cut',
        async (run) => {
          const line = proxy as NonNullable<typeof proxy>;
          line.cut();
          await run.host.waitFor(/hub: offline/, 60_000);
          // A crossing happens while the host hears nothing.
          await run.racers[0]?.waitFor(/Checkpoints 2\/4/, 60_000);
          line.restore();
          await run.host.waitFor(
            /hub: online[\s\S]*hub: online|hub: reconnecting[\s\S]*hub: online/,
            60_000,
          );
        },
        async (port) => {
          proxy = await startProxy(port);
          return `mqtt://127.0.0.1:${proxy.port}`;
        },
      );
      await proxy?.close();
      report(kind, 'host network cut', outcome);
    });
});
