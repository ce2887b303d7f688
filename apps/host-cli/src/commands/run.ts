import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import {
  AppError,
  ask,
  canPrompt,
  closeClient,
  connectHub,
  createColors,
  createScreen,
  formatRaceTime,
  formatTable,
  isAppError,
  type KeyListener,
  type KeyPress,
  listenAddressError,
  listenKeys,
  numberOption,
  parseCommandLine,
  parseHubUrl,
  redactUrl,
} from '@gw2race/app-shared';
import { type EmbeddedBroker, MQTT_WS_PATH, startEmbeddedBroker } from '@gw2race/app-shared/broker';
import { createOffsetEstimator } from '@gw2race/clock-sync';
import { DEFAULT_SNTP_SERVERS, pollSntp } from '@gw2race/clock-sync/node';
import { parseId, type StartRule, type Track } from '@gw2race/protocol';
import { validateTrack } from '@gw2race/race-engine';
import { createRaceAccess, HOST_USERNAME } from '../host/access';
import { BUNDLED_TRACKS, DEFAULT_TRACK, loadTrack } from '../host/load-track';
import {
  createHostSession,
  DEFAULT_REJOIN_GRACE_S,
  type HostOutcome,
  type HostSession,
} from '../host/session';
import { renderHostScreen } from '../ui/host-screen';
import { webAppDir } from '../web/static-dir';
import { attachWebApp, closeWebServer } from '../web/web-server';

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
                       the race does not end while they reconnect (default ${DEFAULT_REJOIN_GRACE_S})
  --out DIR            where the recording and results go (default ./results)
Hub:
  --broker URL         use an external hub (mqtt://, mqtts://, ws://, wss://) instead of the embedded one
  --username U, --password P, --ca FILE   credentials and certificate authority for --broker
  --viewer-broker URL  with --broker: the hub's MQTT-over-WebSocket URL (ws://, wss://) for the
                       viewer's live view (default: --broker itself when it is ws:// or wss://)
  --listen HOST        interface of the embedded hub and the viewer (default 127.0.0.1; 0.0.0.0 for a LAN race)
  --port N             MQTT port of the embedded hub (default 1883)
  --http-port N        the race viewer, and on the embedded hub MQTT over WebSocket on /mqtt
                       (default 8080; 0 picks a free port)
  --hub-connections N  spread racers' position streams over N more connections (hubs that cap one
                       connection's incoming messages; see the README)
  --no-http            no viewer (and no WebSocket for the embedded hub)
Other:
  --ntp SERVERS        SNTP servers for the organizer clock (default ${DEFAULT_SNTP_SERVERS.join(',')})
  --no-ntp             use this machine's clock as it is
  --yes                never ask; take defaults for what is not given
  --plain              no screen redraw: print updates as lines
  -h, --help`;

const RACE_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A server code that is easy to read aloud and type: 6 characters, no 0/o/1/l/i. */
export function generateRaceId(): string {
  const bytes = randomBytes(6);
  return [...bytes].map((b) => RACE_ID_ALPHABET[b % RACE_ID_ALPHABET.length]).join('');
}

/** Asks for a number until the answer is one in range. */
async function askNumber(
  question: string,
  fallback: string,
  name: string,
  range: { min?: number; max?: number; integer?: boolean },
): Promise<number> {
  const check = (answer: string) => numberOption(answer, name, 0, range);
  const answer = await ask(question, {
    fallback,
    validate: (text) => {
      try {
        check(text);
        return undefined;
      } catch (error) {
        return isAppError(error) ? error.message : String(error);
      }
    },
  });
  return check(answer);
}

/** Asks for a track until one loads; a bad file says why and asks again. */
async function askTrack(options: { mapId?: number }): Promise<Track> {
  for (;;) {
    const spec = await ask(
      `Track (a .json or .csv file, or ${Object.keys(BUNDLED_TRACKS).join(' / ')})`,
      { fallback: DEFAULT_TRACK },
    );
    try {
      return await loadTrack(spec, options);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'BAD_FILE') throw error;
      process.stdout.write(`  ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    }
  }
}

