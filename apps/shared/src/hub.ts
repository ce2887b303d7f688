import { type Hub, type HubOptions, isHubError, MQTT_WS_PATH, startHub } from '@gw2race/hub';
import { AppError } from './errors';

/** A running embedded hub (see `@gw2race/hub`'s `startHub`). */
export type EmbeddedBroker = Hub;

/** Options of {@link startEmbeddedBroker}: those of `startHub`. */
export type EmbeddedBrokerOptions = HubOptions;

export { MQTT_WS_PATH };

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
    if (!isHubError(error)) throw error;
    if (error.code === 'BAD_ADDRESS')
      throw new AppError('USAGE', error.message, {
        hint: 'use 0.0.0.0 for every network interface, 127.0.0.1 for this machine only, or one of its own addresses',
        cause: error,
      });
    if (error.message.startsWith('not allowed'))
      throw new AppError('PORT_IN_USE', error.message, {
        hint: 'use a port above 1024 with --port',
        cause: error,
      });
    throw new AppError(
      'PORT_IN_USE',
      `port ${port} on ${host} is already in use (another broker or gw2race-host?)`,
      {
        hint: `choose another with --port, or race on the broker already there with --broker mqtt://${host}:${port}`,
        cause: error,
      },
    );
  }
}
