/**
 * A deterministic simulated race, as the host would receive it: racers on a closed course over
 * hilly terrain, sampled at 10 Hz by a client that polls MumbleLink on a jittery timer (so each
 * position is the latest 60 fps game frame, not the instant of `t`), with network latency,
 * occasional QoS 0 drops, presence heartbeats, pings, checkpoint reports and a ranking per second.
 *
 * Shared by the benchmark and the tests so both measure the same kind of data. Not shipped.
 */
import type { MessageOf, ReceivedMessage, StateMessage, Track } from '@gw2race/protocol';

/** Options of {@link simulateRace}. */
export interface SimulatedRaceOptions {
  /** Number of racers (default 20). */
  racers?: number;
  /** Seconds of racing after t0 (default 600). */
  durationS?: number;
  /** Position rate per racer in Hz (default 10). */
  hz?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Host clock (epoch s) when recording starts (default 1724312300). */
  startAt?: number;
  /** Seconds between recording start and t0 (default 10). */
  countdownS?: number;
  /** Which optional pos fields clients send: the spec's `v` only, or also mapId/mount/tick/seq. */
  fields?: 'spec' | 'all';
  /** Probability that a position sample is lost (QoS 0), default 0.005. */
  dropRate?: number;
  /** Only position messages (no presence, ping, checkpoint, ranking, control, state). */
  positionsOnly?: boolean;
  /**
   * What `t` stamps: `frame` (default) is what the protocol asks for, the instant the game produced
   * the position (a client polling MumbleLink fast and sending the latest frame every 100 ms);
   * `poll` is a naive client that stamps its 10 Hz timer, so each position is up to one frame
   * older than its `t` (noisier data, a harder case for any codec).
   */
  stamping?: 'frame' | 'poll';
}

/** A simulated race: the host's received stream, time-ordered, and what the header needs. */
export interface SimulatedRace {
  readonly raceId: string;
  readonly track: Track;
  readonly state: StateMessage;
  readonly t0: number;
  readonly startAt: number;
  readonly messages: ReceivedMessage[];
  readonly positionCount: number;
  readonly playerIds: string[];
}

/** mulberry32: small, fast, good enough for simulation. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Course {
  readonly length: number;
  /** Point and unit tangent at arc length `s` (wraps around). */
  at(s: number): { x: number; z: number; tx: number; tz: number; curvature: number };
}

/** A closed course through jittered points on a loop, smoothed with Catmull-Rom, by arc length. */
function createCourse(random: () => number, approximateLength: number): Course {
  const controls = 48;
  const radius = approximateLength / (2 * Math.PI);
  const points: { x: number; z: number }[] = [];
  for (let i = 0; i < controls; i++) {
    const angle = (i / controls) * 2 * Math.PI;
    const r = radius * (0.75 + 0.5 * random());
    points.push({ x: -2500 + r * Math.cos(angle), z: 1800 + r * Math.sin(angle) });
  }
  const dense: { x: number; z: number }[] = [];
  const perSegment = 200;
  for (let i = 0; i < controls; i++) {
    const p0 = points[(i - 1 + controls) % controls]!;
    const p1 = points[i]!;
    const p2 = points[(i + 1) % controls]!;
    const p3 = points[(i + 2) % controls]!;
    for (let k = 0; k < perSegment; k++) {
      const u = k / perSegment;
      const u2 = u * u;
      const u3 = u2 * u;
      const f = (a: number, b: number, c: number, d: number) =>
        0.5 *
        (2 * b + (-a + c) * u + (2 * a - 5 * b + 4 * c - d) * u2 + (-a + 3 * b - 3 * c + d) * u3);
      dense.push({ x: f(p0.x, p1.x, p2.x, p3.x), z: f(p0.z, p1.z, p2.z, p3.z) });
    }
  }
  const cumulative = new Float64Array(dense.length + 1);
  for (let i = 0; i < dense.length; i++) {
    const a = dense[i]!;
    const b = dense[(i + 1) % dense.length]!;
    cumulative[i + 1] = cumulative[i]! + Math.hypot(b.x - a.x, b.z - a.z);
  }
  const length = cumulative[dense.length]!;
  let hint = 0;
  return {
    length,
    at(s) {
      const wrapped = ((s % length) + length) % length;
      if (cumulative[hint]! > wrapped) hint = 0;
      while (cumulative[hint + 1]! < wrapped) hint++;
      const a = dense[hint]!;
      const b = dense[(hint + 1) % dense.length]!;
      const c = dense[(hint + 2) % dense.length]!;
      const segment = cumulative[hint + 1]! - cumulative[hint]!;
      const u = segment > 0 ? (wrapped - cumulative[hint]!) / segment : 0;
      const tx = (b.x - a.x) / (segment || 1);
      const tz = (b.z - a.z) / (segment || 1);
      const next = Math.hypot(c.x - b.x, c.z - b.z) || 1;
      const turn = Math.atan2(
        (tx * (c.z - b.z)) / next - (tz * (c.x - b.x)) / next,
        (tx * (c.x - b.x)) / next + (tz * (c.z - b.z)) / next,
      );
      return {
        x: a.x + (b.x - a.x) * u,
        z: a.z + (b.z - a.z) * u,
        tx,
        tz,
        curvature: Math.abs(turn) / (segment || 1),
      };
    },
  };
}

