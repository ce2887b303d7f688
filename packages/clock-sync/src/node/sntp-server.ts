import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { ClockSyncError } from '../errors';
import { createOffsetEstimator } from '../offset-estimator';
import {
  asciiToReferenceId,
  decodeSntpPacket,
  encodeSntpPacket,
  msToNtpTimestamp,
} from './sntp-packet';

/** Options of {@link createSntpServer}. */
export interface SntpServerOptions {
  /** Address to listen on. Default `127.0.0.1`; `0.0.0.0` to serve a LAN. */
  host?: string;
  /** UDP port. Default 0 (any free port; read it back from `port`). 123 needs privileges. */
  port?: number;
  /**
   * The clock served, epoch ms. Default: this machine's wall clock read once at start and carried
   * on by the monotonic clock, so a change of the date while serving does not reach clients.
   * An organizer passes its estimator's `now`.
   */
  now?: () => number;
  /** Stratum announced: 1 for a primary reference, one more than the source's when synced. Default 10 (an undisciplined local clock). */
  stratum?: number;
  /** Reference id announced at stratum 1 (up to 4 ASCII characters). Default `LOCL`. */
  referenceId?: string;
  /** Leap indicator announced; 3 says "unsynchronised". Default 0. */
  leap?: 0 | 1 | 2 | 3;
  /** Precision announced, log2 seconds. Default −20 (about 1 µs). */
  precisionLog2?: number;
  /** Root delay announced, ms. Default 0. */
  rootDelayMs?: number | (() => number);
  /** Root dispersion announced, ms (an estimator's bound is a good value). Default 0. */
  rootDispersionMs?: number | (() => number);
  /** Answer every request with this kiss-o'-death code (`RATE`, `DENY`) instead of the time: maintenance, tests. */
  kissCode?: string;
}

/** A running SNTP server. */
export interface SntpServer {
  /** The address it listens on. */
  readonly address: string;
  /** The UDP port it listens on. */
  readonly port: number;
  /** Requests answered so far. */
  requests(): number;
  /** Stops listening. */
  close(): Promise<void>;
}

const resolveMs = (v: number | (() => number) | undefined) =>
  typeof v === 'function' ? v() : (v ?? 0);

/**
 * A small SNTP server (RFC 4330 §6, unicast mode 3 → 4): it stamps the request's arrival as
 * soon as the event loop hands it over and its transmit time just before sending, and echoes the
 * client's transmit timestamp. Tests run one on 127.0.0.1; an organizer can serve its race clock
 * to a LAN with it. Anything that is not a client request of version 1–4 is ignored.
 *
 * @example
 * const server = await createSntpServer({ host: '0.0.0.0', port: 1123, now: organizer.now });
 * // racers: await querySntp({ host: 'organizer.lan', port: 1123 })
 */
export async function createSntpServer(options: SntpServerOptions = {}): Promise<SntpServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const stratum = options.stratum ?? 10;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ClockSyncError('INVALID_ARGUMENT', `port must be 0–65535, got ${port}`);
  }
  if (!Number.isInteger(stratum) || stratum < 1 || stratum > 16) {
    throw new ClockSyncError('INVALID_ARGUMENT', `stratum must be 1–16, got ${stratum}`);
  }
  const now = options.now ?? createOffsetEstimator().now;
  const referenceId =
    options.kissCode !== undefined
      ? asciiToReferenceId(options.kissCode)
      : asciiToReferenceId(options.referenceId ?? 'LOCL');
  let answered = 0;

  const socket: Socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  socket.on('message', (message, remote) => {
    const received = now();
    const decoded = decodeSntpPacket(
      new Uint8Array(message.buffer, message.byteOffset, message.byteLength),
    );
    if (!decoded.ok || decoded.value.mode !== 3) return;
    const request = decoded.value;
    const receiveTime = msToNtpTimestamp(received);
    const reply = (transmitMs: number) =>
      encodeSntpPacket({
        leap: options.kissCode !== undefined ? 3 : (options.leap ?? 0),
        version: request.version,
        mode: 4,
        stratum: options.kissCode !== undefined ? 0 : stratum,
        poll: request.poll,
        precision: options.precisionLog2 ?? -20,
        rootDelayMs: resolveMs(options.rootDelayMs),
        rootDispersionMs: resolveMs(options.rootDispersionMs),
        referenceId,
        referenceTime: receiveTime,
        originTime: request.transmitTime,
        receiveTime,
        transmitTime: msToNtpTimestamp(transmitMs),
      });
    answered++;
    socket.send(reply(now()), remote.port, remote.address);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (cause: Error) =>
      reject(
        new ClockSyncError('NETWORK', `cannot listen on ${host}:${port}`, {
          server: `${host}:${port}`,
          cause,
        }),
      );
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      // A send to a vanished client must not bring the server down.
      socket.on('error', () => {});
      resolve();
    });
  });
  const bound = socket.address();

  return {
    address: bound.address,
    port: bound.port,
    requests: () => answered,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
