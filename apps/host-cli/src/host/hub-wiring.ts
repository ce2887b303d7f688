import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  AppError,
  connectHub,
  listenAddressError,
  numberOption,
  parseHubUrl,
  resolvePassword,
} from '@gw2race/app-shared';
import {
  checkEmbeddedHubPort,
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '@gw2race/app-shared/hub';
import {
  type CredentialCheck,
  clientAddressOf,
  createRaceAccess,
  DEFAULT_HUB_LIMITS,
  HOST_USERNAME,
  type HubAccess,
} from '@gw2race/hub';
import type { MqttClient } from 'mqtt';

const PORT_RANGE = { min: 0, max: 65535, integer: true };

/** The hub options as given on the command line. */
export interface HubFlags {
  broker?: string | undefined;
  'viewer-broker'?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  'password-file'?: string | undefined;
  ca?: string | undefined;
  listen?: string | undefined;
  port?: string | undefined;
  'http-port'?: string | undefined;
  'no-http'?: boolean | undefined;
  'hub-connections'?: string | undefined;
  'max-connections-per-address'?: string | undefined;
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

/** Checks the external-hub flags; the viewer's URL of that hub, if any. */
export function checkHubFlags(flags: HubFlags): { viewerBroker: string | undefined } {
  if (flags.broker !== undefined) {
    if (flags.port)
      throw new AppError('USAGE', '--port is for the embedded hub; not with --broker');
    parseHubUrl(flags.broker);
    return { viewerBroker: viewerBrokerUrl(flags.broker, flags['viewer-broker']) };
  }
  if (flags['viewer-broker'] !== undefined)
    throw new AppError(
      'USAGE',
      '--viewer-broker goes with --broker (the embedded hub serves the viewer itself)',
    );
  return { viewerBroker: undefined };
}

/** The viewer's HTTP server, listening; on a taken default port, any free one (with a note). */
export async function listenViewer(
  flags: HubFlags,
  listen: string,
): Promise<{ http: Server; webUrl: string; note: string | undefined }> {
  const httpPort = numberOption(flags['http-port'], 'http-port', 8080, PORT_RANGE);
  const http = createServer();
  const listenOn = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(error);
      http.once('error', onError);
      http.listen(port, listen, () => {
        http.off('error', onError);
        resolve();
      });
    });
  let note: string | undefined;
  try {
    await listenOn(httpPort);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE') throw listenAddressError(cause, listen) ?? cause;
    // The default port is taken (another host, another program): any free port will do, the
    // address is printed. A port the organizer asked for is an error.
    if (flags['http-port'] !== undefined)
      throw new AppError('PORT_IN_USE', `HTTP port ${httpPort} on ${listen} is already in use`, {
        hint: 'choose another with --http-port, or --no-http',
        cause,
      });
    await listenOn(0);
    note = `HTTP port ${httpPort} is taken: the viewer is on another port`;
  }
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : httpPort;
  return { http, webUrl: `http://${clientAddressOf(listen)}:${port}/`, note };
}

/** Options of {@link startRaceHub}. */
export interface RaceHubOptions {
  listen: string;
  raceId: string;
  hostToken: string;
  http: Server | undefined;
  onRefused: (clientId: string, topic: string, reason: string) => void;
  log: (line: string) => void;
  /** A closed race: who may connect as which player (see `createClosedRace`). */
  checkCredential?: CredentialCheck | undefined;
  /** Access rules other than the race's (a tournament's, which move from race to race). */
  access?: HubAccess;
  /** Serve mqtts with this certificate and key (PEM). */
  tls?: { cert: string; key: string } | undefined;
}

/**
 * Before any question: the embedded hub's port is free on the listen address (a taken port or a
 * foreign address is the error starting the hub would give). Nothing to check with `--broker`.
 */
export async function checkHubPort(flags: HubFlags) {
  if (flags.broker !== undefined) return;
  await checkEmbeddedHubPort(
    flags.listen ?? '127.0.0.1',
    numberOption(flags.port, 'port', 1883, PORT_RANGE),
  );
}

/** The embedded hub with the race's access rules. */
export function startRaceHub(flags: HubFlags, options: RaceHubOptions): Promise<EmbeddedBroker> {
  return startEmbeddedBroker({
    host: options.listen,
    port: numberOption(flags.port, 'port', 1883, PORT_RANGE),
    ...(options.http ? { httpServer: options.http } : {}),
    ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
    access:
      options.access ??
      createRaceAccess({
        raceId: options.raceId,
        hostToken: options.hostToken,
        ...(options.checkCredential ? { checkCredential: options.checkCredential } : {}),
      }),
    limits: {
      maxConnectionsPerAddress: numberOption(
        flags['max-connections-per-address'],
        'max-connections-per-address',
        DEFAULT_HUB_LIMITS.maxConnectionsPerAddress,
        { min: 1, max: 100_000, integer: true },
      ),
    },
    onRefused: options.onRefused,
    onRefusedClient: (clientId, reason) =>
      options.log(`hub: refused the connection of ${clientId}: ${reason}`),
  });
}

/**
 * The host's connections: the main one and `--hub-connections` more for position streams. On
 * its embedded hub the host logs in with its token; on another hub, as the organizer says.
 */
export async function connectHost(
  flags: HubFlags,
  hub: { url: string; embedded: boolean; raceId: string; hostToken: string; tlsSha256?: string },
  log: (line: string) => void,
): Promise<{ client: MqttClient; positionClients: MqttClient[] }> {
  const password = hub.embedded ? undefined : resolvePassword(flags);
  const credentials = hub.embedded
    ? {
        username: HOST_USERNAME,
        password: hub.hostToken,
        ...(hub.tlsSha256 !== undefined ? { tlsSha256: hub.tlsSha256 } : {}),
      }
    : {
        ...(flags.username !== undefined ? { username: flags.username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(flags.ca !== undefined ? { caFile: flags.ca } : {}),
      };
  const client = await connectHub(hub.url, {
    clientId: `gw2race-host-${hub.raceId}-${randomBytes(3).toString('hex')}`,
    ...credentials,
    onStatus: (status) => log(`hub: ${status}`),
  });
  const extra = numberOption(flags['hub-connections'], 'hub-connections', 0, {
    min: 0,
    max: 64,
    integer: true,
  });
  const positionClients: MqttClient[] = [];
  for (let i = 1; i <= extra; i++) {
    positionClients.push(
      await connectHub(hub.url, {
        clientId: `gw2race-host-${hub.raceId}-pos${i}-${randomBytes(3).toString('hex')}`,
        ...credentials,
        onStatus: (status) => log(`hub (positions ${i}): ${status}`),
      }),
    );
  }
  return { client, positionClients };
}
