import { describe, expect, it } from 'vitest';
import { isHubError } from '../errors';
import { createRaceAccess, HOST_USERNAME } from '../race-access';
import { startHub } from '../start-hub';
import { client, httpServer, hubFor, received, refusal, settle } from './helpers';

describe('the hub', () => {
  it('relays messages over TCP and WebSocket, and keeps retained ones for late joiners', async () => {
    const { server, port } = await httpServer();
    const hub = await hubFor({ httpServer: server });
    const host = await client(hub.url, { clientId: 'host' });
    await host.publishAsync('race/r1/state', '{"hello":1}', { qos: 1, retain: true });
    const late = await client(`ws://127.0.0.1:${port}/mqtt`, { clientId: 'late' });
    const messages = received(late);
    await late.subscribeAsync('race/r1/state', { qos: 1 });
    await settle();
    expect(messages).toEqual(['race/r1/state {"hello":1}']);
    expect(hub.clients()).toBe(2);
  });

  it('on the wildcard :: gives a URL a client connects to', async () => {
    const hub = await hubFor({ host: '::' });
    expect(hub.url).toBe(`mqtt://127.0.0.1:${hub.port}`);
    const racer = await client(hub.url, { clientId: 'v6' });
    expect(racer.connected).toBe(true);
  });

  it('says which port is taken, with a HubError', async () => {
    const first = await hubFor();
    const error = await startHub({ port: first.port }).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('PORT_IN_USE');
    expect(isHubError(error) && error.message).toBe(
      `port ${first.port} on 127.0.0.1 is already in use`,
    );
  });

  it('applies the race access: the host logs in with its token, a forged state is dropped and reported', async () => {
    const refused: string[] = [];
    const refusedClients: string[] = [];
    const hub = await hubFor({
      access: createRaceAccess({ raceId: 'r1', hostToken: 'secret' }),
      onRefused: (id, topic, reason) => refused.push(`${id} ${topic}: ${reason}`),
      onRefusedClient: (id, reason) => refusedClients.push(`${id}: ${reason}`),
    });
    const watcher = await client(hub.url, { clientId: 'watcher' });
    const seen = received(watcher);
    await watcher.subscribeAsync('race/r1/#', { qos: 1 });
    const racer = await client(hub.url, { clientId: 'racer' });
    await racer.publishAsync('race/r1/state', '{}', { qos: 1 });
    await settle();
    expect(refused).toEqual(['racer race/r1/state: only the host publishes on state']);
    // Dropped, not delivered; the racer is still connected (as on Mosquitto).
    expect(seen).toEqual([]);
    expect(racer.connected).toBe(true);
    expect(
      await refusal(hub.url, { clientId: 'impostor', username: HOST_USERNAME, password: 'guess' }),
    ).toBe(4);
    expect(refusedClients).toEqual(['impostor: wrong host token']);
    const host = await client(hub.url, {
      clientId: 'host',
      username: HOST_USERNAME,
      password: 'secret',
    });
    await host.publishAsync('race/r1/state', '{"real":1}', { qos: 1, retain: true });
    await settle();
    expect(seen).toEqual(['race/r1/state {"real":1}']);
    expect(hub.stats()).toMatchObject({ refusedPublishes: 1, refusedConnections: 1 });
  });
});
