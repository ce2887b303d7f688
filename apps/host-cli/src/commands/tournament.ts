import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  AppError,
  canPrompt,
  createScreen,
  type KeyListener,
  listenKeys,
  numberOption,
  parseCommandLine,
  parseHubUrl,
} from '@gw2race/app-shared';
import { type EmbeddedBroker, MQTT_WS_PATH } from '@gw2race/app-shared/hub';
import type { OffsetEstimator } from '@gw2race/clock-sync';
import { closeClient, redactUrl } from '@gw2race/hub-client';
import {
  buildTopic,
  type ControlMessage,
  encodeMessage,
  type Standings,
  type TournamentRace,
  type Track,
} from '@gw2race/protocol';
import type { RaceResults } from '@gw2race/race-engine';
import { computeStandings, encodeStandingsCsv, raceEntrants } from '@gw2race/standings';
import type { MqttClient } from 'mqtt';
import { checkHubFlags, connectHost, listenViewer, startRaceHub } from '../host/hub-wiring';
import { loadTrack } from '../host/load-track';
import { createHostSession, type HostOutcome, type HostSession } from '../host/session';
import { type LoadedTournament, loadTournament, trackSpecOf } from '../tournament/load-tournament';
import { formatStandingsTable } from '../tournament/standings-table';
import { createTournamentAccess } from '../tournament/tournament-access';
import { webAppDir } from '../web/static-dir';
import { attachWebApp, closeWebServer, type RaceFiles } from '../web/web-server';
import { HUB_SCREEN_OPTIONS } from './hub-options';
import { organizerClock } from './run';

export const TOURNAMENT_USAGE = `Usage: gw2race-host tournament FILE [options]

Runs a tournament (FILE: a tournament JSON, see the README's "Tournaments") race after race on
one hub: each race with its own race id, recording and results in --out, and standings.json /
standings.csv there after each race. Racers' clients follow from race to race. After a race's
results the organizer moves on with [n] (or --auto-advance).

  --out DIR              recordings, results and standings (default ./results)
  --auto-advance S       move on to the next race S seconds after a race's results
                         (needed when not run in a terminal)
  --auto-start N|all     start each race once N racers (all: its entrants) are ready
  --start-delay S        seconds from START to the start instant (default 60)
  --time-limit S, --finish-timeout S, --rejoin-grace S, --state-every S   as for run
  --broker URL, --username, --password, --password-file, --ca, --viewer-broker, --listen,
  --port, --http-port, --no-http, --hub-connections, --ntp, --no-ntp, --plain   as for run`;

const TOURNAMENT_OPTIONS = {
  out: { type: 'string' },
  'auto-advance': { type: 'string' },
  'auto-start': { type: 'string' },
  'start-delay': { type: 'string' },
  'time-limit': { type: 'string' },
  'finish-timeout': { type: 'string' },
  'rejoin-grace': { type: 'string' },
  'state-every': { type: 'string' },
  ...HUB_SCREEN_OPTIONS,
} as const;

type Values = NonNullable<ReturnType<typeof parseCommandLine<typeof TOURNAMENT_OPTIONS>>>['values'];
type Screen = ReturnType<typeof createScreen>;

/** What every race of the tournament runs on, and what they share. */
interface Tournament {
  readonly loaded: LoadedTournament;
  readonly tracks: readonly Track[];
  readonly values: Values;
  readonly version: string;
  readonly outDir: string;
  readonly clock: OffsetEstimator;
  readonly screen: Screen;
  readonly hostToken: string;
  readonly hubUrl: string;
  readonly broker: EmbeddedBroker | undefined;
  readonly http: Server | undefined;
  readonly webUrl: string | undefined;
  readonly results: Record<string, RaceResults>;
  /** Each run race's recording and results files, for the viewer. */
  readonly files: Map<string, RaceFiles>;
  /** The race running now, for the viewer and the keys. */
  current: HostSession | undefined;
  /** Resolves the wait between races. */
  advance: (() => void) | undefined;
  /** The standings now (before the first race: everyone at 0, the first grids). */
  standings: Standings;
}

const rule = (value: string | undefined, flag: string) =>
  value === undefined ? undefined : numberOption(value, flag, 0, { min: 0, max: 86_400 });

