import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import {
  AppError,
  canPrompt,
  createColors,
  createScreen,
  type KeyListener,
  type KeyPress,
  listenKeys,
  parseCommandLine,
  parseHubUrl,
  selfCommand,
} from '@gw2race/app-shared';
import { type EmbeddedBroker, MQTT_WS_PATH } from '@gw2race/app-shared/hub';
import { createOffsetEstimator, type OffsetEstimator } from '@gw2race/clock-sync';
import { DEFAULT_SNTP_SERVERS, pollSntp } from '@gw2race/clock-sync/node';
import type { CredentialCheck } from '@gw2race/hub';
import { closeClient, redactUrl } from '@gw2race/hub-client';
import { DIRECTOR_DEFAULTS } from '@gw2race/race-director';
import {
  type HostIdentity,
  listenForAnotherHost,
  lockRace,
  newHostIdentity,
} from '../host/authority';
import {
  closeRace,
  createRaceVerifier,
  inviteLines,
  readInvitedPlayers,
} from '../host/closed-race';
import { type HubTls, loadHubTls } from '../host/hub-tls';
import {
  checkHubFlags,
  checkHubPort,
  connectHost,
  listenViewer,
  startRaceHub,
} from '../host/hub-wiring';
import { CONFIRM_LINE, createInterruptGuard } from '../host/interrupt-guard';
import { formatJoinLines, invitationHubUrl, type JoinHub } from '../host/join-lines';
import { BUNDLED_TRACKS, DEFAULT_TRACK } from '../host/load-track';
import { postRaceLines } from '../host/post-race';
import { checkRaceFlags, type RaceSetup, setupRace } from '../host/race-setup';
import { openResumePoint, type ResumePoint } from '../host/resume-recording';
import { createHostSession, type HostOutcome, type HostSession } from '../host/session';
import { type HostScreenInfo, renderHostScreen } from '../ui/host-screen';
import { webAppDir } from '../web/static-dir';
import { attachWebApp, closeWebServer } from '../web/web-server';
import { HUB_SCREEN_OPTIONS } from './hub-options';
import { resultsTable } from './results-table';

export { viewerBrokerUrl } from '../host/hub-wiring';

export const RUN_USAGE = `Usage: gw2race-host [run] [options]

Hosts a Guild Wars 2 race: an MQTT hub for the racers (embedded by default), live judging and
ranking, a recording of everything, and the results. Asks for what is missing when run in a
terminal; every answer is also an option.

Race:
  --name TEXT          tournament name (default "gw2race")
  --race ID            server code racers type (default: generated)
  --track FILE|NAME    gw2race track JSON, Beetlerank CSV, or a bundled track: ${Object.keys(BUNDLED_TRACKS).join(', ')} (default ${DEFAULT_TRACK})
  --map ID             GW2 map id of the track (Beetlerank files do not say)
  --laps N             laps (default: the track's, else 1)
  --time-trial         each racer's clock starts on leaving the start (default: mass start at t0)
  --start-delay S      seconds from START to the start instant t0 (default 60)
  --auto-start N       publish START once N racers are ready
  --time-limit S       end the race S seconds after t0
  --finish-timeout S   end the race S seconds after the first finisher
  --rejoin-grace S     a racer whose connection dropped still counts as racing for S seconds, so
                       the race does not end while they reconnect (default ${DIRECTOR_DEFAULTS.rejoinGrace})
  --state-every S      republish the unchanged race state every S seconds, for racers on a broker
                       node or tier that keeps no retained message (default ${DIRECTOR_DEFAULTS.stateRepublish}; 0: only
                       when a racer asks for it or joins)
  --out DIR            where the recording and results go (default ./results)
  --new                start the race afresh even when --out holds a recording of it (by default
                       an unfinished one is resumed: see "If the host crashes" in the README)
  --exit-after-race    quit once the results are written (for scripts); by default the post-race
                       stage stays open (viewer, replay, rulings on flags) until q, Ctrl-C or SIGTERM
Who races (see "Closed races and invitations" in the README):
  --players "Ann,Bob"  a closed race: one invitation code per player (printed, and written to
                       {out}/race_{id}.invitations.json), plus a code for spectators; nobody else
                       joins, and the host verifies every racer's signatures
  --players-file FILE  the same, one name per line
  --invite-hub URL     the hub address the codes carry (default: this machine's first LAN address
                       on --listen 0.0.0.0, else the --listen address, or --broker)
  --open               anyone who has the server code joins (the default without --players)
  --tls                the embedded hub serves mqtts, with a self-signed certificate made on first
                       use ({out}/race_{id}.tls-cert.pem, key mode 0600, reused on restart); the
                       codes carry its SHA-256, so racers trust it without a certificate authority
  --tls-cert FILE, --tls-key FILE   mqtts with your own certificate and key (PEM)
Hub:
  --broker URL         use an external hub (mqtt://, mqtts://, ws://, wss://) instead of the embedded one
  --username U, --password P, --ca FILE   credentials and certificate authority for --broker
  --password-file FILE                    the password from a file's first line (or GW2RACE_PASSWORD;
                                          --password shows in ps)
  --viewer-broker URL  with --broker: the hub's MQTT-over-WebSocket URL (ws://, wss://) for the
                       viewer's live view (default: --broker itself when it is ws:// or wss://)
  --listen HOST        interface of the embedded hub and the viewer (default 127.0.0.1; 0.0.0.0 for a LAN race)
  --port N             MQTT port of the embedded hub (default 1883)
  --http-port N        the race viewer, and on the embedded hub MQTT over WebSocket on /mqtt
                       (default 8080; 0 picks a free port)
  --hub-connections N  spread racers' position streams over N more connections (hubs that cap one
                       connection's incoming messages; see the README)
  --max-connections-per-address N
                       the embedded hub refuses more open connections than N from one address
                       (default 50; 127.0.0.1 and ::1 are never counted, so local bots and
                       benches are not capped; behind a reverse proxy raise it)
  --no-http            no viewer (and no WebSocket for the embedded hub)
Other:
  --ntp SERVERS        SNTP servers for the organizer clock (default ${DEFAULT_SNTP_SERVERS.join(',')})
  --no-ntp             use this machine's clock as it is
  --yes                never ask; take defaults for what is not given
  --plain              no screen redraw: print updates as lines
  -h, --help`;

