import { createSocket, type RemoteInfo, Socket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isClockSyncError } from '../../errors';
import { parseServer } from '../../node/parse-server';
import { pollSntp } from '../../node/poll-sntp';
import { querySntp } from '../../node/query-sntp';
import {
  decodeSntpPacket,
  encodeSntpPacket,
  msToNtpTimestamp,
  type SntpPacket,
} from '../../node/sntp-packet';
import { createSntpServer, type SntpServer } from '../../node/sntp-server';
import { createOffsetEstimator } from '../../offset-estimator';

/**
 * The attempt length for tests whose server answers (badly): long enough for the answer to come
 * back on a loaded CI machine (40 ms was not), since a reply that misses it is a TIMEOUT instead.
 */
const ANSWERED_MS = 1_000;

// Both sides read one fine clock with known shifts, so the true offset is known exactly.
const SERVER_SHIFT = 1_700_000_000_000;
const CLIENT_SHIFT = 1_700_000_000_000 - 2_345.678;
const TRUE_OFFSET = SERVER_SHIFT - CLIENT_SHIFT;
const serverNow = () => performance.now() + SERVER_SHIFT;
const localNow = () => performance.now() + CLIENT_SHIFT;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function server(options: Parameters<typeof createSntpServer>[0] = {}): Promise<SntpServer> {
  const s = await createSntpServer({ now: serverNow, ...options });
  cleanup.push(() => s.close());
  return s;
}

/** A raw UDP socket on 127.0.0.1 that does whatever the test says with each datagram. */
async function rawServer(
  onMessage: (message: Buffer, remote: RemoteInfo, socket: Socket) => void,
): Promise<{ port: number; received: () => number }> {
  const socket = createSocket('udp4');
  let received = 0;
  socket.on('message', (message, remote) => {
    received++;
    onMessage(message, remote, socket);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, received: () => received };
}

/** An NTP header with sensible defaults (a stratum-2 server answer). */
function packet(patch: Partial<SntpPacket> = {}): Uint8Array {
  return encodeSntpPacket({
    leap: 0,
    version: 4,
    mode: 4,
    stratum: 2,
    poll: 0,
    precision: -20,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    referenceId: 0,
    referenceTime: { seconds: 0, fraction: 0 },
    originTime: { seconds: 0, fraction: 0 },
    receiveTime: { seconds: 0, fraction: 0 },
    transmitTime: { seconds: 0, fraction: 0 },
    ...patch,
  });
}

/** A well-formed server answer to `request`, stamped with `receivedMs`/`sentMs`. */
function answer(
  request: Buffer,
  receivedMs: number,
  sentMs: number,
  patch: Partial<SntpPacket> = {},
) {
  const decoded = decodeSntpPacket(new Uint8Array(request));
  if (!decoded.ok) throw decoded.error;
  return packet({
    referenceTime: msToNtpTimestamp(receivedMs),
    originTime: decoded.value.transmitTime,
    receiveTime: msToNtpTimestamp(receivedMs),
    transmitTime: msToNtpTimestamp(sentMs),
    ...patch,
  });
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isClockSyncError(error)) return error;
    throw error;
  }
  throw new Error('expected a ClockSyncError');
}

