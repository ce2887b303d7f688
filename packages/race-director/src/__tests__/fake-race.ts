import type {
  ControlMessage,
  MessageKind,
  MessageOf,
  ReceivedMessage,
  StateMessage,
  Track,
} from '@gw2race/protocol';
import { createReplayWriter } from '@gw2race/replay-format';
import { direct } from '../direct';
import type { DirectorConfig } from '../director-config';
import type { DirectorEffect } from '../director-effect';
import type { DirectorInput, OrganizerCommand } from '../director-input';
import { createDirector, type DirectorState } from '../director-state';

type Point = { x: number; y: number; z: number };

export const T = 1_795_000_000;

export const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'unit-short',
  name: 'Unit short course',
  mapId: 24,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, role: 'finish', x: 200, y: 12, z: 150, r: 12 },
  ],
};

/**
 * A director driven by a fake clock that never goes back: ticks come exactly when the director
 * asked for them, and every effect is kept.
 */
export function fakeRace(config: Partial<DirectorConfig> = {}) {
  const recording = createReplayWriter(
    { write: () => {} },
    { raceId: 'unit', createdAt: T },
  ).header;
  let state: DirectorState = createDirector({
    raceId: 'unit',
    track: TRACK,
    name: 'Unit Cup',
    laps: 1,
    startRule: 'mass',
    startDelay: 10,
    recording,
    ...config,
  });
  let now = T;
  let wake: number | undefined;
  const effects: DirectorEffect[] = [];
  const inputs: DirectorInput[] = [];
  const online = new Map<string, 'ready' | 'not-ready'>();

  function feed(input: DirectorInput): readonly DirectorEffect[] {
    inputs.push(input);
    const [next, out] = direct(state, input);
    state = next;
    effects.push(...out);
    for (const effect of out) {
      if (effect.type === 'schedule') wake = effect.at;
      if (effect.type === 'ended') wake = undefined;
    }
    return out;
  }
  function send<K extends MessageKind>(kind: K, message: MessageOf<K>, playerId?: string) {
    return feed({
      type: 'message',
      received: { kind, at: now, message, ...(playerId ? { playerId } : {}) } as ReceivedMessage,
    });
  }
  const race = {
    get state() {
      return state;
    },
    get now() {
      return now;
    },
    effects,
    inputs,
    feed,
    send,
    open: () => feed({ type: 'open', at: now }),
    command: (command: OrganizerCommand) => feed({ type: 'command', at: now, command }),
    /** Moves the clock, ticking at each requested time; online racers send presence each second. */
    advance(seconds: number) {
      const until = now + seconds;
      let nextBeat = Math.floor(now) + 1;
      while (wake !== undefined && wake <= until) {
        while (nextBeat <= wake) {
          now = Math.max(now, nextBeat);
          for (const [playerId, status] of online)
            send('presence', { playerId, event: 'heartbeat', status });
          nextBeat++;
        }
        now = wake;
        feed({ type: 'tick', at: now });
      }
      now = until;
    },
    join(playerId: string, status: 'ready' | 'not-ready' = 'ready') {
      online.set(playerId, status);
      send('presence', {
        playerId,
        event: 'join',
        status,
        mode: 'racer',
        name: playerId.toUpperCase(),
      });
    },
    ready(playerId: string) {
      online.set(playerId, 'ready');
      send('presence', { playerId, event: 'ready', status: 'ready' });
    },
    quiet(playerId: string) {
      online.delete(playerId);
    },
    /** Rides straight through checkpoints `from`..`to`, a sample every 0.2 s. */
    ride(playerId: string, from = 0, to = TRACK.checkpoints.length - 1) {
      const cps = TRACK.checkpoints;
      const at = (x: number, y: number, z: number) => {
        now += 0.2;
        send('pos', { playerId, t: now, x, y, z }, playerId);
      };
      for (let i = from; i < to; i++) {
        const a = cps[i] as Point;
        const b = cps[i + 1] as Point;
        for (let f = 0; f < 1; f += 0.1)
          at(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f, a.z + (b.z - a.z) * f);
      }
      if (to === cps.length - 1) {
        const last = cps[to] as Point;
        at(last.x, last.y, last.z);
        at(last.x + 20, last.y, last.z + 20);
      }
    },
    published<K extends MessageKind>(kind: K): MessageOf<K>[] {
      return effects.flatMap((e) =>
        e.type === 'publish' && e.kind === kind ? [e.message as MessageOf<K>] : [],
      );
    },
    controls: (): ControlMessage[] => race.published('control'),
    lastState: (): StateMessage => race.published('state').at(-1) as StateMessage,
    logs: () => effects.flatMap((e) => (e.type === 'log' ? [e.line] : [])),
    replies: () => effects.flatMap((e) => (e.type === 'reply' ? [e.result] : [])),
  };
  return race;
}
