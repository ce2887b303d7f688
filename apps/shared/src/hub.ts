import { createServer } from 'node:net';
import {
  clientAddressOf,
  type Hub,
  type HubOptions,
  isHubError,
  MQTT_WS_PATH,
  probeListen,
  startHub,
} from '@gw2race/hub';
import { AppError } from './errors';

/** A running embedded hub (see `@gw2race/hub`'s `startHub`). */
export type EmbeddedBroker = Hub;

/** Options of {@link startEmbeddedBroker}: those of `startHub`. */
export type EmbeddedBrokerOptions = HubOptions;

export { MQTT_WS_PATH };

/** A port that is free on `host` now (the system's pick), or undefined when none could be had. */
function freePort(host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : undefined),
      );
    });
  });
}

/**
 * What to do when the hub's `port` on `host` is taken: listen on a free port (`--port`), or race
 * on the hub that is there (`--broker`, at an address a client connects to: a wildcard listen
 * address such as 0.0.0.0 is reached at 127.0.0.1 on this machine).
 */
export function portTakenHint(host: string, port: number, free: number | undefined): string {
  const another =
    free === undefined ? 'another free port with --port N' : `a free port with --port ${free}`;
  return `listen on ${another}, or, if a race hub already runs there, race on it with --broker mqtt://${clientAddressOf(host)}:${port}`;
}

/** A hub's listen error as an {@link AppError} that says what to do with the options. */
async function embeddedHubError(error: unknown, host: string, port: number): Promise<unknown> {
  if (!isHubError(error)) return error;
  if (error.code === 'BAD_ADDRESS')
    return new AppError('USAGE', error.message, {
      hint: 'use 0.0.0.0 for every network interface, 127.0.0.1 for this machine only, or one of its own addresses',
      cause: error,
    });
  if (error.message.startsWith('not allowed'))
    return new AppError('PORT_IN_USE', error.message, {
      hint: 'use a port above 1024 with --port',
      cause: error,
    });
  return new AppError(
    'PORT_IN_USE',
    `port ${port} on ${host} is already in use (another broker or gw2race-host?)`,
    { hint: portTakenHint(host, port, await freePort(host)), cause: error },
  );
}

/**
 * Checks that the embedded hub could listen on `host:port` (default 127.0.0.1:1883) now, with
 * {@link startEmbeddedBroker}'s errors, so a CLI reports a taken port before its questions.
 */
export async function checkEmbeddedHubPort(host = '127.0.0.1', port = 1883): Promise<void> {
  try {
    await probeListen(host, port);
  } catch (error) {
    throw await embeddedHubError(error, host, port);
  }
}

/**
 * Starts the embedded hub for a CLI: `@gw2race/hub`'s `startHub`, with its errors as
 * {@link AppError}s that say what to do with the command-line options (a taken port is
 * `PORT_IN_USE`, exit 4; an address this machine lacks is `USAGE`, exit 2).
 */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 1883;
  try {
    return await startHub(options);
  } catch (error) {
    throw await embeddedHubError(error, host, port);
  }
}
