import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createScreen, type Screen } from '@gw2race/app-shared';
import {
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
  startEmbeddedBroker,
} from '@gw2race/app-shared/hub';
import { createFileWriter, createFrame, type MumbleLinkWriter } from '@gw2race/mumblelink';
import {
  decodeTopicMessage,
  encodeMessage,
  type PresenceMessage,
  type StateMessage,
} from '@gw2race/protocol';
import { positionKeepAliveMs } from '@gw2race/racer-core';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type RacerOptions, runRacer } from '../racer';

/** A TCP proxy in front of the hub that can be cut (every connection dropped, new ones refused). */
async function startProxy(target: number) {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((socket) => {
    if (cut) {
      socket.destroy();
      return;
    }
    const upstream = tcpConnect(target, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    for (const end of [socket, upstream]) {
      end.on('error', () => {});
      end.on('close', () => {
        socket.destroy();
        upstream.destroy();
        sockets.delete(end);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const raceId = 'unit';
const state: StateMessage = {
  raceId,
  trackId: 'line',
  trackName: 'Line',
  mapId: 24,
  stage: 'pre',
  t0: null,
  checkpoints: [0, 100, 200, 300].map((x, id) => ({ id, x, y: 0, z: 0, r: 10 })),
};

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The race state, as the host publishes it (retained unless told otherwise). */
const publishState = (client: MqttClient, retain = true) =>
  client.publishAsync(`race/${raceId}/state`, Buffer.from(encodeMessage('state', state)), {
    qos: 1,
    retain,
  });

/**
 * A hub, a proxy in front of it, an organizer-side client that records what racers send.
 * `retained: false` publishes no retained state (a broker node or tier that keeps none).
 */
async function setup(hub: { access?: EmbeddedBrokerOptions['access']; retained?: boolean } = {}) {
  const broker: EmbeddedBroker = await startEmbeddedBroker({
    port: 0,
    ...(hub.access ? { access: hub.access } : {}),
  });
  cleanups.push(() => broker.close());
  const proxy = await startProxy(broker.port);
  cleanups.push(() => proxy.close());
  const organizer: MqttClient = await mqtt.connectAsync(broker.url, { clientId: 'organizer' });
  cleanups.push(() => organizer.endAsync(true));
  const received: { at: number; topic: string; message: Record<string, unknown> }[] = [];
  organizer.on('message', (topic, payload) => {
    const decoded = decodeTopicMessage(topic, payload);
    if (decoded.ok)
      received.push({
        at: performance.now(),
        topic,
        message: decoded.value.message as Record<string, unknown>,
      });
  });
  await organizer.subscribeAsync([`race/${raceId}/presence`, `race/${raceId}/pos/+`]);
  if (hub.retained !== false) await publishState(organizer);
  const dir = mkdtempSync(join(tmpdir(), 'gw2race-racer-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const screens: string[] = [];
  // The real plain screen, on a sink; every rendered screen is kept for the test to read.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const plain = createScreen(sink as unknown as NodeJS.WriteStream, { forcePlain: true });
  const screen: Screen = {
    ...plain,
    render: (text) => {
      const made = typeof text === 'string' ? text : text();
      screens.push(made);
      plain.render(made);
    },
  };
  const options: RacerOptions = {
    raceId,
    playerId: 'p1',
    name: 'P1',
    mode: 'racer',
    broker: `mqtt://127.0.0.1:${proxy.port}`,
    mumbleFile: join(dir, 'MumbleLink-p1'),
    ntp: false,
    codec: 'json',
    positionRate: 10,
    waitForRaceMs: 5000,
    stay: false,
    screen,
    version: 'test',
  };
  /** Plays the game: the avatar stands still at the start, the game ticking at 60 Hz. */
  const startGame = () => {
    const writer: MumbleLinkWriter = createFileWriter({ path: options.mumbleFile as string });
    let tick = 1;
    const frame = () =>
      createFrame({
        tick: tick++,
        avatar: { position: { x: 0, y: 0, z: 0 } },
        context: { mapId: 24 },
      });
    writer.write(frame());
    const timer = setInterval(() => writer.write(frame()), 1000 / 60);
    cleanups.push(() => {
      clearInterval(timer);
      writer.close();
    });
  };
  /** Ends the racer's session the way a race ends: the final ranking. */
  const endRace = () =>
    organizer.publishAsync(
      `race/${raceId}/ranking`,
      Buffer.from(
        encodeMessage('ranking', { raceId, t: Date.now() / 1000, final: true, entries: [] }),
      ),
      { qos: 1 },
    );
  return { proxy, received, screens, options, startGame, endRace, organizer };
}

describe('a racer session on a real hub', () => {
  it('shows the MumbleLink file it watches and the course length, and a standing racer is never a gap in the stream', async () => {
    const { received, screens, options, startGame, endRace } = await setup();
    const session = runRacer(options);
    const path = options.mumbleFile as string;
    await until(
      () => screens.some((text) => text.includes(`waiting for Guild Wars 2 (${path})`)),
      'the waiting screen with the file path',
    );
    // Four checkpoints, the first being the start: three crossings make the race.
    expect(screens.at(-1)).toContain('Checkpoints 0/3');

    startGame();
    const positions = () => received.filter((r) => r.topic === `race/${raceId}/pos/p1`);
    await until(() => positions().length > 0, 'a first position');
    await sleep(3500);
    const times = positions().map((r) => r.message.t as number);
    expect(times.length).toBeGreaterThanOrEqual(5);
    // The engine flags a gap above 1 s between samples; keep-alives come every half of that.
    expect(positionKeepAliveMs()).toBe(500);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThan(1);

    await endRace();
    expect(await session).toBe(0);
  });

  it('queues no presence while the hub is away and says it is back with a join', async () => {
    const { proxy, received, options, startGame, endRace } = await setup();
    startGame();
    const session = runRacer(options);
    const presence = () =>
      received.filter((r) => r.topic === `race/${raceId}/presence` && r.message.playerId === 'p1');
    await until(() => presence().length >= 3, 'a few heartbeats');

    proxy.cut();
    await sleep(4000);
    const before = presence().length;
    proxy.restore();
    await until(() => presence().length > before, 'presence after the reconnect');
    await sleep(1500);
    const after = presence().slice(before);
    const first = after[0] as (typeof after)[number];
    expect((first.message as unknown as PresenceMessage).event).toBe('join');
    // Four seconds offline queued no heartbeats: the reconnect is a join, not a burst of stale ones.
    const burst = after.filter((r) => r.at - first.at < 300);
    expect(burst.length).toBeLessThanOrEqual(2);

    await endRace();
    expect(await session).toBe(0);
  });
});

/** A hub like RabbitMQ with anonymous access on: an unknown user name is refused. */
const anonymousOnly: NonNullable<EmbeddedBrokerOptions['access']> = {
  authenticate: (request) =>
    request.username === undefined
      ? { ok: true, principal: { kind: 'anonymous' } }
      : { ok: false, returnCode: 4, reason: 'Bad username or password' },
  authorizePublish: () => ({
    allow: true,
    rule: { who: ['anonymous'], access: 'readwrite', topic: '#', retain: true },
  }),
  authorizeSubscribe: () => ({
    allow: true,
    rule: { who: ['anonymous'], access: 'readwrite', topic: '#', retain: true },
  }),
};

describe('a racer on a hub without the retained state', () => {
  it('sends no user name, waits with progress shown, and joins when the host republishes the state', async () => {
    const { received, screens, options, startGame, endRace, organizer } = await setup({
      access: anonymousOnly,
      retained: false,
    });
    startGame();
    const session = runRacer({ ...options, waitForRaceMs: 600_000 });
    await until(
      () => screens.some((text) => text.includes(`waiting for race "${raceId}" on the hub`)),
      'the progress of the wait for the race',
      60_000,
    );
    expect(received.some((r) => r.topic === `race/${raceId}/pos/p1`)).toBe(false);
    // The host's periodic republish: not retained, it reaches only those subscribed now.
    await publishState(organizer, false);
    await until(
      () => received.some((r) => r.topic === `race/${raceId}/pos/p1`),
      'positions once the race is found',
    );
    await endRace();
    expect(await session).toBe(0);
  });
});