const RUN_OPTIONS = {
  name: { type: 'string' },
  race: { type: 'string' },
  track: { type: 'string' },
  map: { type: 'string' },
  laps: { type: 'string' },
  'time-trial': { type: 'boolean' },
  'start-delay': { type: 'string' },
  'auto-start': { type: 'string' },
  'time-limit': { type: 'string' },
  'finish-timeout': { type: 'string' },
  'rejoin-grace': { type: 'string' },
  'state-every': { type: 'string' },
  out: { type: 'string' },
  players: { type: 'string' },
  'players-file': { type: 'string' },
  'invite-hub': { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  open: { type: 'boolean' },
  new: { type: 'boolean' },
  'exit-after-race': { type: 'boolean' },
  ...HUB_SCREEN_OPTIONS,
} as const;

type Screen = ReturnType<typeof createScreen>;

/** The organizer's clock: monotonic, disciplined once by SNTP before the race (never during). */
export async function organizerClock(
  ntp: string | undefined,
  off: boolean,
): Promise<{ clock: OffsetEstimator; note: string }> {
  const clock = createOffsetEstimator();
  if (off) return { clock, note: 'this machine (SNTP off)' };
  const servers =
    ntp
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? DEFAULT_SNTP_SERVERS;
  try {
    const poll = await pollSntp({
      servers,
      samplesPerServer: 3,
      intervalMs: 300,
      timeoutMs: 1500,
      retries: 0,
      estimator: clock,
    });
    const truechimers = poll.servers.filter((s) => s.truechimer).length;
    return {
      clock,
      note: `UTC via SNTP (± ${poll.boundMs.toFixed(1)} ms, ${truechimers} servers)`,
    };
  } catch {
    return { clock, note: 'this machine (no SNTP answer: offline?)' };
  }
}

/** The hint line under the screen: the keys of this stage, and the auto-start count. */
function keysLine(race: HostSession, setup: RaceSetup): string {
  const { autoStart, startDelay } = setup;
  if (race.stage === 'pre') {
    const ready = race.readyRacers().length;
    return `${canPrompt() ? `keys: [s] start in ${startDelay} s  [m] message  [q] quit` : ''}${autoStart !== undefined ? `   auto-start when ${autoStart} racers are ready (${ready}/${autoStart})` : ''}`;
  }
  if (!canPrompt()) return '';
  if (race.stage === 'post')
    return 'the race is over · keys: [q] or Ctrl-C close the race and quit';
  return `keys: [m] message  [p] ${race.paused ? 'resume' : 'pause'}  [e] end the race now  [a] abort  (Ctrl-C twice: end)`;
}

/**
 * The organizer's keys in a terminal: each becomes a director command; after the end `q` and
 * Ctrl-C close the post-race stage (`quit`), with nothing left to confirm.
 */
function listenOrganizerKeys(
  race: HostSession,
  screen: Screen,
  redraw: () => void,
  quit: () => void,
): KeyListener {
  const askMessage = async () => {
    screen.hold();
    try {
      const text = await keys.readLine('\nMessage to every racer (empty to cancel): ');
      if (text) race.command({ action: 'message', text: text.slice(0, 500) });
    } finally {
      screen.release();
      redraw();
    }
  };
  const guard = createInterruptGuard(() => performance.now() / 1000);
  const interrupt = () => {
    // Before the start nothing is lost: end and quit. Mid-race, ask first; after the end, quit.
    if (race.stage !== 'active') {
      if (race.stage === 'pre') void race.end('stopped by the organizer');
      quit();
    } else if (guard.press(true) === 'end') void race.end('stopped by the organizer');
    else screen.log(CONFIRM_LINE);
  };
  const onKey = (text: string | undefined, key: KeyPress | undefined) => {
    if (key?.ctrl && key.name === 'c') {
      interrupt();
      return;
    }
    const name = key?.name ?? text;
    if (name === 's' && race.stage === 'pre') race.startRace();
    else if (name === 'p') race.command({ action: race.paused ? 'resume' : 'pause' });
    else if (name === 'q') interrupt();
    else if (name === 'e') void race.end('ended by the organizer');
    else if (name === 'a' && race.stage === 'active') void race.abort('aborted by the organizer');
    else if (name === 'm') {
      void askMessage();
      return;
    }
    redraw();
  };
  const keys = listenKeys(onKey);
  return keys;
}

/** The results table and where the files went, on stdout. */
function printResults(race: HostSession, setup: RaceSetup, outcome: HostOutcome): void {
  const colors = createColors();
  const { results } = outcome;
  process.stdout.write(
    `\n${colors.bold(`Results of ${setup.name}, race ${setup.raceId}`)}${results.aborted ? ' (aborted)' : ''}: ${race.endReason ?? ''}\n`,
  );
  // The same table `results FILE` prints (flags to review by name), less its headline.
  process.stdout.write(`${resultsTable(results).split('\n').slice(2).join('\n')}\n`);
  process.stdout.write(
    `Recording: ${outcome.recording}\nResults:   ${outcome.resultsJson}\n           ${outcome.resultsCsv}\n           ${outcome.splitsCsv}\n`,
  );
  const self = selfCommand('gw2race-host', 'host', ['demo']);
  process.stdout.write(
    `Re-judge:  ${self} results ${outcome.recording}\nReplay:    ${self} replay ${outcome.recording}\n`,
  );
}

/** What the race runs on: the hub, its connections and the viewer's server. */
interface RaceWiring {
  broker: EmbeddedBroker | undefined;
  /** The interface the embedded hub and the viewer listen on (`--listen`). */
  listen: string;
  http: Server | undefined;
  hubUrl: string;
  webUrl: string | undefined;
  viewerBroker: string | undefined;
  httpNote: string | undefined;
  hostToken: string;
  /** The embedded hub's TLS, if it serves mqtts. */
  tls: HubTls | undefined;
  client: Awaited<ReturnType<typeof connectHost>>['client'];
  positionClients: Awaited<ReturnType<typeof connectHost>>['positionClients'];
  /** Where the hub's refusals go: kept until the session exists, then handed to it. */
  refusals: { session: HostSession | undefined; early: [string, string, string][] };
}

type RunValues = Parameters<typeof checkHubFlags>[0];

/** Every option of `gw2race-host run`, as parsed. */
type RunOptionValues = NonNullable<
  ReturnType<typeof parseCommandLine<typeof RUN_OPTIONS>>
>['values'];

/** Opens the viewer's server, the hub (embedded unless `--broker`) and the host's connections. */
async function openWiring(
  values: RunValues,
  raceId: string,
  screen: Screen,
  checkCredential: CredentialCheck | undefined,
  tls: HubTls | undefined,
): Promise<RaceWiring> {
  const hostToken = randomBytes(12).toString('base64url');
  const { viewerBroker } = checkHubFlags(values);
  const listen = values.listen ?? '127.0.0.1';
  const viewer = values['no-http'] ? undefined : await listenViewer(values, listen);
  const http = viewer?.http;
  // The hub refuses publishes before the session exists too (a racer early on the port).
  const refusals: RaceWiring['refusals'] = { session: undefined, early: [] };
  const broker =
    values.broker === undefined
      ? await startRaceHub(values, {
          listen,
          raceId,
          hostToken,
          http,
          onRefused: (clientId, topic, reason) => {
            if (refusals.session) refusals.session.hubRefused(clientId, topic, reason);
            else refusals.early.push([clientId, topic, reason]);
          },
          log: (line) => screen.log(line),
          checkCredential,
          tls,
        })
      : undefined;
  const hubUrl = broker?.url ?? (values.broker as string);
  const { client, positionClients } = await connectHost(
    values,
    {
      url: hubUrl,
      embedded: broker !== undefined,
      raceId,
      hostToken,
      ...(tls && broker ? { tlsSha256: tls.sha256 } : {}),
    },
    (line) => screen.log(line),
  );
  return {
    broker,
    listen,
    http,
    hubUrl,
    tls: broker ? tls : undefined,
    webUrl: viewer?.webUrl,
    viewerBroker,
    httpNote: viewer?.note,
    hostToken,
    client,
    positionClients,
    refusals,
  };
}

/**
 * The command that opens a recording, as the viewer shows it once the host has closed the race:
 * the path relative to the folder the host runs in when it is inside it (no home folder on show).
 */
export function replayCommand(recording: string, cwd = process.cwd()): string {
  const inside = relative(cwd, recording);
  const shown = inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : recording;
  return `${selfCommand('gw2race-host', 'host', ['demo'])} replay ${shown}`;
}

/** Serves the web app (live mode) on the viewer's server; organizer commands go to the director. */
function serveWebApp(
  race: HostSession,
  setup: RaceSetup,
  wiring: RaceWiring,
  version: string,
  log: (line: string) => void,
) {
  if (!wiring.http) return;
  attachWebApp(wiring.http, {
    staticDir: webAppDir(),
    info: () => ({
      mode: 'live',
      raceId: setup.raceId,
      name: setup.name,
      track: setup.track,
      // The embedded hub is on this server; an external one is reached at its own URL.
      mqttPath: wiring.broker ? MQTT_WS_PATH : undefined,
      ...(wiring.viewerBroker !== undefined ? { mqttUrl: wiring.viewerBroker } : {}),
      recording: race.recordingPath !== '',
      version,
      ...(race.recordingPath ? { replayCommand: replayCommand(race.recordingPath) } : {}),
    }),
    recordingPath: () => race.recordingPath || undefined,
    hostToken: wiring.hostToken,
    onCommand: (command) => race.command(command),
    organizerNowMs: () => race.now() * 1000,
    log,
  });
}

/**
 * The organizer's address (it carries the host token) as shown: on a terminal the address itself;
 * on piped output, which ends up in logs, the owner-only file it is written to instead.
 */
function organizerLink(screen: Screen, setup: RaceSetup, url: string): string {
  if (screen.interactive) return url;
  const file = join(setup.outDir, `race_${setup.raceId}.organizer-url.txt`);
  try {
    writeFileSync(file, `${url}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch {
    return 'not shown (output is not a terminal and the results folder is not writable)';
  }
  return `in ${file} (not printed: output is not a terminal)`;
}

/** Where racers reach the race's hub, for {@link formatJoinLines}. */
function joinHub(wiring: RaceWiring, shownHub: string): JoinHub {
  return wiring.broker
    ? {
        embedded: true,
        listen: wiring.listen,
        port: wiring.broker.port,
        tls: wiring.tls !== undefined,
      }
    : { embedded: false, url: shownHub };
}

/** The lines that tell the organizer where the race is and how racers join. */
function announceRace(
  screen: Screen,
  setup: RaceSetup,
  wiring: RaceWiring,
  shownHub: string,
  joinLines: readonly string[],
  access: readonly string[] | undefined,
) {
  const { raceId } = setup;
  for (const warning of setup.trackWarnings)
    screen.log(`track warning ${warning.code}: ${warning.message}`);
  if (access) for (const line of access) screen.log(line);
  else {
    screen.log(
      `race ${raceId} is open on ${shownHub}: anyone with the server code joins (--players makes a closed race); racers join with`,
    );
    for (const line of joinLines) screen.log(line);
  }
  if (wiring.httpNote) screen.log(wiring.httpNote);
  if (!wiring.webUrl) return;
  screen.log(
    `viewer: ${wiring.webUrl}   organizer controls: ${organizerLink(screen, setup, `${wiring.webUrl}?token=${wiring.hostToken}`)}${webAppDir() ? '' : ' (the web viewer is not built)'}`,
  );
  if (!wiring.broker)
    screen.log(
      wiring.viewerBroker
        ? `the viewer's live view connects to the hub at ${redactUrl(new URL(wiring.viewerBroker))}`
        : `the viewer has no live view: browsers reach MQTT only over WebSocket and ${shownHub} is not ws:// or wss:// (give --viewer-broker wss://…); replays and organizer controls work`,
    );
}

/** What the organizer is told about a race resumed from its recording. */
function announceResume(screen: Screen, race: HostSession, resume: ResumePoint): void {
  const resumed = race.resumed;
  if (!resumed) return;
  screen.log(
    `RESUMED race ${race.options.raceId} from ${resume.path}: ${resumed.entries} recorded lines replayed; ${resumed.entries > 0 ? `nothing was recorded for ${resumed.away.toFixed(1)} s (organizer clock)` : 'nothing had been written out yet'}${resumed.truncated ? '; the cut-off last part of the file (what the host had not yet written out) was dropped' : ''}`,
  );
  if (resume.damagedCopy)
    screen.log(
      `the recording had damage before its end; the file as found is kept as ${resume.damagedCopy}`,
    );
}

/** Closes what {@link openWiring} opened, once the final ranking had time to reach every client. */
async function closeWiring(wiring: RaceWiring, lingerMs = 1500): Promise<void> {
  if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
  await closeClient(wiring.client);
  for (const positions of wiring.positionClients) positions.end(true);
  await wiring.broker?.close();
  if (wiring.http) await closeWebServer(wiring.http);
}

/** `gw2race-host [run]`: host a race from setup to results. */
export async function runCommand(args: string[], version: string): Promise<number> {
  const command = parseCommandLine(args, RUN_OPTIONS, RUN_USAGE);
  if (!command) return 0;
  const { values } = command;
  // Check every option and the hub's port first, then ask: no questions before a one-line error.
  const checked = await checkRaceFlags(values);
  const invited = readInvitedPlayers(values);
  await checkHubPort(values);
  const setup = await setupRace(values, canPrompt() && !values.yes, checked);
  const { clock, note: clockNote } = await organizerClock(values.ntp, values['no-ntp'] ?? false);
  const identity = newHostIdentity(clock.now() / 1000);
  // One host per race and results folder: taken before anything touches the recording.
  const lock = await lockRace(setup.outDir, setup.raceId, identity);
  try {
    return await hostRace(values, setup, { clock, clockNote, identity, invited }, version);
  } finally {
    await lock.release();
  }
}

/** The race itself, once this host holds it: the hub, the session, the screen, the results. */
async function hostRace(
  values: RunOptionValues,
  setup: RaceSetup,
  {
    clock,
    clockNote,
    identity,
    invited,
  }: {
    clock: OffsetEstimator;
    clockNote: string;
    identity: HostIdentity;
    invited: ReturnType<typeof readInvitedPlayers>;
  },
  version: string,
): Promise<number> {
  const closed = invited ? await closeRace(setup, invited) : undefined;
  const resume = values.new ? undefined : await openResumePoint(setup.outDir, setup);
  const screen = createScreen(process.stdout, { forcePlain: values.plain ?? false });
  const colors = createColors();
  if (values.broker !== undefined && (values.tls || values['tls-cert'] !== undefined))
    throw new AppError('USAGE', '--tls is for the embedded hub; an external hub has its own TLS');
  const tls = await loadHubTls(values, setup.outDir, setup.raceId);
  const wiring = await openWiring(values, setup.raceId, screen, closed?.checkCredential, tls);
  // On an external hub another host may be directing the race already: listen before publishing.
  if (!wiring.broker) {
    try {
      await listenForAnotherHost(wiring.client, setup.raceId);
    } catch (error) {
      screen.close();
      await closeWiring(wiring, 0);
      throw error;
    }
  }
  let standDown: ((error: Error) => void) | undefined;
  const anotherHost = new Promise<Error>((resolve) => {
    standDown = resolve;
  });
  const shownHub = redactUrl(parseHubUrl(wiring.hubUrl));
  const race = createHostSession({
    ...setup,
    client: wiring.client,
    positionClients: wiring.positionClients,
    verifier: closed ? createRaceVerifier(closed) : undefined,
    clock,
    version,
    log: (line) => screen.log(`[${new Date().toLocaleTimeString()}] ${line}`),
    changed: () => redraw(),
    resume,
    host: identity,
    onAnotherHost: (error) => standDown?.(error),
  });
  wiring.refusals.session = race;
  for (const [clientId, topic, reason] of wiring.refusals.early.splice(0))
    race.hubRefused(clientId, topic, reason);
  const joinLines = formatJoinLines(setup.raceId, joinHub(wiring, shownHub), networkInterfaces());
  const access = closed
    ? await inviteLines(closed, setup, {
        hub:
          values['invite-hub'] ?? invitationHubUrl(joinHub(wiring, shownHub), networkInterfaces()),
        embedded: wiring.broker !== undefined,
        interactive: screen.interactive,
        tlsSha256: wiring.tls?.sha256,
      })
    : undefined;
  const organizerUrl = wiring.webUrl ? `${wiring.webUrl}?token=${wiring.hostToken}` : undefined;
  const info: HostScreenInfo = {
    hubUrl: shownHub,
    embedded: wiring.broker !== undefined,
    hubClients: () => wiring.broker?.clients(),
    webUrl: wiring.webUrl,
    // On a redrawn screen the organizer's address stays in sight; piped output prints it once.
    organizerUrl: screen.interactive ? organizerUrl : undefined,
    trackWarnings: setup.trackWarnings,
    clockNote,
    keys: '',
    join: access
      ? ["gw2race-racer --invite CODE (each player's code is above and in the invitations file)"]
      : joinLines,
  };
  // Made only when drawn (at most 4 a second), however many messages say the race changed.
  const makeScreen = () => {
    info.keys = keysLine(race, setup);
    return renderHostScreen(race, info, colors);
  };
  function redraw() {
    screen.render(makeScreen);
  }
  serveWebApp(race, setup, wiring, version, (line) => screen.log(line));
  await race.start();
  announceRace(screen, setup, wiring, shownHub, joinLines, access);
  if (resume) announceResume(screen, race, resume);

  const outcome = await raceAndStage(race, screen, redraw, anotherHost, {
    stayOpen: !values['exit-after-race'],
    webUrl: wiring.webUrl,
    // A redrawn screen keeps them in sight (log lines scroll away); piped output prints them.
    show: (lines) => {
      if (screen.interactive) info.postRace = lines;
      else for (const line of lines) screen.log(line);
    },
  });
  if (outcome instanceof Error) {
    screen.release();
    screen.close();
    await race.standDown();
    await closeWiring(wiring, 0);
    throw outcome;
  }
  // What rulings after the end added is in the recording and the results as last written.
  const final = (await race.close()) ?? outcome;
  screen.release();
  redraw();
  screen.close();
  await closeWiring(wiring);
  printResults(race, setup, final);
  return 0;
}

/**
 * The race until its results, then (unless `stayOpen` is false) the post-race stage until the
 * organizer closes it: `q` or Ctrl-C on a terminal (mid-race Ctrl-C asks first and ends the
 * race, leaving the stage open), or SIGINT or SIGTERM, which end a running race and quit.
 * Resolves with the results, or the error of another host that took the race over.
 */
async function raceAndStage(
  race: HostSession,
  screen: Screen,
  redraw: () => void,
  anotherHost: Promise<Error>,
  stage: { stayOpen: boolean; webUrl: string | undefined; show: (lines: string[]) => void },
): Promise<HostOutcome | Error> {
  let closeStage: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    closeStage = resolve;
  });
  const keys = canPrompt() ? listenOrganizerKeys(race, screen, redraw, closeStage) : undefined;
  const onSignal = () => {
    closeStage();
    if (race.stage !== 'post') void race.end('stopped by the organizer');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await Promise.race([race.done, anotherHost]);
    if (outcome instanceof Error || !stage.stayOpen) return outcome;
    const self = selfCommand('gw2race-host', 'host', ['demo']);
    const info = { webUrl: stage.webUrl, keys: keys !== undefined, pid: process.pid, self };
    stage.show(postRaceLines(outcome, info));
    redraw();
    const stoodDown = await Promise.race([closed, anotherHost]);
    return stoodDown instanceof Error ? stoodDown : outcome;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    keys?.stop();
  }
}
