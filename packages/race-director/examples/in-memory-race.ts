/**
 * A race directed over an in-memory transport: the director decides, this file only carries its
 * effects out (a bus instead of MQTT, an array instead of the recording, a fake clock).
 *
 * Run: npx tsx packages/race-director/examples/in-memory-race.ts
 */
import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { createReplayWriter } from '@gw2race/replay-format';
import { createDirector, type DirectorInput, direct } from '../src/index';

export const track: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'demo',
  name: 'Demo sprint',
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
    { id: 1, role: 'finish', x: 100, y: 0, z: 0, r: 10 },
  ],
};

/** Runs a one-racer sprint from opening to the end; gives back what a host would have done. */
export function runInMemoryRace() {
  const createdAt = 1_800_000_000;
  let now = createdAt; // the host clock, epoch s: moved by hand, never read from the OS
  const recording: ReceivedMessage[] = [];
  const bus: { topic: string; kind: string }[] = []; // what went out on the "hub"
  const log: string[] = [];
  let wake: number | undefined;
  const header = createReplayWriter({ write: () => {} }, { raceId: 'demo', createdAt }).header;
  let director = createDirector({
    raceId: 'demo',
    track,
    name: 'Demo Cup',
    laps: 1,
    startRule: 'mass',
    startDelay: 3,
    autoStart: 1,
    recording: header,
  });
  const feed = (input: DirectorInput) => {
    const [next, effects] = direct(director, input);
    director = next;
    for (const effect of effects) {
      if (effect.type === 'publish') bus.push({ topic: effect.topic, kind: effect.kind });
      else if (effect.type === 'record') recording.push(effect.entry);
      else if (effect.type === 'log') log.push(effect.line);
      else if (effect.type === 'schedule') wake = effect.at;
      else if (effect.type === 'ended') wake = undefined;
    }
  };
  const receive = (received: Omit<ReceivedMessage, 'at'>) =>
    feed({ type: 'message', received: { ...received, at: now } as ReceivedMessage });
  /** The clock moves; the director is woken whenever it asked to be. */
  const advance = (seconds: number) => {
    const until = now + seconds;
    while (wake !== undefined && wake <= until) {
      now = wake;
      feed({ type: 'tick', at: now });
    }
    now = until;
  };

  feed({ type: 'open', at: now });
  receive({
    kind: 'presence',
    message: { playerId: 'ann', event: 'join', status: 'ready', name: 'Ann' },
  });
  advance(3.5); // auto-start at the first tick, t0 three seconds later
  for (let x = -5; x <= 110; x += 4) {
    receive({ kind: 'pos', playerId: 'ann', message: { playerId: 'ann', t: now, x, y: 0, z: 0 } });
    advance(0.1);
  }
  advance(1);
  return {
    stage: director.stage,
    endReason: director.endReason,
    createdAt,
    engine: director.engine,
    recording,
    bus,
    log,
  };
}

const race = runInMemoryRace();
console.log(race.log.join('\n'));
console.log(
  `${race.stage}: ${race.endReason}; ${race.recording.length} lines recorded, ${race.bus.length} publishes`,
);