/** True when neither the track nor any of its checkpoints says which map it is on. */
function hasNoMap(track: Track): boolean {
  return track.mapId === undefined && track.checkpoints.every((cp) => cp.mapId === undefined);
}

/**
 * The browser's URL of an external hub, for the viewer: `--viewer-broker`, else `--broker` when
 * it is MQTT over WebSocket, without the organizer's credentials; undefined when there is none.
 */
export function viewerBrokerUrl(
  broker: string,
  viewerBroker: string | undefined,
): string | undefined {
  if (viewerBroker !== undefined) {
    const url = parseHubUrl(viewerBroker);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
      throw new AppError(
        'USAGE',
        `--viewer-broker must be a ws:// or wss:// URL, got "${viewerBroker}"`,
        {
          hint: "browsers reach MQTT only over WebSocket: give the hub's WebSocket listener, e.g. wss://hub.example/mqtt",
        },
      );
    return url.href;
  }
  const url = parseHubUrl(broker);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
  url.username = '';
  url.password = '';
  return url.href;
}

/** `gw2race-host [run]`: host a race from setup to results. */
export async function runCommand(args: string[], version: string): Promise<number> {
  const command = parseCommandLine(
    args,
    {
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
      out: { type: 'string' },
      broker: { type: 'string' },
      'viewer-broker': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      ca: { type: 'string' },
      listen: { type: 'string' },
      port: { type: 'string' },
      'http-port': { type: 'string' },
      'no-http': { type: 'boolean' },
      'hub-connections': { type: 'string' },
      ntp: { type: 'string' },
      'no-ntp': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      plain: { type: 'boolean' },
    },
    RUN_USAGE,
  );
  if (!command) return 0;
  const { values } = command;
  const interactive = canPrompt() && !values.yes;

  // Setup: flags first, then questions for what is missing.
  const name =
    values.name ??
    (interactive ? await ask('Tournament name', { fallback: 'gw2race' }) : 'gw2race');
  const mapId =
    values.map === undefined
      ? undefined
      : numberOption(values.map, 'map', 0, { min: 0, integer: true });
  const mapOption = mapId !== undefined ? { mapId } : {};
  let track =
    values.track !== undefined
      ? await loadTrack(values.track, mapOption)
      : interactive
        ? await askTrack(mapOption)
        : await loadTrack(DEFAULT_TRACK, mapOption);
  if (interactive && hasNoMap(track)) {
    const answer = await ask(
      'GW2 map id of the track (the file does not say; empty for none: racers on another map are then not flagged)',
      {
        validate: (text) => {
          if (text === '') return undefined;
          try {
            numberOption(text, 'map', 0, { min: 0, integer: true });
            return undefined;
          } catch (error) {
            return isAppError(error) ? error.message : String(error);
          }
        },
      },
    );
    if (answer !== '')
      track = { ...track, mapId: numberOption(answer, 'map', 0, { min: 0, integer: true }) };
  }
  let raceIdText = values.race;
  if (raceIdText === undefined && interactive) {
    raceIdText = await ask('Server code (racers type it)', {
      fallback: generateRaceId(),
      validate: (answer) => {
        const id = parseId('race id', answer);
        return id.ok ? undefined : id.error.message;
      },
    });
  }
  const raceId = parseId('race id', raceIdText ?? generateRaceId());
  if (!raceId.ok) throw new AppError('USAGE', `--race: ${raceId.error.message}`);
  const lapRange = { min: 1, max: 1000, integer: true };
  const laps =
    values.laps !== undefined
      ? numberOption(values.laps, 'laps', 1, lapRange)
      : interactive
        ? await askNumber('Laps', String(track.laps ?? 1), 'laps', lapRange)
        : (track.laps ?? 1);
  const delayRange = { min: 0, max: 86_400 };
  const startDelay =
    values['start-delay'] !== undefined
      ? numberOption(values['start-delay'], 'start-delay', 60, delayRange)
      : interactive
        ? await askNumber('Start delay in seconds', '60', 'start-delay', delayRange)
        : 60;
  const trackWarnings = validateTrack({ ...track, laps });
  const startRule: StartRule = values['time-trial'] ? 'timeTrial' : 'mass';
  const autoStart =
    values['auto-start'] === undefined
      ? undefined
      : numberOption(values['auto-start'], 'auto-start', 1, { min: 1, integer: true });
  const timeLimit =
    values['time-limit'] === undefined
      ? undefined
      : numberOption(values['time-limit'], 'time-limit', 0, { min: 1 });
  const finishTimeout =
    values['finish-timeout'] === undefined
      ? undefined
      : numberOption(values['finish-timeout'], 'finish-timeout', 0, { min: 0 });
  const rejoinGrace = numberOption(values['rejoin-grace'], 'rejoin-grace', DEFAULT_REJOIN_GRACE_S, {
    min: 0,
    max: 86_400,
  });
  const outDir = values.out ?? 'results';
  try {
    await mkdir(outDir, { recursive: true });
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot create the results folder ${outDir}`, { cause });
  }

  const screen = createScreen(process.stdout, { forcePlain: values.plain ?? false });
  const colors = createColors();

  // The organizer's clock: monotonic, disciplined once by SNTP before the race (never during).
  const clock = createOffsetEstimator();
  let clockNote = 'this machine (SNTP off)';
  if (!values['no-ntp']) {
    const servers =
      values.ntp
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
      clockNote = `UTC via SNTP (± ${poll.boundMs.toFixed(1)} ms, ${poll.servers.filter((s) => s.truechimer).length} servers)`;
    } catch {
      clockNote = 'this machine (no SNTP answer: offline?)';
    }
  }

  // The hub.
  const hostToken = randomBytes(12).toString('base64url');
  let broker: EmbeddedBroker | undefined;
  let http: Server | undefined;
  let hubUrl: string | undefined;
  let webUrl: string | undefined;
  let viewerBroker: string | undefined;
  let httpNote: string | undefined;
  // The hub refuses publishes before the session exists too (a racer early on the port).
  let session: HostSession | undefined;
  const earlyRefusals: [string, string, string][] = [];
  if (values.broker !== undefined) {
    if (values.port)
      throw new AppError('USAGE', '--port is for the embedded hub; not with --broker');
    hubUrl = values.broker;
    parseHubUrl(hubUrl);
    viewerBroker = viewerBrokerUrl(hubUrl, values['viewer-broker']);
  } else if (values['viewer-broker'] !== undefined) {
    throw new AppError(
      'USAGE',
      '--viewer-broker goes with --broker (the embedded hub serves the viewer itself)',
    );
  }
  const listen = values.listen ?? '127.0.0.1';
  if (!values['no-http']) {
    const httpPort = numberOption(values['http-port'], 'http-port', 8080, {
      min: 0,
      max: 65535,
      integer: true,
    });
    http = createServer();
    const server = http;
    const listenOn = (port: number) =>
      new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => reject(error);
        server.once('error', onError);
        server.listen(port, listen, () => {
          server.off('error', onError);
          resolve();
        });
      });
    try {
      await listenOn(httpPort);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE') throw listenAddressError(cause, listen) ?? cause;
      // The default port is taken (another host, another program): any free port will do, the
      // address is printed. A port the organizer asked for is an error.
      if (values['http-port'] !== undefined)
        throw new AppError('PORT_IN_USE', `HTTP port ${httpPort} on ${listen} is already in use`, {
          hint: 'choose another with --http-port, or --no-http',
          cause,
        });
      await listenOn(0);
      httpNote = `HTTP port ${httpPort} is taken: the viewer is on another port`;
    }
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : httpPort;
    webUrl = `http://${listen === '0.0.0.0' ? '127.0.0.1' : listen}:${port}/`;
  }
  if (hubUrl === undefined) {
    broker = await startEmbeddedBroker({
      host: listen,
      port: numberOption(values.port, 'port', 1883, { min: 0, max: 65535, integer: true }),
      ...(http ? { httpServer: http } : {}),
      access: createRaceAccess({ raceId: raceId.value, hostToken }),
      onRefused: (clientId, topic, reason) => {
        if (session) session.hubRefused(clientId, topic, reason);
        else earlyRefusals.push([clientId, topic, reason]);
      },
      onRefusedClient: (clientId, reason) =>
        screen.log(`hub: refused the connection of ${clientId}: ${reason}`),
    });
    hubUrl = broker.url;
  }
  const shownHub = redactUrl(parseHubUrl(hubUrl));

  // The host logs in to its embedded hub with its token; on another hub, as the organizer says.
  const credentials = broker
    ? { username: HOST_USERNAME, password: hostToken }
    : {
        ...(values.username !== undefined ? { username: values.username } : {}),
        ...(values.password !== undefined ? { password: values.password } : {}),
        ...(values.ca !== undefined ? { caFile: values.ca } : {}),
      };
  const client = await connectHub(hubUrl, {
    clientId: `gw2race-host-${raceId.value}-${randomBytes(3).toString('hex')}`,
    ...credentials,
    onStatus: (status) => screen.log(`hub: ${status}`),
  });
  const extraConnections = numberOption(values['hub-connections'], 'hub-connections', 0, {
    min: 0,
    max: 64,
    integer: true,
  });
  const positionClients = [];
  for (let i = 1; i <= extraConnections; i++) {
    positionClients.push(
      await connectHub(hubUrl, {
        clientId: `gw2race-host-${raceId.value}-pos${i}-${randomBytes(3).toString('hex')}`,
        ...credentials,
        onStatus: (status) => screen.log(`hub (positions ${i}): ${status}`),
      }),
    );
  }

  let keysLine = '';
  const staticDir = webAppDir();
  session = createHostSession({
    client,
    positionClients,
    raceId: raceId.value,
    track,
    name,
    laps,
    startRule,
    startDelay,
    autoStart,
    timeLimit,
    finishTimeout,
    rejoinGrace,
    outDir,
    clock,
    version,
    log: (line) => screen.log(`[${new Date().toLocaleTimeString()}] ${line}`),
    changed: () => redraw(),
  });
  const race = session;
  for (const [clientId, topic, reason] of earlyRefusals.splice(0))
    race.hubRefused(clientId, topic, reason);
  const organizerUrl = webUrl ? `${webUrl}?token=${hostToken}` : undefined;
  const info = {
    hubUrl: shownHub,
    embedded: broker !== undefined,
    hubClients: () => broker?.clients(),
    webUrl,
    // On a redrawn screen the organizer's address stays in sight; piped output prints it once.
    organizerUrl: screen.interactive ? organizerUrl : undefined,
    trackWarnings,
    clockNote,
    get keys() {
      return keysLine;
    },
  };
  function redraw() {
    const ready = race.readyRacers().length;
    keysLine =
      race.stage === 'pre'
        ? `${canPrompt() ? `keys: [s] start in ${startDelay} s  [m] message  [q] quit` : ''}${autoStart !== undefined ? `   auto-start when ${autoStart} racers are ready (${ready}/${autoStart})` : ''}`
        : race.stage === 'active' && canPrompt()
          ? `keys: [m] message  [p] ${race.paused ? 'resume' : 'pause'}  [e] end the race now  [a] abort`
          : '';
    screen.render(renderHostScreen(race, info, colors));
  }
  if (http) {
    attachWebApp(http, {
      staticDir,
      info: () => ({
        mode: 'live',
        raceId: raceId.value,
        name,
        track,
        // The embedded hub is on this server; an external one is reached at its own URL.
        mqttPath: broker ? MQTT_WS_PATH : undefined,
        ...(viewerBroker !== undefined ? { mqttUrl: viewerBroker } : {}),
        recording: race.recordingPath !== '',
        version,
      }),
      recordingPath: () => race.recordingPath || undefined,
      hostToken,
      onCommand: (command) => race.command(command),
    });
  }
  await race.start();
  for (const warning of trackWarnings)
    screen.log(`track warning ${warning.code}: ${warning.message}`);
  screen.log(
    `race ${raceId.value} is open on ${shownHub}: racers join with  gw2race-racer --race ${raceId.value}${broker ? '' : ` --broker ${shownHub}`}`,
  );
  if (httpNote) screen.log(httpNote);
  if (webUrl) {
    screen.log(
      `viewer: ${webUrl}   organizer controls: ${organizerUrl}${staticDir ? '' : ' (the web viewer is not built)'}`,
    );
    if (!broker)
      screen.log(
        viewerBroker
          ? `the viewer's live view connects to the hub at ${redactUrl(new URL(viewerBroker))}`
          : `the viewer has no live view: browsers reach MQTT only over WebSocket and ${shownHub} is not ws:// or wss:// (give --viewer-broker wss://…); replays and organizer controls work`,
      );
  }

  // Keys, in a terminal.
  let keys: KeyListener | undefined;
  const askMessage = async () => {
    screen.hold();
    try {
      const text = await keys?.readLine('\nMessage to every racer (empty to cancel): ');
      if (text && race.stage !== 'post') race.announce(text.slice(0, 500));
    } finally {
      screen.release();
      redraw();
    }
  };
  const onKey = (text: string | undefined, key: KeyPress | undefined) => {
    if (key?.ctrl && key.name === 'c') {
      void race.end('stopped by the organizer');
      return;
    }
    const name = key?.name ?? text;
    if (name === 's' && race.stage === 'pre') race.startRace();
    else if (name === 'p') race.togglePause();
    else if (name === 'e' || (name === 'q' && race.stage !== 'post'))
      void race.end('ended by the organizer');
    else if (name === 'a' && race.stage === 'active') void race.abort('aborted by the organizer');
    else if (name === 'm') {
      void askMessage();
      return;
    }
    redraw();
  };
  if (canPrompt()) keys = listenKeys(onKey);
  const onSignal = () => void race.end('stopped by the organizer');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const outcome: HostOutcome = await race.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  keys?.stop();
  screen.release();
  redraw();
  screen.close();
  // Let the final ranking reach every client before the hub goes away.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await closeClient(client);
  for (const positions of positionClients) positions.end(true);
  await broker?.close();
  if (http) await closeWebServer(http);

  const { results } = outcome;
  process.stdout.write(
    `\n${colors.bold(`Results of ${name}, race ${raceId.value}`)}${results.aborted ? ' (aborted)' : ''}: ${race.endReason ?? ''}\n`,
  );
  process.stdout.write(
    `${formatTable(
      ['#', 'racer', 'status', 'time', 'gap', '±', 'flags'],
      results.ranking.map((entry) => {
        const racer = results.racers.find((r) => r.playerId === entry.playerId);
        return [
          entry.position,
          race.nameOf(entry.playerId),
          entry.status,
          entry.time !== undefined ? formatRaceTime(entry.time) : '',
          entry.gapToLeader !== undefined &&
          entry.gapToLeader !== null &&
          entry.status === 'finished'
            ? `+${formatRaceTime(entry.gapToLeader)}`
            : '',
          racer ? `${(racer.uncertainty * 1000).toFixed(1)} ms` : '',
          racer?.flags.length ?? 0,
        ];
      }),
    )}\n\n`,
  );
  process.stdout.write(
    `Recording: ${outcome.recording}\nResults:   ${outcome.resultsJson}\n           ${outcome.resultsCsv}\n           ${outcome.splitsCsv}\n`,
  );
  process.stdout.write(`Re-judge:  gw2race-host results ${outcome.recording}\n`);
  return 0;
}
