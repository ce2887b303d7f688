/**
 * N simulated racers in this process, each on its own raw MQTT connection: they join, say ready,
 * heartbeat every second, ping every 10 s and send their bot's position at 10 Hz, subscribed to
 * what the real client subscribes to (the bytes the hub sends them are read and dropped). Every
 * position's send instant (performance.now) is kept, keyed by its `tick`, for the latencies.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  buildTopic,
  encodeMessage,
  lastWill,
  posMessageSchema,
  type Track,
} from '@gw2race/protocol';
import { type Bot, createBot } from '@gw2race/simulator';
import {
  connectPacket,
  PINGREQ,
  publishPacket,
  subscribePacket,
} from '../../../e2e/bench/mqtt-wire';

/** One racer's sent positions: race time and send instant, in send order. */
export interface Sent {
  readonly raceTime: number[];
  readonly perf: number[];
}

/** The racers of one case. */
export interface Fleet {
  readonly ids: readonly string[];
  readonly sent: ReadonlyMap<string, Sent>;
  /** Positions sent so far. */
  offered(): number;
  /** Sets the start instant t0 (epoch s) the bots ride from. */
  start(t0: number): void;
  stop(): void;
}

function openSocket(port: number, clientId: string, will: { topic: string; payload: Buffer }) {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.write(connectPacket(clientId, will));
    socket.once('data', (data: Buffer) => {
      if (data[0] !== 0x20 || data[3] !== 0) reject(new Error(`${clientId}: CONNACK refused`));
      socket.off('error', reject);
      socket.on('error', () => {});
      socket.on('data', () => {}); // what the hub relays is read and dropped
      resolve(socket);
    });
  });
}

/**
 * Opens `count` racers (50 connections at a time) and has them join; with several hub nodes'
 * URLs the racers go round them.
 */
export async function openFleet(
  urls: readonly string[],
  raceId: string,
  count: number,
  track: Track,
): Promise<Fleet> {
  const ports = urls.map((url) => Number(new URL(url).port));
  const ids = Array.from({ length: count }, (_, i) => `bench-${i}`);
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = ids.slice(i, i + 50).map((id, j) => {
      const will = lastWill(raceId, id, { mode: 'racer' });
      return openSocket(ports[(i + j) % ports.length] as number, `gw2race-${id}`, {
        topic: will.topic,
        payload: Buffer.from(will.payload),
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  const presence = buildTopic(raceId, 'presence');
  let packetId = 1;
  const nextId = () => (packetId = (packetId % 65_535) + 1);
  sockets.forEach((socket, i) => {
    const id = ids[i] as string;
    socket.write(
      subscribePacket(nextId(), [
        buildTopic(raceId, 'state'),
        buildTopic(raceId, 'control'),
        buildTopic(raceId, 'ranking'),
        buildTopic(raceId, 'pong', id),
      ]),
    );
    const join = { playerId: id, event: 'join', name: `Bench ${i}`, mode: 'racer' } as const;
    socket.write(publishPacket(presence, encodeMessage('presence', join), nextId()));
    const ready = { playerId: id, event: 'ready', status: 'ready' } as const;
    socket.write(publishPacket(presence, encodeMessage('presence', ready), nextId()));
  });
  return drive(raceId, ids, sockets, track, nextId);
}

function drive(
  raceId: string,
  ids: readonly string[],
  sockets: readonly Socket[],
  track: Track,
  nextId: () => number,
): Fleet {
  const bots: Bot[] = ids.map((_, i) => createBot(track, { seed: i + 1 }));
  const sent = new Map<string, Sent>(ids.map((id) => [id, { raceTime: [], perf: [] }]));
  const topics = ids.map((id) => buildTopic(raceId, 'pos', id));
  let t0: number | undefined;
  let rideFrom = 0;
  let offered = 0;
  let second = 0;
  const timers: NodeJS.Timeout[] = [];
  const count = ids.length;
  const sendPosition = (i: number) => {
    const playerId = ids[i] as string;
    const t = Date.now() / 1000; // the protocol's timestamp (organizer clock: this machine's)
    const raceTime = t0 === undefined ? -1 : t - t0;
    // A bench that hears START late rides from then (an honest late start), never jumps ahead.
    const ride = t0 === undefined ? -1 : t - Math.max(t0, rideFrom);
    const { position, speed } = (bots[i] as Bot).at(ride);
    const record = sent.get(playerId) as Sent;
    const tick = record.perf.length;
    const pos = {
      playerId,
      t,
      x: position.x,
      y: position.y,
      z: position.z,
      v: speed,
      mapId: track.mapId,
      tick,
      u: 0.01,
    };
    if (offered === 0) posMessageSchema.parse(pos); // the shape is checked once, not per message
    record.raceTime.push(raceTime);
    record.perf.push(performance.now());
    offered++;
    (sockets[i] as Socket).write(publishPacket(topics[i] as string, JSON.stringify(pos)));
  };
  // Spread over the 100 ms so the hub sees a steady stream, as from real players.
  for (let i = 0; i < count; i++)
    timers.push(
      setTimeout(() => timers.push(setInterval(() => sendPosition(i), 100)), (i * 100) / count),
    );
  timers.push(
    setInterval(() => {
      second++;
      sockets.forEach((socket, i) => {
        const playerId = ids[i] as string;
        const heartbeat = {
          playerId,
          event: 'heartbeat',
          status: t0 === undefined ? 'ready' : 'racing',
        } as const;
        socket.write(
          publishPacket(
            buildTopic(raceId, 'presence'),
            encodeMessage('presence', heartbeat),
            nextId(),
          ),
        );
        if (second % 10 === i % 10)
          socket.write(
            publishPacket(
              buildTopic(raceId, 'ping'),
              encodeMessage('ping', { playerId, id: second, t1: Date.now() / 1000 }),
            ),
          );
        if (second % 30 === 0) socket.write(PINGREQ);
      });
    }, 1000),
  );
  return {
    ids,
    sent,
    offered: () => offered,
    start(at) {
      t0 = at;
      rideFrom = Date.now() / 1000;
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}