/** Every race's track, loaded before the first race starts (a bad one stops nothing midway). */
async function loadTracks(loaded: LoadedTournament): Promise<Track[]> {
  const tracks: Track[] = [];
  for (const race of loaded.tournament.races) {
    try {
      tracks.push(
        await loadTrack(
          trackSpecOf(race.track, loaded.dir),
          race.map !== undefined ? { mapId: race.map } : {},
        ),
      );
    } catch (error) {
      if (error instanceof AppError)
        throw new AppError(error.code, `race ${race.id}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return tracks;
}

/** The hub (embedded unless --broker, with rules that follow the race) and the viewer's server. */
async function openHub(values: Values, raceIds: string[], hostToken: string, screen: Screen) {
  checkHubFlags(values);
  const listen = values.listen ?? '127.0.0.1';
  const viewer = values['no-http'] ? undefined : await listenViewer(values, listen);
  const access =
    values.broker === undefined ? createTournamentAccess(hostToken, raceIds) : undefined;
  const broker = access
    ? await startRaceHub(values, {
        listen,
        raceId: raceIds[0] as string,
        hostToken,
        http: viewer?.http,
        access: access.access,
        onRefused: (clientId, topic, reason) =>
          screen.log(`hub: refused ${clientId} on ${topic}: ${reason}`),
        log: (line) => screen.log(line),
      })
    : undefined;
  return {
    broker,
    http: viewer?.http,
    webUrl: viewer?.webUrl,
    hubUrl: broker?.url ?? (values.broker as string),
  };
}

/** The viewer follows the race running now. */
function serveViewer(t: Tournament): void {
  if (!t.http) return;
  attachWebApp(t.http, {
    staticDir: webAppDir(),
    info: () => ({
      mode: 'live',
      raceId: t.current?.options.raceId,
      name: t.loaded.tournament.name,
      track: t.current?.options.track ?? null,
      mqttPath: t.broker ? MQTT_WS_PATH : undefined,
      recording: (t.current?.recordingPath ?? '') !== '',
      version: t.version,
      tournament: true,
    }),
    recordingPath: () => t.current?.recordingPath || undefined,
    hostToken: t.hostToken,
    onCommand: (command) =>
      t.current ? t.current.command(command) : { ok: false, error: 'no race is running' },
    organizerNowMs: () => t.clock.now(),
    standings: () => t.standings,
    raceFiles: (raceId) => raceFilesOf(t, raceId),
    log: (line) => t.screen.log(line),
  });
}

/** A race's files for the viewer: the run ones, the one running (its recording so far), or none yet. */
function raceFilesOf(t: Tournament, raceId: string): RaceFiles | undefined {
  const done = t.files.get(raceId);
  if (done) return done;
  if (t.current?.options.raceId === raceId)
    return { recording: t.current.recordingPath || undefined };
  return t.loaded.tournament.races.some((race) => race.id === raceId) ? {} : undefined;
}

/** Publishes a control command on a race (QoS 1), waiting for the hub to take it. */
async function sendControl(client: MqttClient, raceId: string, message: ControlMessage) {
  await client.publishAsync(
    buildTopic(raceId, 'control'),
    Buffer.from(encodeMessage('control', message)),
    {
      qos: 1,
    },
  );
}

/** Tells each racer of a race where they stand now. */
async function sendStandings(client: MqttClient, raceId: string, standings: Standings) {
  const race = standings.races.find((r) => r.id === raceId);
  for (const score of race?.scores ?? []) {
    const standing = standings.standings.find((s) => s.playerId === score.playerId);
    if (!standing) continue;
    await sendControl(client, raceId, {
      cmd: 'STANDING',
      to: score.playerId,
      position: standing.position,
      of: standings.standings.length,
      points: standing.points,
      racePoints: score.points,
      ...(standing.tied ? { tied: true } : {}),
    });
  }
}

/** Writes standings.json and standings.csv in --out, each whole or not at all. */
async function writeStandings(outDir: string, standings: Standings): Promise<void> {
  const files: [string, string][] = [
    ['standings.json', `${JSON.stringify(standings, null, 2)}\n`],
    ['standings.csv', encodeStandingsCsv(standings)],
  ];
  for (const [name, text] of files) {
    const path = join(outDir, name);
    await writeFile(`${path}.part`, text);
    await rename(`${path}.part`, path);
  }
}

/** How many ready racers start a race: --auto-start N, or all its entrants. */
function autoStartOf(t: Tournament, race: TournamentRace): number | undefined {
  const flag = t.values['auto-start'];
  if (flag === undefined) return undefined;
  if (flag !== 'all')
    return numberOption(flag, 'auto-start', 1, { min: 1, max: 1000, integer: true });
  return raceEntrants(t.loaded.tournament, race.id, t.results)?.length;
}

/** The host session of one race, on a fresh host connection to the hub. */
async function openRace(t: Tournament, index: number) {
  const { races } = t.loaded.tournament;
  const race = races[index] as TournamentRace;
  const { client, positionClients } = await connectHost(
    t.values,
    { url: t.hubUrl, embedded: t.broker !== undefined, raceId: race.id, hostToken: t.hostToken },
    (line) => t.screen.log(line),
  );
  const track = t.tracks[index] as Track;
  const session = createHostSession({
    client,
    positionClients,
    raceId: race.id,
    track,
    name: t.loaded.tournament.name,
    laps: race.laps ?? track.laps ?? 1,
    startRule: race.startRule ?? 'mass',
    startDelay: rule(t.values['start-delay'], 'start-delay') ?? 60,
    autoStart: autoStartOf(t, race),
    timeLimit: rule(t.values['time-limit'], 'time-limit'),
    finishTimeout: rule(t.values['finish-timeout'], 'finish-timeout'),
    ...(t.values['rejoin-grace'] !== undefined
      ? { rejoinGrace: rule(t.values['rejoin-grace'], 'rejoin-grace') as number }
      : {}),
    ...(t.values['state-every'] !== undefined
      ? { stateRepublish: rule(t.values['state-every'], 'state-every') as number }
      : {}),
    outDir: t.outDir,
    clock: t.clock,
    version: t.version,
    log: (line) => t.screen.log(`[${race.id}] ${line}`),
    changed: () => {},
    tournament: { race: index + 1, races: races.length },
  });
  return { race, client, positionClients, session };
}

/** Runs one race from its opening to its results; returns them with the host connection. */
async function runRace(t: Tournament, index: number) {
  const opened = await openRace(t, index);
  const { race, session } = opened;
  t.current = session;
  await session.start();
  const grid = raceEntrants(t.loaded.tournament, race.id, t.results);
  const shown = redactUrl(parseHubUrl(t.hubUrl));
  t.screen.log(
    `race ${race.id} is open on ${shown}: race ${index + 1} of ${t.loaded.tournament.races.length} (${race.kind}${race.name ? `, ${race.name}` : ''})`,
  );
  if (grid)
    t.screen.log(`entrants of ${race.id}: ${grid.map((p) => p.name ?? p.playerId).join(', ')}`);
  if (canPrompt())
    t.screen.log(
      'keys: [s] start  [e] end the race  [a] abort  (after the results: [n] next race)',
    );
  const outcome: HostOutcome = await session.done;
  return { ...opened, outcome };
}

/** Waits until the organizer moves on: [n], or --auto-advance seconds. */
function waitToAdvance(t: Tournament, next: TournamentRace | undefined): Promise<void> {
  const seconds = rule(t.values['auto-advance'], 'auto-advance');
  t.screen.log(
    `${next ? `next: ${next.id}` : 'that was the last race'}; ${seconds !== undefined ? `moving on in ${seconds} s` : 'press [n] to go on'}`,
  );
  return new Promise((resolve) => {
    const timer = seconds !== undefined ? setTimeout(resolve, seconds * 1000) : undefined;
    t.advance = () => {
      if (timer) clearTimeout(timer);
      t.advance = undefined;
      resolve();
    };
  });
}

/** The organizer's keys: for the race running now, and [n] between races. */
function listenTournamentKeys(t: Tournament): KeyListener {
  return listenKeys((text, key) => {
    const name = key?.name ?? text;
    const race = t.current;
    if (key?.ctrl && name === 'c') {
      if (race && race.stage !== 'post') void race.end('stopped by the organizer');
      // Between races: the last race's recording is closed first (it stays open for rulings).
      else
        void (race?.close() ?? Promise.resolve()).finally(() =>
          process.kill(process.pid, 'SIGINT'),
        );
      return;
    }
    if (name === 'n' && t.advance) t.advance();
    else if (!race) return;
    else if (name === 's' && race.stage === 'pre') race.startRace();
    else if (name === 'e' && race.stage !== 'post') void race.end('ended by the organizer');
    else if (name === 'a' && race.stage === 'active') void race.abort('aborted by the organizer');
  });
}

/** A race's results count: the standings are computed again and written. */
async function countResults(t: Tournament, raceId: string, outcome: HostOutcome) {
  t.results[raceId] = outcome.results;
  t.files.set(raceId, {
    recording: outcome.recording,
    resultsJson: outcome.resultsJson,
    resultsCsv: outcome.resultsCsv,
  });
  const standings = computeStandings(t.loaded.tournament, t.results);
  t.standings = standings;
  await writeStandings(t.outDir, standings);
  for (const warning of standings.warnings) t.screen.log(`standings: ${warning}`);
  t.screen.log(`results: ${outcome.resultsJson}; standings: ${join(t.outDir, 'standings.json')}`);
  for (const line of formatStandingsTable(standings).trimEnd().split('\n')) t.screen.log(line);
  return standings;
}

/** One race, its results and standings, and the move to the next. */
async function raceAndStandings(t: Tournament, index: number): Promise<Standings> {
  const { races } = t.loaded.tournament;
  const { race, client, positionClients, outcome, session } = await runRace(t, index);
  let standings = await countResults(t, race.id, outcome);
  await sendStandings(client, race.id, standings);
  const next = races[index + 1];
  await waitToAdvance(t, next);
  // Rulings made between races (the viewer's Organizer tab) are in the recording and the
  // results: the race's recording is closed, and the standings follow the amended results.
  const closed = await session.close();
  if (closed && closed.results !== outcome.results) {
    t.screen.log(`${race.id}: a ruling after the end changed its results`);
    standings = await countResults(t, race.id, closed);
  }
  await sendControl(client, race.id, {
    cmd: 'NEXT_RACE',
    ...(next ? { next: next.id, ...(next.name ? { name: next.name } : {}) } : {}),
  });
  await closeClient(client);
  for (const positions of positionClients) positions.end(true);
  return standings;
}

/** `gw2race-host tournament FILE`: the races of a tournament, one after the other. */
export async function tournamentCommand(args: string[], version: string): Promise<number> {
  const command = parseCommandLine(args, TOURNAMENT_OPTIONS, TOURNAMENT_USAGE);
  if (!command) return 0;
  const { values, positionals } = command;
  if (positionals.length !== 1)
    throw new AppError('USAGE', 'give one tournament file', { hint: TOURNAMENT_USAGE });
  if (values['auto-advance'] === undefined && !canPrompt())
    throw new AppError(
      'USAGE',
      'give --auto-advance SECONDS when not run in a terminal (nobody can press [n])',
    );
  rule(values['auto-advance'], 'auto-advance');
  const loaded = await loadTournament(positionals[0] as string);
  const tracks = await loadTracks(loaded);
  const outDir = values.out ?? 'results';
  await mkdir(outDir, { recursive: true });
  const screen = createScreen(process.stdout, { forcePlain: true });
  const { clock, note } = await organizerClock(values.ntp, values['no-ntp'] ?? false);
  screen.log(
    `${loaded.tournament.name}: ${loaded.tournament.races.length} races; organizer clock: ${note}`,
  );
  const hostToken = randomBytes(12).toString('base64url');
  const raceIds = loaded.tournament.races.map((race) => race.id);
  const hub = await openHub(values, raceIds, hostToken, screen);
  const t: Tournament = {
    loaded,
    tracks,
    values,
    version,
    outDir,
    clock,
    screen,
    hostToken,
    ...hub,
    results: {},
    files: new Map(),
    current: undefined,
    advance: undefined,
    standings: computeStandings(loaded.tournament, {}),
  };
  serveViewer(t);
  if (t.webUrl) screen.log(`viewer: ${t.webUrl}`);
  const keys = canPrompt() ? listenTournamentKeys(t) : undefined;
  let standings: Standings | undefined;
  try {
    for (let i = 0; i < loaded.tournament.races.length; i++)
      standings = await raceAndStandings(t, i);
  } finally {
    keys?.stop();
    screen.close();
    await hub.broker?.close();
    if (hub.http) await closeWebServer(hub.http);
  }
  if (standings) process.stdout.write(`\n${formatStandingsTable(standings)}`);
  return 0;
}
