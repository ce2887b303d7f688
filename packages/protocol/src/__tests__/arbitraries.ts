import fc from 'fast-check';
import type { MessageKind, MessageOf } from '../index';

/** Valid ids (race or player). */
export const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
/** A finite double in [min, max], never -0 (JSON has no -0). */
const dbl = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).map((v) => (v === 0 ? 0 : v));
const epoch = dbl(1_600_000_000, 2_000_000_000);
const coord = dbl(-50_000, 50_000);
const f32 = fc
  .float({ min: -50_000, max: 50_000, noNaN: true, noDefaultInfinity: true })
  .map((v) => (Object.is(v, -0) ? 0 : v));
const nonNeg = dbl(0, 10_000);
const text = fc.string({ minLength: 1, maxLength: 40 });
const uint = fc.nat({ max: 1_000_000 });

/** Optional field: absent or a value. */
function opt<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

/** Drops undefined members (messages never carry explicit undefined on the wire). */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const sphere = fc.record({ id: uint, x: coord, y: coord, z: coord, r: dbl(0.1, 500) }).map(clean);

export const posArb = (coordinates: fc.Arbitrary<number> = coord) =>
  fc
    .record({
      playerId: idArb,
      t: epoch,
      x: coordinates,
      y: coordinates,
      z: coordinates,
      v: opt(coordinates.map(Math.abs)),
      mapId: opt(uint),
      mount: opt(fc.integer({ min: 0, max: 10 })),
      tick: opt(uint),
      seq: opt(uint),
    })
    .map((m) => clean(m) as MessageOf<'pos'>);

/** Positions as MumbleLink gives them: float32 coordinates. */
export const mumblePosArb = posArb(f32);

/** One arbitrary per message kind. */
export const MESSAGE_ARBS: { [K in MessageKind]: fc.Arbitrary<MessageOf<K>> } = {
  state: fc
    .record({
      raceId: idArb,
      trackId: idArb,
      mapId: opt(uint),
      checkpoints: fc.array(sphere, { maxLength: 5 }),
      laps: opt(fc.integer({ min: 1, max: 10 })),
      t0: opt(fc.option(epoch, { nil: null })),
      serverClock: opt(epoch),
      stage: opt(fc.constantFrom('pre' as const, 'active' as const, 'post' as const)),
      participants: opt(fc.array(fc.record({ playerId: idArb, name: text }), { maxLength: 4 })),
    })
    .map((m) => clean(m) as MessageOf<'state'>),
  control: fc.oneof(
    fc.record({ cmd: fc.constant('SYNC_T0' as const), serverClock: epoch }),
    fc.record({ cmd: fc.constant('START' as const), t0: epoch }),
    fc.record({ cmd: fc.constant('PAUSE' as const) }),
    fc.record({ cmd: fc.constant('RESUME' as const), t0: epoch }),
    fc.record({ cmd: fc.constant('ABORT' as const), reason: text }),
    fc.record({ cmd: fc.constant('END' as const), reason: text }),
    fc.record({ cmd: fc.constant('MSG' as const), text }),
  ),
  presence: fc
    .record({
      playerId: idArb,
      event: fc.constantFrom(
        'join' as const,
        'ready' as const,
        'heartbeat' as const,
        'leave' as const,
      ),
      clientClock: opt(epoch),
      ver: opt(fc.constant('gw2race-racer/0.1.0')),
      name: opt(text),
    })
    .map((m) => clean(m) as MessageOf<'presence'>),
  pos: posArb(),
  checkpoint: fc
    .record({
      playerId: idArb,
      cp: uint,
      ts: epoch,
      lap: opt(fc.integer({ min: 1, max: 50 })),
      pos: opt(fc.record({ x: coord, y: coord, z: coord })),
      speed: opt(nonNeg),
      seq: opt(uint),
    })
    .map((m) => clean(m) as MessageOf<'checkpoint'>),
  ranking: fc.record({
    raceId: idArb,
    t: epoch,
    entries: fc.array(
      fc
        .record({
          playerId: idArb,
          position: fc.integer({ min: 1, max: 100 }),
          status: fc.constantFrom('racing' as const, 'finished' as const, 'dnf' as const),
          lap: fc.nat({ max: 10 }),
          checkpoints: fc.nat({ max: 100 }),
          time: opt(nonNeg),
          gapToLeader: opt(fc.option(nonNeg, { nil: null })),
          splits: opt(fc.array(nonNeg, { maxLength: 5 })),
        })
        .map(clean),
      { maxLength: 5 },
    ),
  }),
  chat: fc.record({ from: idArb, text }),
  ping: fc
    .record({ playerId: idArb, id: uint, t1: epoch, rttMs: opt(nonNeg) })
    .map((m) => clean(m) as MessageOf<'ping'>),
  pong: fc.record({ playerId: idArb, id: uint, t1: epoch, t2: epoch, t3: epoch }),
  flag: fc
    .record({
      playerId: idArb,
      kind: fc.constantFrom('speed', 'teleport', 'order'),
      severity: fc.constantFrom('info' as const, 'warning' as const, 'critical' as const),
      t: epoch,
      message: text,
      samples: opt(
        fc.array(fc.record({ t: epoch, x: coord, y: coord, z: coord }), { maxLength: 3 }),
      ),
    })
    .map((m) => clean(m) as MessageOf<'flag'>),
  request: fc.record({ playerId: idArb, want: fc.constant('state' as const) }),
};
