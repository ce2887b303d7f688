import { type AppError, connectHub, isAppError } from '@gw2race/app-shared';
import { startEmbeddedBroker } from '@gw2race/app-shared/hub';
import { createRaceAccess } from '@gw2race/hub';
import { buildTopic, encodeMessage } from '@gw2race/protocol';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const RACE = 'dup';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** What gw2race-racer sends at CONNECT: its player in the last will. */
const willOf = (playerId: string) => ({
  topic: buildTopic(RACE, 'presence'),
  payload: encodeMessage('presence', { playerId, event: 'disconnected' }),
  qos: 1 as const,
});

async function hub() {
  const refusedClients: string[] = [];
  const broker = await startEmbeddedBroker({
    port: 0,
    access: createRaceAccess({ raceId: RACE, hostToken: 'token' }),
    onRefusedClient: (clientId, reason) => refusedClients.push(`${clientId}: ${reason}`),
  });
  cleanups.push(() => broker.close());
  // Everything published on presence, to see that a refused twin announces nothing.
  const watcher = await connectHub(broker.url, { clientId: 'watcher' });
  cleanups.push(() => void watcher.end(true));
  const presence: string[] = [];
  watcher.on('message', (_topic, payload) => presence.push(payload.toString()));
  await watcher.subscribeAsync(buildTopic(RACE, 'presence'), { qos: 1 });
  return { broker, refusedClients, presence };
}

async function racer(url: string, clientId: string, playerId: string, extra = {}) {
  const client = await connectHub(url, {
    clientId,
    will: willOf(playerId),
    timeoutMs: 3000,
    ...extra,
  });
  cleanups.push(() => void client.end(true));
  return client;
}

const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two clients with the same player id on the embedded hub', () => {
  it('refuses the second at CONNECT with a clear message and exit code 7; its will is never published', async () => {
    const { broker, refusedClients, presence } = await hub();
    await racer(broker.url, 'gw2race-racer-twin-aaa', 'twin');
    const error = await racer(broker.url, 'gw2race-racer-twin-bbb', 'twin').catch(
      (e: unknown) => e,
    );
    expect(isAppError(error)).toBe(true);
    const appError = error as AppError;
    expect(appError.code).toBe('PLAYER_TAKEN');
    expect(appError.exitCode).toBe(7);
    expect(appError.message).toBe(
      `player id "twin" is already in this race on ${broker.url} (the hub refused a second connection for it)`,
    );
    expect(appError.hint).toMatch(/--player ID/);
    expect(refusedClients).toEqual([
      `gw2race-racer-twin-bbb: player id "twin" is already connected to race ${RACE}`,
    ]);
    await settle();
    // No "twin disconnected" from the refused one: the first twin's presence is intact.
    expect(presence).toEqual([]);
    // Other players are let in.
    await racer(broker.url, 'gw2race-racer-other-ccc', 'other');
  });

  it('lets the same client reconnect (a takeover keeps the player), and frees the id when it leaves', async () => {
    const { broker } = await hub();
    const first = await racer(broker.url, 'client-1', 'twin');
    // The same client id again, as after a network drop the hub has not noticed yet.
    const again = await racer(broker.url, 'client-1', 'twin');
    await settle();
    // The old connection's disconnect did not free the player id.
    const twin = await racer(broker.url, 'client-2', 'twin').catch((e: unknown) => e);
    expect(isAppError(twin) && twin.code).toBe('PLAYER_TAKEN');
    first.end(true);
    await new Promise<void>((resolve) => again.end(false, {}, () => resolve()));
    await settle();
    await racer(broker.url, 'client-2', 'twin');
  });

  it('a refused reconnection stops the client and reports it, instead of retrying every second', async () => {
    const { broker } = await hub();
    const refusals: AppError[] = [];
    const statuses: string[] = [];
    const first: MqttClient = await racer(broker.url, 'client-1', 'twin', {
      reconnectMs: 300,
      onRefused: (error: AppError) => refusals.push(error),
      onStatus: (status: string) => statuses.push(status),
    });
    // The first one's connection breaks; a second client takes the id before it is back.
    first.stream.destroy();
    await settle(50);
    await racer(broker.url, 'client-2', 'twin');
    await settle(1500);
    expect(refusals.map((e) => e.code)).toEqual(['PLAYER_TAKEN']);
    expect(first.disconnected || first.disconnecting).toBe(true);
    // One try, refused, and no more.
    expect(statuses.filter((s) => s === 'reconnecting')).toHaveLength(1);
  });
});
