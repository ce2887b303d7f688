import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { AppError } from './errors';

/** URL schemes a hub can be reached with. */
export const HUB_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

/** Options of {@link connectHub}. */
export interface ConnectHubOptions {
  /**
   * MQTT client id; unique per connection. Default: {@link randomClientId}`('gw2race')`. Make it
   * unguessable (randomClientId): on an open race the hub lets a connection with the same id and
   * the same player take the old one over.
   */
  clientId?: string;
  /** Last will: published by the hub if this client drops without saying goodbye. */
  will?: { topic: string; payload: Uint8Array | string; qos: 0 | 1; retain?: boolean };
  username?: string;
  password?: string;
  /** A PEM file of certificate authorities to trust (private hubs with their own CA). */
  caFile?: string;
  /** Give up on the first connection after this long. Default 10 s. */
  timeoutMs?: number;
  /** Pause between reconnection attempts once connected. Default 1 s. */
  reconnectMs?: number;
  /** Called when the connection drops and comes back. */
  onStatus?: (status: 'offline' | 'reconnecting' | 'online') => void;
  /**
   * The player this connection is for, named in the message when the hub refuses it because
   * that player is already connected. Default: the `playerId` of the last will, if it has one.
   */
  playerId?: string;
  /**
   * Once connected, the hub refused a reconnection for good (CONNACK: identifier rejected, bad
   * credentials, not authorized). With this callback the client stops reconnecting and it is
   * called with the error to report (its `exitCode` says how to exit); without it, the client
   * keeps trying.
   */
  onRefused?: (error: AppError) => void;
}

/**
 * A client id no one can guess: `prefix-` and 96 random bits (base64url, 16 characters). On an
 * open race, a client id is what keeps another connection from taking a racer's over.
 *
 * @example
 * randomClientId('gw2race-racer-p1'); // 'gw2race-racer-p1-3q2+…' (never the same twice)
 */
export function randomClientId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

/** Checks a hub URL and explains a bad one. */
export function parseHubUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('USAGE', `"${text}" is not a hub URL`, {
      hint: 'use mqtt://host:1883, mqtts://host:8883, ws://host:8080/mqtt or wss://host/mqtt',
    });
  }
  if (!(HUB_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw new AppError('USAGE', `hub URL "${text}" uses ${url.protocol.replace(':', '')}://`, {
      hint: 'use mqtt://, mqtts://, ws:// or wss://',
    });
  }
  return url;
}

