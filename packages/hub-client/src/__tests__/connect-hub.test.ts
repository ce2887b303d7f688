import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { createRaceAccess, HOST_USERNAME, startHub } from '@gw2race/hub';
import { buildTopic, encodeMessage } from '@gw2race/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHub, randomClientId } from '../connect-hub';
import { HubClientError, isHubClientError } from '../errors';
import { parseHubUrl, redactUrl } from '../hub-url';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A port nothing listens on (bound, then closed). */
async function freePortClosed(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectHub', () => {
  it('relays messages over TCP and WebSocket, and keeps retained ones for late joiners', async () => {
    const http = createHttpServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const hub = await startHub({ port: 0, httpServer: http });
    cleanups.push(() => hub.close());

    const host = await connectHub(hub.url, { clientId: 'host' });
    cleanups.push(() => void host.end(true));
    await host.publishAsync('race/r1/state', '{"hello":1}', { qos: 1, retain: true });

    const wsPort = (http.address() as { port: number }).port;
    const late = await connectHub(`ws://127.0.0.1:${wsPort}/mqtt`, { clientId: 'late' });
    cleanups.push(() => void late.end(true));
    const received = new Promise<string>((resolve) =>
      late.on('message', (_t, payload) => resolve(payload.toString())),
    );
    await late.subscribeAsync('race/r1/state', { qos: 1 });
    expect(await received).toBe('{"hello":1}');
    expect(hub.clients()).toBe(2);
  });

  it('explains a refused connection', async () => {
    const port = await freePortClosed();
    const error = await connectHub(`mqtt://127.0.0.1:${port}`, {
      clientId: 'x',
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isHubClientError(error)).toBe(true);
    if (isHubClientError(error)) {
      expect(error.code).toBe('CONNECTION_REFUSED');
      expect(error.message).toBe(
        `could not reach the hub at mqtt://127.0.0.1:${port}: connection refused`,
      );
      expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    }
  });

  it('explains a silent hub (no MQTT answer) as a timeout', async () => {
    const sockets: Socket[] = [];
    // Accepts TCP, never answers CONNECT.
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as { port: number }).port;
    const error = await connectHub(`mqtt://127.0.0.1:${port}`, {
      clientId: 'x',
      timeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(isHubClientError(error) && error.code).toBe('TIMEOUT');
    expect(isHubClientError(error) && error.message).toBe(
      `could not reach the hub at mqtt://127.0.0.1:${port}: no answer after 0.5 s`,
    );
  });

  it('refuses bad URLs before connecting', async () => {
    const codes = [];
    for (const url of ['not a url', 'http://example.com']) {
      const error = await connectHub(url, { clientId: 'x' }).catch((e: unknown) => e);
      codes.push(isHubClientError(error) && error.code);
    }
    expect(codes).toEqual(['INVALID_URL', 'UNSUPPORTED_SCHEME']);
  });

  it('says why a CA file cannot be read', async () => {
    const error = await connectHub('mqtts://127.0.0.1:1', {
      caFile: '/nonexistent/ca.pem',
    }).catch((e: unknown) => e);
    expect(isHubClientError(error) && error.code).toBe('CA_FILE_UNREADABLE');
    expect(isHubClientError(error) && error.message).toBe(
      'cannot read the CA file /nonexistent/ca.pem: no such file',
    );
  });

  it('tells bad credentials and a taken player apart', async () => {
    const hub = await startHub({
      port: 0,
      access: createRaceAccess({ raceId: 'r1', hostToken: 'secret' }),
    });
    cleanups.push(() => hub.close());
    const impostor = await connectHub(hub.url, {
      clientId: 'impostor',
      username: HOST_USERNAME,
      password: 'guess',
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isHubClientError(impostor) && impostor.code).toBe('BAD_CREDENTIALS');

    const will = {
      topic: buildTopic('r1', 'presence'),
      payload: encodeMessage('presence', { playerId: 'twin', event: 'disconnected' }),
      qos: 1 as const,
    };
    const first = await connectHub(hub.url, { clientId: randomClientId('racer'), will });
    cleanups.push(() => void first.end(true));
    const twin = await connectHub(hub.url, {
      clientId: randomClientId('racer'),
      will,
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isHubClientError(twin) && twin.code).toBe('CLIENT_ID_REJECTED');
    expect(isHubClientError(twin) && twin.message).toBe(
      `player id "twin" is already in this race on ${hub.url} (the hub refused a second connection for it)`,
    );
  });

  it('on a closed race, a player id without its credential is not authorized, a wrong one is refused', async () => {
    const hub = await startHub({
      port: 0,
      access: createRaceAccess({
        raceId: 'r1',
        hostToken: 'secret',
        checkCredential: (playerId, password) => playerId === 'p1' && password === 'pw',
      }),
    });
    cleanups.push(() => hub.close());
    const bare = await connectHub(hub.url, { username: 'p1', timeoutMs: 3000 }).catch(
      (e: unknown) => e,
    );
    expect(isHubClientError(bare) && bare.code).toBe('NOT_AUTHORIZED');
    expect(isHubClientError(bare) && bare.message).toBe(
      `the hub at ${hub.url} did not let us in (not authorized): a closed race needs your player id and its credential`,
    );
    const wrong = await connectHub(hub.url, {
      username: 'p1',
      password: 'guess',
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isHubClientError(wrong) && wrong.code).toBe('BAD_CREDENTIALS');
  });

  it('makes client ids no one can guess', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomClientId('gw2race-racer-p1')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^gw2race-racer-p1-[A-Za-z0-9_-]{16}$/);
  });
});

describe('hub URLs', () => {
  it('hides the password in messages', () => {
    expect(redactUrl(parseHubUrl('mqtts://p1:hunter2@hub.example.com:8883/'))).toBe(
      'mqtts://p1:***@hub.example.com:8883',
    );
  });

  it('throws HubClientError with a typed code', () => {
    expect(() => parseHubUrl('http://example.com')).toThrow(HubClientError);
  });
});
