import {
  type ConnectHubOptions as ClientOptions,
  connectHub as connectHubClient,
  type HubClientErrorCode,
  isHubClientError,
  parseHubUrl as parseHubClientUrl,
} from '@gw2race/hub-client';
import type { MqttClient } from 'mqtt';
import { AppError, type AppErrorCode } from './errors';

/** What a CLI says about each `@gw2race/hub-client` error: its app code and the advice. */
const HUB_CLIENT_ADVICE: Record<HubClientErrorCode, { code: AppErrorCode; hint?: string }> = {
  INVALID_URL: {
    code: 'USAGE',
    hint: 'use mqtt://host:1883, mqtts://host:8883, ws://host:8080/mqtt or wss://host/mqtt',
  },
  UNSUPPORTED_SCHEME: { code: 'USAGE', hint: 'use mqtt://, mqtts://, ws:// or wss://' },
  CA_FILE_UNREADABLE: {
    code: 'BAD_FILE',
    hint: '--ca takes a PEM file of the certificate authorities that signed the hub',
  },
  CONNECTION_REFUSED: {
    code: 'HUB_UNREACHABLE',
    hint: 'is the broker (or gw2race-host) running there? check the host, the port and --broker',
  },
  UNKNOWN_HOST: {
    code: 'HUB_UNREACHABLE',
    hint: 'check the host name in --broker and your internet connection',
  },
  TIMEOUT: {
    code: 'HUB_UNREACHABLE',
    hint: 'check the host and port, and that a firewall lets MQTT through',
  },
  TLS_FAILED: {
    code: 'HUB_UNREACHABLE',
    hint: 'a private hub with its own certificate authority needs --ca FILE; a hub whose certificate is not the one in your invitation may be an impostor: ask the organizer for a new code',
  },
  BAD_CREDENTIALS: {
    code: 'HUB_AUTH',
    hint: 'check --username/--password, or the URL user:password (or the invitation)',
  },
  NOT_AUTHORIZED: {
    code: 'HUB_AUTH',
    hint: 'join with the invitation the organizer sent (or --username/--password)',
  },
  CLIENT_ID_REJECTED: {
    code: 'PLAYER_TAKEN',
    hint: 'someone with the same name (or this racer, started twice) is connected: choose another id with --player ID (or another --name); if it was you a moment ago, wait half a minute for the hub to drop the old connection',
  },
  CONNECTION_FAILED: { code: 'HUB_UNREACHABLE' },
};

/**
 * A `@gw2race/hub-client` error as the {@link AppError} a CLI prints (its code, exit code and
 * the advice about command-line options); any other value comes back unchanged.
 */
export function hubClientAppError(error: unknown): unknown {
  if (!isHubClientError(error)) return error;
  const { code, hint } = HUB_CLIENT_ADVICE[error.code];
  // The hub-client error's own cause (the socket's or mqtt.js's error) is what AppError had.
  const cause = error.cause;
  return new AppError(code, error.message, {
    ...(hint !== undefined ? { hint } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Options of {@link connectHub}: those of `@gw2race/hub-client`, refusals as {@link AppError}. */
export interface ConnectHubOptions extends Omit<ClientOptions, 'onRefused'> {
  /** See `@gw2race/hub-client`; the error is an {@link AppError} (its `exitCode` says how to exit). */
  onRefused?: (error: AppError) => void;
}

/**
 * `@gw2race/hub-client`'s `connectHub` for a CLI: its errors are {@link AppError}s that say
 * what to do with the command-line options.
 */
export async function connectHub(urlText: string, options: ConnectHubOptions): Promise<MqttClient> {
  const { onRefused, ...rest } = options;
  try {
    return await connectHubClient(urlText, {
      ...rest,
      ...(onRefused
        ? { onRefused: (error) => onRefused(hubClientAppError(error) as AppError) }
        : {}),
    });
  } catch (error) {
    throw hubClientAppError(error);
  }
}

/** `@gw2race/hub-client`'s `parseHubUrl`, a bad URL as a `USAGE` {@link AppError}. */
export function parseHubUrl(text: string): URL {
  try {
    return parseHubClientUrl(text);
  } catch (error) {
    throw hubClientAppError(error);
  }
}