/** The URL without its password, for messages. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/** The player id in a gw2race last will (a presence message), if there is one. */
function playerOfWill(will: ConnectHubOptions['will']): string | undefined {
  if (!will) return undefined;
  try {
    const text =
      typeof will.payload === 'string' ? will.payload : Buffer.from(will.payload).toString('utf8');
    const value: unknown = JSON.parse(text);
    const playerId = (value as { playerId?: unknown } | null)?.playerId;
    return typeof playerId === 'string' ? playerId : undefined;
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, shown: string, playerId?: string): AppError {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 2 || /Identifier rejected/i.test(message)) {
    // gw2race-host's hub refuses a second connection for a player who is already connected.
    return new AppError(
      'PLAYER_TAKEN',
      playerId !== undefined
        ? `player id "${playerId}" is already in this race on ${shown} (the hub refused a second connection for it)`
        : `the hub at ${shown} refused this client's identity (identifier rejected): is this player already connected?`,
      {
        hint: 'someone with the same name (or this racer, started twice) is connected: choose another id with --player ID (or another --name); if it was you a moment ago, wait half a minute for the hub to drop the old connection',
        cause: error,
      },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new AppError(
      'HUB_UNREACHABLE',
      `could not reach the hub at ${shown}: connection refused`,
      {
        hint: 'is the broker (or gw2race-host) running there? check the host, the port and --broker',
        cause: error,
      },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError('HUB_UNREACHABLE', `could not reach the hub at ${shown}: unknown host`, {
      hint: 'check the host name in --broker and your internet connection',
      cause: error,
    });
  }
  if (
    code === 4 ||
    code === 5 ||
    code === 134 ||
    code === 135 ||
    /Not authorized|Bad username/i.test(message)
  ) {
    const missing = code === 5 || code === 135 || /Not authorized/i.test(message);
    return new AppError(
      'HUB_AUTH',
      missing
        ? `the hub at ${shown} did not let us in (not authorized): a closed race needs your player id and its credential`
        : `the hub at ${shown} refused our credentials (${message})`,
      {
        hint: missing
          ? 'join with the invitation the organizer sent (or --username/--password)'
          : 'check --username/--password, or the URL user:password (or the invitation)',
        cause: error,
      },
    );
  }
  if (
    /certificate|self[- ]signed|SSL|TLS/i.test(message) ||
    (typeof code === 'string' && code.startsWith('ERR_TLS'))
  ) {
    return new AppError('HUB_UNREACHABLE', `TLS with the hub at ${shown} failed: ${message}`, {
      hint: 'a private hub with its own certificate authority needs --ca FILE',
      cause: error,
    });
  }
  return new AppError('HUB_UNREACHABLE', `could not connect to the hub at ${shown}: ${message}`, {
    cause: error,
  });
}

/**
 * Connects to an MQTT 3.1.1 hub. Resolves once connected; rejects with an {@link AppError} that
 * says why when the first attempt fails (refused, unknown host, timeout, credentials, TLS) instead
 * of retrying forever. Once connected, reconnects on its own. QoS 0 messages are never queued
 * while offline (a stale position is worse than none).
 */
export async function connectHub(urlText: string, options: ConnectHubOptions): Promise<MqttClient> {
  const url = parseHubUrl(urlText);
  const shown = redactUrl(url);
  let ca: Buffer | undefined;
  if (options.caFile) {
    try {
      ca = await readFile(options.caFile);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'it is a folder'
              : cause instanceof Error
                ? cause.message
                : String(cause);
      throw new AppError('BAD_FILE', `cannot read the CA file ${options.caFile}: ${reason}`, {
        hint: '--ca takes a PEM file of the certificate authorities that signed the hub',
        cause,
      });
    }
  }
  const playerId = options.playerId ?? playerOfWill(options.will);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clientOptions: IClientOptions = {
    clientId: options.clientId ?? randomClientId('gw2race'),
    protocolVersion: 4,
    clean: true,
    keepalive: 15,
    // Our own timer reports the timeout (with a clearer message) before mqtt.js gives up.
    connectTimeout: timeoutMs + 5000,
    reconnectPeriod: 0,
    queueQoSZero: false,
    resubscribe: true,
    ...(options.will
      ? {
          will: {
            topic: options.will.topic,
            payload:
              typeof options.will.payload === 'string'
                ? Buffer.from(options.will.payload)
                : Buffer.from(options.will.payload),
            qos: options.will.qos,
            retain: options.will.retain ?? false,
          },
        }
      : {}),
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(ca ? { ca } : {}),
  };
  const client = mqtt.connect(url.href, clientOptions);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      client.end(true);
      reject(
        new AppError(
          'HUB_UNREACHABLE',
          `could not reach the hub at ${shown}: no answer after ${timeoutMs / 1000} s`,
          {
            hint: 'check the host and port, and that a firewall lets MQTT through',
          },
        ),
      );
    }, timeoutMs);
    const onConnect = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      client.end(true);
      reject(describeFailure(error, shown, playerId));
    };
    const onClose = () => {
      // A close before connack without an error event: the hub hung up on us.
      setTimeout(() => {
        if (!client.connected)
          onError(
            Object.assign(new Error('the hub closed the connection'), { code: 'ECONNRESET' }),
          );
      }, 50);
    };
    function cleanup() {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    }
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
  // Connected: from now on, reconnect by ourselves.
  client.options.reconnectPeriod = options.reconnectMs ?? 1000;
  client.on('error', (error: Error) => {
    // Reported through onStatus; mqtt.js retries, unless the hub refused us for good.
    const code = (error as { code?: unknown }).code;
    if (options.onRefused && (code === 2 || code === 4 || code === 5)) {
      client.end(true);
      options.onRefused(describeFailure(error, shown, playerId));
    }
  });
  client.on('offline', () => options.onStatus?.('offline'));
  client.on('reconnect', () => options.onStatus?.('reconnecting'));
  client.on('connect', () => options.onStatus?.('online'));
  return client;
}

/**
 * Disconnects cleanly (what is in flight is delivered, then DISCONNECT), but gives up after
 * `timeoutMs` and closes the connection: mqtt.js's `end()` never calls back when the hub goes away
 * while it waits for an acknowledgement (the host shuts its hub down at the end of a race), and a
 * program must still exit.
 */
export function closeClient(client: MqttClient, timeoutMs = 2000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.end(true);
      resolve();
    }, timeoutMs);
    client.end(false, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