/** Ground height: rolling hills plus smaller bumps. */
function terrain(x: number, z: number): number {
  return (
    60 +
    35 * Math.sin(x / 310) +
    22 * Math.sin(z / 170 + 1) +
    4 * Math.sin((x + z) / 37) +
    0.6 * Math.sin(x / 5.3) * Math.cos(z / 4.1)
  );
}

const round = (value: number, decimals: number) => {
  const k = 10 ** decimals;
  return Math.round(value * k) / k;
};

/**
 * Simulates a race and returns the stream the host would have received, ordered by host
 * receive time. Deterministic for a given seed.
 */
export function simulateRace(options: SimulatedRaceOptions = {}): SimulatedRace {
  const racerCount = options.racers ?? 20;
  const durationS = options.durationS ?? 600;
  const hz = options.hz ?? 10;
  const random = createRandom(options.seed ?? 1);
  const startAt = options.startAt ?? 1_724_312_300;
  const t0 = startAt + (options.countdownS ?? 10);
  const fields = options.fields ?? 'spec';
  const stamping = options.stamping ?? 'frame';
  const dropRate = options.dropRate ?? 0.005;
  const raceId = 'sim-race';
  const mapId = 1206;
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };

  const course = createCourse(random, 9000);
  const checkpointCount = 12;
  const checkpoints = Array.from({ length: checkpointCount }, (_, i) => {
    const p = course.at((i / checkpointCount) * course.length);
    return {
      id: i,
      x: round(p.x, 2),
      y: round(terrain(p.x, p.z), 2),
      z: round(p.z, 2),
      r: 15,
      ...(i === 0 ? { role: 'start' as const } : {}),
    };
  });
  const track: Track = {
    format: 'gw2race-track',
    version: 1,
    id: 'sim-loop',
    name: 'Simulated loop',
    mapId,
    circuit: true,
    laps: 1,
    checkpoints,
  };
  const playerIds = Array.from({ length: racerCount }, (_, i) => `racer-${i + 1}`);
  const state: StateMessage = {
    raceId,
    trackId: track.id,
    trackName: track.name,
    mapId,
    checkpoints,
    circuit: true,
    laps: 1,
    t0: null,
    stage: 'pre',
    serverClock: startAt,
    participants: playerIds.map((playerId, i) => ({ playerId, name: `Racer ${i + 1}` })),
  };

  const messages: ReceivedMessage[] = [];
  let positionCount = 0;
  const end = t0 + durationS;

  playerIds.forEach((playerId, index) => {
    const skill = 0.9 + 0.2 * random();
    const latency = 0.02 + 0.1 * random();
    const clockError = (random() - 0.5) * 0.01;
    const frameJitter = 0.002;
    let s = -index * 3; // grid positions behind the line
    let speed = 0;
    let lateral = 0;
    let lateralVelocity = 0;
    let boost = 0;
    let frameTime = startAt + random() * 0.016;
    let lastSampleAt = 0;
    let lastAt = 0;
    let tick = Math.floor(random() * 1e6);
    let seq = 0;
    let previous: { t: number; x: number; y: number; z: number } | undefined;
    let nextCheckpoint = 1;
    // Position of the avatar at the latest frame.
    let frame = { x: 0, y: 0, z: 0 };
    let frameStamp = frameTime;
    let nextPoll = startAt + 0.5 + random() * 0.1;
    let nextHeartbeat = startAt + random();
    let nextPing = startAt + random() * 10;

    const place = () => {
      const p = course.at(s);
      const x = p.x - p.tz * lateral;
      const z = p.z + p.tx * lateral;
      frame = { x: Math.fround(x), y: Math.fround(terrain(x, z) + 0.9), z: Math.fround(z) };
      return p;
    };
    place();

    while (frameTime < end) {
      const dt = 1 / 60 + (random() - 0.5) * frameJitter;
      frameTime += dt;
      // A client polling at ~1 kHz sees a new frame within a millisecond.
      frameStamp = frameTime + random() * 0.001;
      tick++;
      if (frameTime > t0) {
        const p = course.at(s);
        const target = skill * (24 - Math.min(14, p.curvature * 900)) + boost;
        const accel = Math.max(-12, Math.min(6, (target - speed) * 1.5));
        speed = Math.max(0, speed + accel * dt);
        if (boost > 0) boost = Math.max(0, boost - 3 * dt);
        else if (random() < dt / 8) boost = 8;
        s += speed * dt;
        lateralVelocity +=
          (-0.8 * lateral - 1.2 * lateralVelocity) * dt + gaussian() * 1.4 * Math.sqrt(dt);
        lateral += lateralVelocity * dt;
      }
      place();

      // Checkpoint reports: the client tells the host when it enters the next sphere.
      if (!options.positionsOnly && frameTime > t0 && nextCheckpoint <= checkpointCount) {
        const cpS = ((nextCheckpoint % checkpointCount) / checkpointCount) * course.length;
        const lapS = nextCheckpoint === checkpointCount ? course.length : cpS;
        if (s >= lapS) {
          const cp = checkpoints[nextCheckpoint % checkpointCount]!;
          const at = frameTime + latency + 0.01;
          messages.push({
            kind: 'checkpoint',
            at: round(at, 6),
            message: {
              raceId,
              playerId,
              cp: cp.id,
              ts: round(frameTime + clockError, 3),
              lap: 1,
              pos: { x: round(frame.x, 2), y: round(frame.y, 2), z: round(frame.z, 2) },
              speed: round(speed, 2),
              seq: ++seq,
            },
          });
          nextCheckpoint++;
        }
      }

      while (nextPoll <= frameTime) {
        const t = round((stamping === 'poll' ? nextPoll : frameStamp) + clockError, 3);
        nextPoll += 1 / hz + (random() - 0.5) * 0.006;
        if (t - lastSampleAt < 0.5 / hz) continue;
        lastSampleAt = t;
        const x = frame.x;
        const y = frame.y;
        const z = frame.z;
        const v = previous
          ? round(
              Math.hypot(x - previous.x, y - previous.y, z - previous.z) /
                Math.max(0.001, t - previous.t),
              3,
            )
          : 0;
        previous = { t, x, y, z };
        seq++;
        if (random() < dropRate) continue;
        let at = t - clockError + latency + -Math.log(Math.max(random(), 1e-9)) * 0.006;
        if (random() < 0.002) at += 0.3 * random();
        at = Math.max(at, lastAt + 0.0001);
        lastAt = at;
        const message: MessageOf<'pos'> =
          fields === 'all'
            ? { playerId, t, x, y, z, v, mapId, mount: 6, tick, seq }
            : { playerId, t, x, y, z, v };
        messages.push({ kind: 'pos', at: round(at, 6), message, playerId });
        positionCount++;
      }

      if (!options.positionsOnly && nextHeartbeat <= frameTime) {
        nextHeartbeat += 1;
        messages.push({
          kind: 'presence',
          at: round(frameTime + latency, 6),
          message: {
            playerId,
            event: 'heartbeat',
            status: frameTime > t0 ? 'racing' : 'ready',
            game: 'live',
            mapId,
            clientClock: round(frameTime + clockError, 3),
          },
        });
      }
      if (!options.positionsOnly && nextPing <= frameTime) {
        nextPing += 10;
        messages.push({
          kind: 'ping',
          at: round(frameTime + latency, 6),
          message: {
            playerId,
            id: Math.round(frameTime),
            t1: round(frameTime + clockError, 3),
            rttMs: round(latency * 2000, 1),
            offsetMs: round(-clockError * 1000, 2),
            boundMs: 3,
          },
        });
        const t2 = round(frameTime + latency, 3);
        messages.push({
          kind: 'pong',
          at: round(frameTime + latency + 0.0002, 6),
          message: {
            playerId,
            id: Math.round(frameTime),
            t1: round(frameTime + clockError, 3),
            t2,
            t3: t2,
          },
        });
      }
    }
  });

  if (!options.positionsOnly) {
    messages.push({ kind: 'state', at: startAt + 0.001, message: state });
    messages.push({
      kind: 'control',
      at: startAt + 1,
      message: { cmd: 'START', t0, serverClock: startAt + 1 },
    });
    messages.push({
      kind: 'state',
      at: startAt + 1.001,
      message: { ...state, t0, stage: 'active' },
    });
    for (let second = Math.ceil(t0); second < end; second++) {
      messages.push({
        kind: 'ranking',
        at: second + 0.0005,
        message: {
          raceId,
          t: second,
          stage: 'active',
          entries: playerIds.map((playerId, i) => ({
            playerId,
            position: i + 1,
            status: 'racing',
            lap: 0,
            checkpoints: Math.min(checkpointCount, Math.floor((second - t0) / 50)),
          })),
        },
      });
    }
    messages.push({
      kind: 'control',
      at: end + 0.5,
      message: { cmd: 'END', reason: 'time limit' },
    });
    messages.push({
      kind: 'chat',
      at: end + 1,
      message: { text: 'gg everyone', name: 'Organizer' },
    });
    messages.push({
      kind: 'flag',
      at: t0 + 5.0005,
      message: {
        raceId,
        playerId: playerIds[0]!,
        kind: 'gap',
        severity: 'info',
        t: t0 + 5,
        message: 'no position for 0.4 s',
        data: { gapMs: 400 },
      },
    });
  }

  messages.sort((a, b) => a.at - b.at);
  return { raceId, track, state, t0, startAt, messages, positionCount, playerIds };
}
