import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { describeFailure } from './describe-failure';
import { HubClientError } from './errors';
import { parseHubUrl, redactUrl } from './hub-url';
import { fetchPinnedCertificate } from './pinned-certificate';

/** The state of a connection once it has been up, as {@link ConnectHubOptions.onStatus} gets it. */
export type HubStatus = 'offline' | 'reconnecting' | 'online';

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
  /** MQTT user name (on a gw2race hub: the player id, or the host's user name). */
  username?: string;
  /** MQTT password (on a closed race: the player's credential). */
  password?: string;
  /** A PEM file of certificate authorities to trust (private hubs with their own CA). */
  caFile?: string;
  /**
   * The SHA-256 of the hub's TLS certificate (64 hex digits, an invitation's `tlsSha256`), for a
   * hub with a self-made certificate: the client trusts that certificate and no other, without a
   * certificate authority (its host name is not checked: the fingerprint is the identity).
   */
  tlsSha256?: string;
  /** Give up on the first connection after this long. Default 10 s. */
  timeoutMs?: number;
  /** Pause between reconnection attempts once connected. Default 1 s. */
  reconnectMs?: number;
  /** Called when the connection drops and comes back. */
  onStatus?: (status: HubStatus) => void;
  /**
   * The player this connection is for, named in the message when the hub refuses it because
   * that player is already connected. Default: the `playerId` of the last will, if it has one.
   */
  playerId?: string;
  /**
   * Once connected, the hub refused a reconnection for good (CONNACK: identifier rejected, bad
   * credentials, not authorized). With this callback the client stops reconnecting and it is
   * called with the error to report; without it, the client keeps trying.
   */
  onRefused?: (error: HubClientError) => void;
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

async function readCa(caFile: string): Promise<Buffer> {
  try {
    return await readFile(caFile);
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
    throw new HubClientError('CA_FILE_UNREADABLE', `cannot read the CA file ${caFile}: ${reason}`, {
      cause,
    });
  }
}

/** The authorities to trust: `caFile`, or the hub's own certificate when it is pinned. */
async function trustedCa(url: URL, options: ConnectHubOptions): Promise<Buffer | undefined> {
  const secure = url.protocol === 'mqtts:' || url.protocol === 'wss:';
  if (options.tlsSha256 !== undefined && secure) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 8883));
    const pem = await fetchPinnedCertificate(
      host,
      port,
      options.tlsSha256,
      options.timeoutMs ?? 10_000,
    );
    return Buffer.from(pem);
  }
  return options.caFile ? readCa(options.caFile) : undefined;
}

function clientOptionsOf(options: ConnectHubOptions, ca: Buffer | undefined): IClientOptions {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
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
            payload: Buffer.from(options.will.payload),
            qos: options.will.qos,
            retain: options.will.retain ?? false,
          },
        }
      : {}),
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(ca ? { ca } : {}),
    // A pinned certificate is trusted for what it is, whatever name the invitation reached it by.
    ...(options.tlsSha256 !== undefined ? { checkServerIdentity: () => undefined } : {}),
  };
}

/** Waits for the first CONNACK; rejects with the reason the first attempt failed. */
function firstConnection(
  client: MqttClient,
  shown: string,
  timeoutMs: number,
  playerId: string | undefined,
  sentCredentials: boolean,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      client.end(true);
      reject(
        new HubClientError(
          'TIMEOUT',
          `could not reach the hub at ${shown}: no answer after ${timeoutMs / 1000} s`,
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
      reject(describeFailure(error, shown, playerId, sentCredentials));
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
}

/**
 * Connects to an MQTT 3.1.1 hub. Resolves once connected; rejects with a {@link HubClientError}
 * that says why when the first attempt fails (refused, unknown host, timeout, credentials, TLS)
 * instead of retrying forever. Once connected, reconnects on its own. QoS 0 messages are never
 * queued while offline (a stale position is worse than none).
 *
 * @example
 * const client = await connectHub('mqtt://127.0.0.1:1883', { clientId: randomClientId('bot') });
 * await client.subscribeAsync('race/r1/state', { qos: 1 });
 */
export async function connectHub(urlText: string, options: ConnectHubOptions): Promise<MqttClient> {
  const url = parseHubUrl(urlText);
  const shown = redactUrl(url);
  const ca = await trustedCa(url, options);
  const playerId = options.playerId ?? playerOfWill(options.will);
  // A user name alone is a player id (gw2race-racer always sends one): only a password is a
  // credential the hub can have refused; without one, 'not authorized' means a closed race wants it.
  const sentCredentials = options.password !== undefined;
  const client = mqtt.connect(url.href, clientOptionsOf(options, ca));
  await firstConnection(client, shown, options.timeoutMs ?? 10_000, playerId, sentCredentials);
  // Connected: from now on, reconnect by ourselves.
  client.options.reconnectPeriod = options.reconnectMs ?? 1000;
  client.on('error', (error: Error) => {
    // Reported through onStatus; mqtt.js retries, unless the hub refused us for good.
    const code = (error as { code?: unknown }).code;
    if (options.onRefused && (code === 2 || code === 4 || code === 5)) {
      client.end(true);
      options.onRefused(describeFailure(error, shown, playerId, sentCredentials));
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
