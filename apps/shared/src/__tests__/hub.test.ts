import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createRaceAccess, HOST_USERNAME } from '@gw2race/hub';
import { HubClientError } from '@gw2race/hub-client';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { checkEmbeddedHubPort, portTakenHint, startEmbeddedBroker } from '../hub';
import { connectHub, hubClientAppError } from '../hub-connection';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function freePortClosed(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('embedded broker and hub connection', () => {
  it('relays messages over TCP and WebSocket, and keeps retained ones for late joiners', async () => {
    const http = createHttpServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const broker = await startEmbeddedBroker({ port: 0, httpServer: http });
    cleanups.push(() => broker.close());

    const host = await connectHub(broker.url, { clientId: 'host' });
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
    expect(broker.clients()).toBe(2);
  });

  it('explains a refused connection with exit code 3', async () => {
    const port = await freePortClosed();
    const error = await connectHub(`mqtt://127.0.0.1:${port}`, {
      clientId: 'x',
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    if (isAppError(error)) {
      expect(error.code).toBe('HUB_UNREACHABLE');
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(
        `could not reach the hub at mqtt://127.0.0.1:${port}: connection refused`,
      );
    }
  });

  it('explains a silent hub (no MQTT answer) as a timeout', async () => {
    const sockets: import('node:net').Socket[] = [];
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
    expect(isAppError(error) && error.message).toBe(
      `could not reach the hub at mqtt://127.0.0.1:${port}: no answer after 0.5 s`,
    );
  });

  it('refuses bad URLs with a usage error', async () => {
    for (const url of ['not a url', 'http://example.com']) {
      const error = await connectHub(url, { clientId: 'x' }).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('USAGE');
    }
  });

  it('says which port is taken', async () => {
    const first = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => first.close());
    const error = await startEmbeddedBroker({ port: first.port }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PORT_IN_USE');
    expect(isAppError(error) && error.message).toBe(
      `port ${first.port} on 127.0.0.1 is already in use (another broker or gw2race-host?)`,
    );
    const hint = isAppError(error) ? (error.hint ?? '') : '';
    const free = Number(/--port (\d+)/.exec(hint)?.[1]);
    expect(hint).toBe(
      `listen on a free port with --port ${free}, or, if a race hub already runs there, race on it with --broker mqtt://127.0.0.1:${first.port}`,
    );
    // The port it suggests is free: a hub starts on it.
    const second = await startEmbeddedBroker({ port: free });
    cleanups.push(() => second.close());
    expect(second.port).toBe(free);
  });

  it('checks a port before the hub starts, with the same errors, and leaves a free port free', async () => {
    const first = await startEmbeddedBroker({ port: 0 });
    cleanups.push(() => first.close());
    const error = await checkEmbeddedHubPort('127.0.0.1', first.port).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PORT_IN_USE');
    expect(isAppError(error) && error.hint).toMatch(/--port \d+.*--broker mqtt:\/\/127\.0\.0\.1:/);
    const foreign = await checkEmbeddedHubPort('192.0.2.1', 1883).catch((e: unknown) => e);
    expect(isAppError(foreign) && foreign.code).toBe('USAGE');
    const free = await freePortClosed();
    await checkEmbeddedHubPort('127.0.0.1', free);
    const hub = await startEmbeddedBroker({ port: free });
    cleanups.push(() => hub.close());
    expect(hub.port).toBe(free);
  });

  it('on a taken port of 0.0.0.0 suggests an address to connect to, never 0.0.0.0', async () => {
    const first = await startEmbeddedBroker({ host: '0.0.0.0', port: 0 });
    cleanups.push(() => first.close());
    const error = await startEmbeddedBroker({ host: '0.0.0.0', port: first.port }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('PORT_IN_USE');
    const hint = isAppError(error) ? (error.hint ?? '') : '';
    expect(hint).toContain(`--broker mqtt://127.0.0.1:${first.port}`);
    expect(hint).not.toContain('0.0.0.0');
  });

  it('writes the hint for wildcard, IPv6 and named addresses, with or without a free port', () => {
    expect(portTakenHint('::', 1883, 40001)).toBe(
      'listen on a free port with --port 40001, or, if a race hub already runs there, race on it with --broker mqtt://127.0.0.1:1883',
    );
    expect(portTakenHint('::1', 1883, undefined)).toBe(
      'listen on another free port with --port N, or, if a race hub already runs there, race on it with --broker mqtt://[::1]:1883',
    );
    expect(portTakenHint('192.168.1.20', 1999, 5000)).toContain(
      '--broker mqtt://192.168.1.20:1999',
    );
  });

  it('applies the race access: a forged state is refused and reported, a wrong host token is HUB_AUTH', async () => {
    const refused: string[] = [];
    const broker = await startEmbeddedBroker({
      port: 0,
      access: createRaceAccess({ raceId: 'r1', hostToken: 'secret' }),
      onRefused: (_id, topic, reason) => refused.push(`${topic}: ${reason}`),
    });
    cleanups.push(() => broker.close());
    const racer = await connectHub(broker.url, { clientId: 'racer', username: 'p1' });
    cleanups.push(() => void racer.end(true));
    racer.publish('race/r1/state', '{}', { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(refused).toEqual(['race/r1/state: only the host publishes on state']);

    const impostor = await connectHub(broker.url, {
      clientId: 'impostor',
      username: HOST_USERNAME,
      password: 'guess',
      timeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(isAppError(impostor) && impostor.code).toBe('HUB_AUTH');
    const host = await connectHub(broker.url, {
      clientId: 'host',
      username: HOST_USERNAME,
      password: 'secret',
    });
    cleanups.push(() => void host.end(true));
    await host.publishAsync('race/r1/state', '{}', { qos: 1 });
    expect(refused).toHaveLength(1);
  });

  it('gives the CLIs exit codes and hints for hub-client errors', async () => {
    const error = await connectHub('mqtts://127.0.0.1:1', {
      caFile: '/nonexistent/ca.pem',
    }).catch((e: unknown) => e);
    expect(isAppError(error) && [error.code, error.exitCode, error.message, error.hint]).toEqual([
      'BAD_FILE',
      6,
      'cannot read the CA file /nonexistent/ca.pem: no such file',
      '--ca takes a PEM file of the certificate authorities that signed the hub',
    ]);
    const usage = hubClientAppError(new HubClientError('INVALID_URL', '"x" is not a hub URL'));
    expect(isAppError(usage) && [usage.exitCode, usage.hint]).toEqual([
      2,
      'use mqtt://host:1883, mqtts://host:8883, ws://host:8080/mqtt or wss://host/mqtt',
    ]);
    const other = new Error('not ours');
    expect(hubClientAppError(other)).toBe(other);
  });
});
