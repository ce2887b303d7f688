import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach } from 'vitest';
import { type Hub, type HubOptions, startHub } from '../start-hub';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Runs `fn` after the test. */
export function later(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** A hub on 127.0.0.1 with a free port, closed after the test. */
export async function hubFor(options: HubOptions = {}): Promise<Hub> {
  const hub = await startHub({ port: 0, ...options });
  later(() => hub.close());
  return hub;
}

/** An HTTP server on 127.0.0.1, closed after the test. */
export async function httpServer(): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { server, port: (server.address() as { port: number }).port };
}

/** An mqtt.js client (MQTT 3.1.1, no reconnection), ended after the test. */
export async function client(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 3000,
    ...options,
  });
  later(() => void c.end(true));
  return c;
}

/** The connection error of a client the hub refuses (its CONNACK code), or 'connected'. */
export async function refusal(url: string, options: IClientOptions = {}): Promise<unknown> {
  try {
    const c = await client(url, options);
    return c.connected ? 'connected' : 'closed';
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
}

/** Collects the messages a client receives, as `topic payload`. */
export function received(c: MqttClient): string[] {
  const messages: string[] = [];
  c.on('message', (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
  return messages;
}

/** Waits for the network to settle. */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` is true (polling), or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out waiting');
    await settle(20);
  }
}
