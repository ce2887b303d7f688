import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildTopic, encodeMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectPacket, publishHeader } from '../../bench/mqtt-bytes';
import { DEFAULT_HUB_LIMITS } from '../limits';
import { createRaceAccess, HOST_USERNAME } from '../race-access';
import { client, httpServer, hubFor, received, refusal, settle, until } from './helpers';

const RACE = 'r1';
const TOKEN = 'host-token';
const raceHub = (extra = {}) =>
  hubFor({ access: createRaceAccess({ raceId: RACE, hostToken: TOKEN }), ...extra });
const willOf = (playerId: string) => ({
  topic: buildTopic(RACE, 'presence'),
  payload: Buffer.from(encodeMessage('presence', { playerId, event: 'disconnected' })),
  qos: 1 as const,
  retain: false,
});
const asHost = { username: HOST_USERNAME, password: TOKEN };
const pos = (i: number) => `{"playerId":"p1","t":${i},"pos":[0,0,${i}]}`;

describe('attacks on the hub (security review, issue 18)', () => {
  it('refuses $SYS to everyone but the host: client ids are not published to strangers', async () => {
    const hub = await raceHub();
    const stranger = await client(hub.url, { clientId: 'stranger' });
    const seen = received(stranger);
    // SUBACK 0x80: mqtt.js rejects the subscription.
    const granted = await stranger.subscribeAsync('$SYS/#', { qos: 0 }).catch((e: Error) => e);
    expect(granted).toBeInstanceOf(Error);
    const host = await client(hub.url, { clientId: 'host', ...asHost });
    const hostSeen = received(host);
    expect((await host.subscribeAsync('$SYS/#', { qos: 0 })).map((g) => g.qos)).toEqual([0]);
    await client(hub.url, { clientId: 'gw2race-racer-secret-id', will: willOf('p1') });
    await settle(300);
    expect(seen).toEqual([]);
    expect(hostSeen.some((m) => m.includes('gw2race-racer-secret-id'))).toBe(true);
    expect(hub.stats().refusedSubscriptions).toBe(1);
  });

  it('refuses a client-id takeover by someone else; the racer keeps its connection and its positions', async () => {
    const refusedClients: string[] = [];
    const hub = await raceHub({
      onRefusedClient: (id: string, r: string) => refusedClients.push(`${id}: ${r}`),
    });
    const watcher = await client(hub.url, { clientId: 'watcher' });
    const seen = received(watcher);
    await watcher.subscribeAsync('race/r1/pos/+', { qos: 0 });
    const racer = await client(hub.url, { clientId: 'victim-id', will: willOf('p1') });
    // An anonymous client reusing the id is refused (CONNACK 2) instead of kicking the racer.
    expect(await refusal(hub.url, { clientId: 'victim-id' })).toBe(2);
    // A racer of another player, likewise.
    expect(await refusal(hub.url, { clientId: 'victim-id', will: willOf('p2') })).toBe(2);
    expect(refusedClients).toEqual([
      'victim-id: client id "victim-id" is in use by another connection',
      'victim-id: client id "victim-id" is in use by another connection',
    ]);
    expect(racer.connected).toBe(true);
    // Nobody else sends p1's positions, whatever its client id.
    const forger = await client(hub.url, { clientId: 'forger' });
    forger.publish('race/r1/pos/p1', '{"forged":true}', { qos: 0 });
    racer.publish('race/r1/pos/p1', pos(1), { qos: 0 });
    await settle();
    expect(seen).toEqual([`race/r1/pos/p1 ${pos(1)}`]);
  });

  it('closes a connection that announces a packet over the cap, on TCP and WebSocket; honest clients go on', async () => {
    const { server, port } = await httpServer();
    const hub = await raceHub({ httpServer: server });
    const watcher = await client(hub.url, { clientId: 'watcher' });
    const seen = received(watcher);
    await watcher.subscribeAsync('race/r1/#', { qos: 0 });
    // TCP: a header announcing 200 MB; the body never comes, the hub does not wait for it.
    const socket: Socket = connect(hub.port, '127.0.0.1');
    socket.write(connectPacket('big'));
    await new Promise((resolve) => socket.once('data', resolve));
    socket.write(publishHeader(200_000_000));
    await new Promise((resolve) => socket.once('close', resolve));
    // WebSocket: one message over the cap is refused by ws itself (1009), before MQTT parses it.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, 'mqtt');
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.alloc(2 * 1024 * 1024));
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(1009);
    // A payload over its kind's limit is dropped before fan-out.
    const racer = await client(hub.url, { clientId: 'racer', will: willOf('p1') });
    racer.publish('race/r1/pos/p1', `{"pad":"${'x'.repeat(3000)}"}`, { qos: 0 });
    racer.publish('race/r1/pos/p1', pos(2), { qos: 0 });
    await settle();
    expect(seen).toEqual([`race/r1/pos/p1 ${pos(2)}`]);
    expect(hub.stats()).toMatchObject({ oversizedPackets: 1, refusedPublishes: 1 });
  });

  it('refuses retain except on the host state and ranking', async () => {
    const refused: string[] = [];
    const hub = await raceHub({
      onRefused: (_id: string, t: string, r: string) => refused.push(`${t}: ${r}`),
    });
    const racer = await client(hub.url, { clientId: 'racer', will: willOf('p1') });
    await racer.publishAsync('race/r1/presence', '{"playerId":"p1","event":"join"}', {
      qos: 1,
      retain: true,
    });
    const host = await client(hub.url, { clientId: 'host', ...asHost });
    await host.publishAsync('race/r1/state', '{"s":1}', { qos: 1, retain: true });
    await host.publishAsync('race/r1/ranking', '{"r":1}', { qos: 1, retain: true });
    const late = await client(hub.url, { clientId: 'late' });
    const seen = received(late);
    await late.subscribeAsync('race/r1/#', { qos: 1 });
    await settle();
    expect(seen.sort()).toEqual(['race/r1/ranking {"r":1}', 'race/r1/state {"s":1}']);
    expect(refused).toEqual([
      'race/r1/presence: only the host retains messages, on the race state and ranking',
    ]);
  });

  it('answers a WebSocket upgrade to another path (404), refuses a foreign Origin (403), lets the viewer and programs in', async () => {
    const { server, port } = await httpServer();
    const hub = await raceHub({ httpServer: server });
    const upgrade = (path: string, origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          path,
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'sec-websocket-protocol': 'mqtt',
            ...(origin ? { origin } : {}),
          },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.setTimeout(3000, () => reject(new Error('held open')));
        req.end();
      });
    expect(await upgrade('/elsewhere')).toBe(404);
    expect(await upgrade('/mqtt', 'https://evil.example')).toBe(403);
    expect(await upgrade('/mqtt', `http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgrade('/mqtt')).toBe(101);
    expect(hub.stats().refusedUpgrades).toBe(2);
  });

  it('throttles a client flooding positions, presence and checkpoints, counts it, and the race goes on', async () => {
    const limits: string[] = [];
    const hub = await raceHub({
      onLimit: (e: { kind: string; clientId?: string }) => limits.push(`${e.kind} ${e.clientId}`),
    });
    const watcher = await client(hub.url, { clientId: 'watcher' });
    const seen = received(watcher);
    await watcher.subscribeAsync('race/r1/#', { qos: 0 });
    const flooder = await client(hub.url, { clientId: 'flooder', will: willOf('flood') });
    const honest = await client(hub.url, { clientId: 'honest', will: willOf('p1') });
    const floodStart = performance.now();
    for (let i = 0; i < 2000; i++) {
      flooder.publish('race/r1/pos/flood', '{}', { qos: 0 });
      flooder.publish('race/r1/presence', '{}', { qos: 0 });
      flooder.publish('race/r1/checkpoints', '{}', { qos: 0 });
    }
    for (let i = 0; i < 10; i++) {
      honest.publish('race/r1/pos/p1', pos(i), { qos: 0 });
      await settle(20);
    }
    await until(() => seen.filter((m) => m.startsWith('race/r1/pos/p1')).length === 10);
    // Every flood message is either throttled or relayed: wait until the hub has seen them all
    // (the honest racer's may get through first on a loaded machine).
    const floodSeen = () => seen.filter((m) => !m.startsWith('race/r1/pos/p1')).length;
    await until(() => hub.stats().throttled + floodSeen() >= 6000, 20_000);
    const floodSeconds = (performance.now() - floodStart) / 1000;
    expect(hub.stats().throttled).toBeGreaterThan(5000);
    // What the three token buckets let through: their bursts, plus their rates for as long as the
    // flood lasted (longer on a loaded machine).
    const { rates } = DEFAULT_HUB_LIMITS;
    const buckets = [rates.pos, rates.presence, rates.checkpoints] as {
      perSecond: number;
      burst: number;
    }[];
    const allowed = buckets.reduce((sum, b) => sum + b.burst + b.perSecond * floodSeconds, 0);
    const fromFlood = floodSeen();
    expect(fromFlood).toBeLessThanOrEqual(Math.ceil(allowed));
    expect(limits).toEqual(['throttled flooder']);
  });

  it('caps connections per address', async () => {
    const hub = await raceHub({ limits: { maxConnectionsPerAddress: 3, exemptAddresses: [] } });
    for (let i = 0; i < 3; i++) await client(hub.url, { clientId: `c${i}` });
    const fourth = connect(hub.port, '127.0.0.1');
    fourth.on('error', () => {});
    await new Promise((resolve) => fourth.once('close', resolve));
    expect(hub.stats().addressCapped).toBe(1);
    expect(hub.clients()).toBe(3);
  });

  it('drops QoS 0 to a client that does not read, and the others get everything', async () => {
    const hub = await raceHub({ limits: { maxQueuedBytes: 64 * 1024 } });
    const reader = await client(hub.url, { clientId: 'reader' });
    const seen = received(reader);
    await reader.subscribeAsync('race/r1/pong/+', { qos: 0 });
    // A subscriber that never reads its socket.
    const stuck = connect(hub.port, '127.0.0.1');
    stuck.write(connectPacket('stuck'));
    await new Promise((resolve) => stuck.once('data', resolve));
    stuck.write(Buffer.from([0x82, 19, 0, 1, 0, 14, ...Buffer.from('race/r1/pong/+'), 0]));
    await settle();
    stuck.pause();
    const host = await client(hub.url, { clientId: 'host', ...asHost });
    const payload = `{"pad":"${'x'.repeat(900)}"}`;
    let sent = 0;
    const start = performance.now();
    while (hub.stats().queueDrops === 0 && performance.now() - start < 15_000) {
      for (let j = 0; j < 20; j++, sent++) host.publish('race/r1/pong/p1', payload, { qos: 0 });
      await settle(2);
    }
    await until(() => seen.length === sent, 10_000);
    expect(hub.stats().queueDrops).toBeGreaterThan(0);
    stuck.destroy();
  }, 40_000);
});

describe('the aedes stack overflow (scale review, issue 20)', () => {
  const script = fileURLToPath(new URL('../../bench/stack-burst.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(tsx, [script, ...args], { timeout: 50_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('one burst crashes plain aedes; the hub holds it and still relays', async () => {
    const [plain, hardened] = await Promise.all([run('unhardened'), run('no-rates')]);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain('RangeError: Maximum call stack size exceeded');
    expect(hardened.code).toBe(0);
    expect(JSON.parse(hardened.stdout)).toMatchObject({ burstPositions: 300, stillRelays: true });
  }, 120_000);
});