describe('querySntp against a local server', () => {
  it('measures the offset within its bound', async () => {
    const s = await server({ stratum: 1, referenceId: 'GPS' });
    const result = await querySntp({ host: '127.0.0.1', port: s.port }, { localNow });
    expect(Math.abs(result.offsetMs - TRUE_OFFSET)).toBeLessThanOrEqual(result.boundMs);
    expect(result).toMatchObject({
      server: `127.0.0.1:${s.port}`,
      address: '127.0.0.1',
      stratum: 1,
      leap: 0,
      version: 4,
      referenceId: 'GPS',
      attempts: 1,
    });
    expect(result.delayMs).toBeGreaterThanOrEqual(0);
    expect(result.precisionMs).toBeCloseTo(2 ** -20 * 1000, 12);
    expect(result.sample.source).toBe(result.server);
    expect(s.requests()).toBe(1);
  });

  it('stamps a fresh socket’s first request after the socket is bound, not before', async () => {
    const s = await server();
    // Every 'listening' of the client's sockets, on the client's time scale, held back 50 ms
    // as a slow bind would be: a t1 stamped before the bind would carry it as round trip.
    const listenedAt: number[] = [];
    const emit = Socket.prototype.emit;
    const spy = vi.spyOn(Socket.prototype, 'emit').mockImplementation(function (
      this: Socket,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (event !== 'listening') return Reflect.apply(emit, this, [event, ...args]);
      setTimeout(() => {
        listenedAt.push(localNow());
        Reflect.apply(emit, this, [event, ...args]);
      }, 50);
      return true;
    });
    cleanup.push(() => spy.mockRestore());
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await querySntp({ host: '127.0.0.1', port: s.port }, { localNow }));
    }
    expect(listenedAt).toHaveLength(3); // one fresh socket per query
    results.forEach((result, i) => {
      // The request left after its socket was listening: the bind is not in the round trip...
      expect(result.sample.t1).toBeGreaterThanOrEqual(listenedAt[i] ?? Number.POSITIVE_INFINITY);
      // ...so the first query's offset is as good as the next ones': within its bound (half its
      // own round trip, plus the timestamps' precision) of the server's known offset.
      expect(Math.abs(result.offsetMs - TRUE_OFFSET)).toBeLessThanOrEqual(result.boundMs);
    });
  });

  it('reports the system clock against the server by default', async () => {
    const s = await createSntpServer({ now: () => Date.now() + 5_000 });
    cleanup.push(() => s.close());
    const result = await querySntp(`127.0.0.1:${s.port}`);
    expect(result.offsetMs).toBeGreaterThan(4_000);
    expect(result.offsetMs).toBeLessThan(6_000);
  });

  it('fails with TIMEOUT when nobody answers, after every retry', async () => {
    const silent = await rawServer(() => {});
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: silent.port }, { timeoutMs: 40, retries: 2 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`no answer from 127.0.0.1:${silent.port} in 3 attempt(s) of 40 ms`);
    expect(error.server).toBe(`127.0.0.1:${silent.port}`);
    await vi.waitFor(() => expect(silent.received()).toBe(3));
  });

  it('fails with INVALID_RESPONSE when the server answers garbage', async () => {
    const garbage = await rawServer((request, remote, socket) => {
      socket.send(Buffer.from('HTTP/1.1 400'), remote.port, remote.address);
      const forged = answer(request, serverNow(), serverNow(), {
        originTime: { seconds: 1, fraction: 2 },
      });
      socket.send(forged, remote.port, remote.address);
    });
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: garbage.port }, { timeoutMs: ANSWERED_MS, retries: 0 }),
    );
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/sent 2 replies but no valid answer in 1 attempt\(s\)/);
    expect(error.message).toMatch(/origin timestamp matches none of our requests/);
  });

  it('refuses a reply sent from another port (spoofing)', async () => {
    const spoofer = createSocket('udp4');
    await new Promise<void>((resolve) => spoofer.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => spoofer.close(() => resolve())));
    const target = await rawServer((request, remote) => {
      spoofer.send(answer(request, serverNow(), serverNow()), remote.port, remote.address);
    });
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: target.port }, { timeoutMs: 40, retries: 0 }),
    );
    expect(error.code).toBe('TIMEOUT');
  });

  it('accepts a late answer to an earlier attempt, with that attempt’s send time', async () => {
    let first: { request: Buffer; receivedMs: number } | undefined;
    let answered = false;
    const late = await rawServer((request, remote, socket) => {
      const receivedMs = serverNow();
      if (!first) {
        first = { request, receivedMs }; // held back: the client will time out and retry
        return;
      }
      if (answered) return;
      answered = true; // answer the first request, once, and ignore the retries themselves
      socket.send(
        answer(first.request, first.receivedMs, serverNow()),
        remote.port,
        remote.address,
      );
    });
    const result = await querySntp(
      { host: '127.0.0.1', port: late.port },
      { timeoutMs: 200, retries: 3, localNow },
    );
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    // Computed with the first attempt's send time the offset is right; with a retry's, the
    // round trip would come out negative and the answer would be refused.
    expect(Math.abs(result.offsetMs - TRUE_OFFSET)).toBeLessThanOrEqual(result.boundMs);
    // The time the server held the request is not network delay.
    const { t1, t2, t3, t4 } = result.sample;
    expect(t3 - t2).toBeGreaterThan(0);
    expect(result.delayMs).toBeCloseTo(t4 - t1 - (t3 - t2), 9);
  });

  it('stops at a kiss-o’-death without retrying', async () => {
    const s = await server({ kissCode: 'RATE' });
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: s.port }, { timeoutMs: 1_000, retries: 3 }),
    );
    expect(error.code).toBe('KISS_OF_DEATH');
    expect(error.kissCode).toBe('RATE');
    expect(error.message).toMatch(/kiss code RATE \(asked too often/);
    expect(s.requests()).toBe(1);
  });

  it('refuses unsynchronised servers', async () => {
    for (const options of [{ leap: 3 as const }, { stratum: 16 }, { rootDispersionMs: 2_000 }]) {
      const s = await server(options);
      const error = await failure(
        querySntp({ host: '127.0.0.1', port: s.port }, { timeoutMs: 1_000 }),
      );
      expect(error.code).toBe('UNSYNCHRONIZED');
      expect(s.requests()).toBe(1);
    }
  });

  it('refuses impossible timestamps (the server sent before it received)', async () => {
    const broken = await rawServer((request, remote, socket) => {
      const now = serverNow();
      socket.send(answer(request, now, now - 60_000), remote.port, remote.address);
    });
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: broken.port }, { timeoutMs: ANSWERED_MS, retries: 0 }),
    );
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/timestamps are impossible/);
  });

  it('refuses a precision over a second (not a working clock)', async () => {
    const sloppy = await rawServer((request, remote, socket) => {
      const now = serverNow();
      socket.send(answer(request, now, now, { precision: 1 }), remote.port, remote.address);
    });
    const error = await failure(
      querySntp({ host: '127.0.0.1', port: sloppy.port }, { timeoutMs: ANSWERED_MS, retries: 0 }),
    );
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/precision 2\^1 s is over a second/);
    // A second exactly (2^0) is coarse but possible: accepted, and counted into the bound.
    const coarse = await rawServer((request, remote, socket) => {
      const now = serverNow();
      socket.send(answer(request, now, now, { precision: 0 }), remote.port, remote.address);
    });
    const result = await querySntp({ host: '127.0.0.1', port: coarse.port }, { localNow });
    expect(result.precisionMs).toBe(1_000);
    expect(result.boundMs).toBeGreaterThanOrEqual(2_000);
  });

  it('gives the name lookup timeoutMs and the signal, not forever', async () => {
    const never = () => new Promise<never>(() => {});
    const hung = await failure(querySntp('ntp.invalid', { lookup: never, timeoutMs: 30 }));
    expect(hung.code).toBe('LOOKUP_FAILED');
    expect(hung.message).toBe('cannot resolve ntp.invalid: no answer in 30 ms');
    expect(hung.server).toBe('ntp.invalid:123');

    const controller = new AbortController();
    const pending = querySntp('ntp.invalid', {
      lookup: never,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    expect((await failure(pending)).code).toBe('ABORTED');

    const refused = new Error('getaddrinfo ENOTFOUND ntp.invalid');
    const notFound = await failure(
      querySntp('ntp.invalid', { lookup: () => Promise.reject(refused) }),
    );
    expect(notFound).toMatchObject({ code: 'LOOKUP_FAILED', cause: refused });
    const empty = await failure(querySntp('ntp.invalid', { lookup: async () => [] }));
    expect(empty).toMatchObject({ code: 'LOOKUP_FAILED', message: 'ntp.invalid has no address' });
  });

  it('sends each retry to the next address of the name', async () => {
    const s = await server(); // listens on 127.0.0.1 only; nobody answers on 127.0.0.2
    const asked: string[] = [];
    const lookup = async (host: string) => {
      asked.push(host);
      return [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
    };
    const result = await querySntp(
      { host: 'ntp.example', port: s.port },
      { lookup, timeoutMs: 150, retries: 3, localNow },
    );
    expect(asked).toEqual(['ntp.example']);
    // Only the second address answers, so the answer proves the retry moved on. (Under load the
    // answer to attempt 2 may come after attempt 3 left; it still counts.)
    expect(result).toMatchObject({ server: `ntp.example:${s.port}`, address: '127.0.0.1' });
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(s.requests()).toBeGreaterThanOrEqual(1);
    expect(Math.abs(result.offsetMs - TRUE_OFFSET)).toBeLessThanOrEqual(result.boundMs);
  });

  it('can be aborted, and checks its arguments', async () => {
    const silent = await rawServer(() => {});
    const controller = new AbortController();
    const pending = querySntp(
      { host: '127.0.0.1', port: silent.port },
      { timeoutMs: 60_000, signal: controller.signal },
    );
    controller.abort();
    expect((await failure(pending)).code).toBe('ABORTED');
    expect((await failure(querySntp('127.0.0.1', { signal: AbortSignal.abort() }))).code).toBe(
      'ABORTED',
    );
    expect((await failure(querySntp('127.0.0.1:99999'))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(querySntp('127.0.0.1', { timeoutMs: 0 }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('parseServer', () => {
  it('splits names, ports and IPv6 addresses', () => {
    expect(parseServer('pool.ntp.org')).toEqual({ host: 'pool.ntp.org', port: 123 });
    expect(parseServer('10.0.0.2:1123')).toEqual({ host: '10.0.0.2', port: 1123 });
    expect(parseServer('[::1]:1123')).toEqual({ host: '::1', port: 1123 });
    expect(parseServer('[::1]')).toEqual({ host: '::1', port: 123 });
    expect(parseServer('fe80::1')).toEqual({ host: 'fe80::1', port: 123 });
    expect(parseServer({ host: 'h' }, 5)).toEqual({ host: 'h', port: 5 });
    expect(parseServer('h:x').port).toBeNaN();
  });
});

describe('createSntpServer', () => {
  it('answers client requests only, and ignores garbage', async () => {
    const s = await server();
    const probe = createSocket('udp4');
    cleanup.push(() => new Promise<void>((resolve) => probe.close(() => resolve())));
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const replies: Buffer[] = [];
    probe.on('message', (m) => replies.push(m));
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => probe.send(bytes, s.port, '127.0.0.1', () => resolve()));
    await send(new Uint8Array(10));
    await send(packet({ mode: 4, transmitTime: msToNtpTimestamp(serverNow()) })); // an answer, not a request
    await send(packet({ mode: 3, version: 0 })); // no such version
    const result = await querySntp({ host: '127.0.0.1', port: s.port }, { localNow });
    expect(result.stratum).toBe(10);
    expect(result.referenceId).toBe('76.79.67.76'); // "LOCL", shown as an address above stratum 1
    expect(s.requests()).toBe(1);
    expect(replies).toHaveLength(0);
  });

  it('reports a port that is taken', async () => {
    const s = await server();
    const error = await failure(createSntpServer({ port: s.port }));
    expect(error.code).toBe('NETWORK');
    expect((await failure(createSntpServer({ port: 70_000 }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('pollSntp', () => {
  it('leaves a falseticker out and feeds the others to the estimator', async () => {
    const good1 = await server();
    const good2 = await server({ rootDispersionMs: 1 });
    const liar = await server({ now: () => serverNow() + 10_000 });
    const estimator = createOffsetEstimator();
    // The local time scale is monotonic time plus a fixed anchor: read the anchor itself. (Two
    // clock readings would be off by however long the process was descheduled between them,
    // which on a busy CI machine was 29.5 ms once.)
    const clientShift = estimator.localAt(0);
    const poll = await pollSntp({
      servers: [
        `127.0.0.1:${good1.port}`,
        { host: '127.0.0.1', port: good2.port },
        `127.0.0.1:${liar.port}`,
      ],
      samplesPerServer: 3,
      intervalMs: 0,
      estimator,
    });
    expect(poll.servers.map((s) => s.truechimer)).toEqual([true, true, false]);
    expect(poll.servers.map((s) => s.results.length)).toEqual([3, 3, 3]);
    expect(poll.samples).toHaveLength(6);
    const truth = SERVER_SHIFT - clientShift;
    expect(Math.abs(poll.offsetMs - truth)).toBeLessThanOrEqual(poll.boundMs);
    expect(poll.estimate?.samples).toBe(6);
    expect(Math.abs((poll.estimate?.offsetMs ?? 0) - truth)).toBeLessThanOrEqual(
      poll.estimate?.boundMs ?? 0,
    );
  });

  it('stops asking a server that sent a kiss-o’-death', async () => {
    const good = await server();
    const rate = await server({ kissCode: 'DENY' });
    const poll = await pollSntp({
      servers: [`127.0.0.1:${good.port}`, `127.0.0.1:${rate.port}`],
      samplesPerServer: 3,
      intervalMs: 0,
    });
    expect(rate.requests()).toBe(1);
    expect(poll.servers[1]?.errors[0]?.kissCode).toBe('DENY');
    expect(poll.servers.map((s) => s.truechimer)).toEqual([true, false]);
  });

  it('fails clearly when nobody answers or nobody agrees', async () => {
    const silent = await rawServer(() => {});
    const none = await failure(
      pollSntp({
        servers: [`127.0.0.1:${silent.port}`],
        timeoutMs: 20,
        retries: 0,
        intervalMs: 0,
        samplesPerServer: 2,
      }),
    );
    expect(none.code).toBe('TIMEOUT');
    expect(none.message).toMatch(/^no SNTP server answered: 127\.0\.0\.1:\d+: no answer from/);

    const a = await server();
    const b = await server({ now: () => serverNow() + 60_000 });
    const split = await failure(
      pollSntp({
        servers: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
        intervalMs: 0,
        samplesPerServer: 1,
      }),
    );
    expect(split.code).toBe('NO_MAJORITY');
    expect((await failure(pollSntp({ servers: [] }))).code).toBe('INVALID_ARGUMENT');
  });
});
