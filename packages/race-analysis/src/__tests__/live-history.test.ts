import { createSimulatedClock } from '@gw2race/clock-sync';
import { decodeTopicMessage, encodeMessage, type ReceivedMessage } from '@gw2race/protocol';
import { createReplayWriter, openReplay } from '@gw2race/replay-format';
import { describe, expect, it } from 'vitest';
import { LiveRace } from '../live-race';
import { createReplayData } from '../replay-data';

const AT = 1_800_000_000;

/** What the host recorded before the page opened: joins, an announcement, a flag, START. */
const RECORDED: ReceivedMessage[] = [
  {
    kind: 'presence',
    at: AT + 1,
    message: { playerId: 'alice', name: 'Alice', event: 'join', mode: 'racer' },
  },
  {
    kind: 'presence',
    at: AT + 2,
    message: { playerId: 'bob', name: 'Bob', event: 'join', mode: 'racer' },
  },
  { kind: 'control', at: AT + 3, message: { cmd: 'MSG', text: 'Good luck, racers' } },
  { kind: 'control', at: AT + 5, message: { cmd: 'START', t0: AT + 6, serverClock: AT + 5 } },
  {
    kind: 'pos',
    at: AT + 6.1,
    playerId: 'alice',
    message: { playerId: 'alice', t: AT + 6, x: 1, y: 2, z: 3 },
  },
  {
    kind: 'flag',
    at: AT + 7,
    message: {
      playerId: 'bob',
      kind: 'speed',
      severity: 'warning',
      t: AT + 6.5,
      message: '45.5 m/s over 0.500 s',
    },
  },
];

/** The recording as the host's writer makes it, read back as the page reads it. */
async function recordedSoFar(messages: readonly ReceivedMessage[]) {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId: 'r1', createdAt: AT },
  );
  for (const m of messages) writer.append(m);
  // Mid-race: members written out, no index trailer yet (the host's file as it stands).
  await writer.flush();
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  const opened = openReplay(bytes);
  if (!opened.ok) throw opened.error;
  return opened.value.messages();
}

function receive(
  race: LiveRace,
  topic: string,
  kind: 'control' | 'presence',
  message: object,
  retained = false,
) {
  const decoded = decodeTopicMessage(topic, encodeMessage(kind, message as never));
  if (!decoded.ok) throw decoded.error;
  race.receive(decoded.value, { retained });
}

/**
 * A page opened at organizer time `atS` (epoch s), its clock synced to the host's by one round
 * trip that took no time, subscribed there.
 */
function pageOpenedAt(atS: number) {
  const ms = atS * 1000;
  const clocks = createSimulatedClock({ trueMs: ms, wallMs: ms, monotonicMs: ms });
  const race = new LiveRace('r1', clocks);
  race.clock.addSample({ t1: ms, t2: ms, t3: ms, t4: ms, source: 'organizer' });
  race.markSubscribed();
  return { race, clocks };
}

describe('the live log of a page opened after events', () => {
  it('shows the race so far from the recording, in order, each line once, then what arrives live', async () => {
    const { race, clocks } = pageOpenedAt(AT + 8);
    // On subscribing, the hub hands over the retained START; then a new announcement arrives.
    receive(race, 'race/r1/control', 'control', RECORDED[3]!.message, true);
    clocks.advance(2000);
    expect(race.log.map((l) => l.text)).toEqual(['START']);
    const version = race.logVersion;
    race.loadHistory(await recordedSoFar(RECORDED));
    expect(race.logVersion).toBeGreaterThan(version);
    receive(race, 'race/r1/control', 'control', { cmd: 'MSG', text: 'Halfway there' });
    expect(race.log.map((l) => l.text)).toEqual([
      'Alice joined',
      'Bob joined',
      'Good luck, racers',
      'START',
      'flag speed (warning) Bob: 45.5 m/s over 0.500 s',
      'Halfway there',
    ]);
    expect(race.log.map((l) => l.source)).toEqual([
      'recording',
      'recording',
      'recording',
      'recording',
      'recording',
      'live',
    ]);
    // Recorded lines carry the host's receive time (the time of day shown).
    expect(race.log[2]?.wall).toBe((AT + 3) * 1000);
    // The names came with the history: the race state never named Bob.
    expect(race.nameOf('bob')).toBe('Bob');
  });

  it('takes a newer recording again without showing a line twice, and keeps an announcement repeated live', async () => {
    // Subscribed just before START: the first fetch had only what came before.
    const { race, clocks } = pageOpenedAt(AT + 4.5);
    race.loadHistory(await recordedSoFar(RECORDED.slice(0, 3)));
    // START, delivered live, and recorded after the first fetch.
    clocks.advance(500);
    receive(race, 'race/r1/control', 'control', RECORDED[3]!.message);
    // The same words as before the page opened, announced again: a new line.
    clocks.advance(4000);
    const again = { cmd: 'MSG' as const, text: 'Good luck, racers' };
    receive(race, 'race/r1/control', 'control', again);
    expect(race.log.map((l) => `${l.source} ${l.text}`)).toEqual([
      'recording Alice joined',
      'recording Bob joined',
      'recording Good luck, racers',
      'live START',
      'live Good luck, racers',
    ]);
    race.loadHistory(
      await recordedSoFar([...RECORDED, { kind: 'control', at: AT + 8, message: again }]),
    );
    expect(race.log.map((l) => l.text)).toEqual([
      'Alice joined',
      'Bob joined',
      'Good luck, racers',
      'START',
      'flag speed (warning) Bob: 45.5 m/s over 0.500 s',
      'Good luck, racers',
    ]);
    // Both live lines are now in the recording: each shown once, from it.
    expect(race.log.every((l) => l.source === 'recording')).toBe(true);
  });

  it('leaves the race state as the hub said it: history only adds lines', async () => {
    const { race } = pageOpenedAt(AT + 8);
    race.loadHistory(await recordedSoFar(RECORDED));
    expect(race.t0).toBeNull();
    expect(race.racers.size).toBe(0);
  });
});

describe('the race’s field (what racer colours go by)', () => {
  it('is the racers in the order the states first list them, live and in the recording alike', async () => {
    const { race } = pageOpenedAt(AT);
    const state = (ids: string[]) => {
      const decoded = decodeTopicMessage(
        'race/r1/state',
        encodeMessage('state', {
          raceId: 'r1',
          trackId: 't',
          checkpoints: [],
          participants: ids.map((playerId) => ({ playerId })),
        }),
      );
      if (!decoded.ok || decoded.value.kind !== 'state') throw new Error('not a state');
      race.receive(decoded.value, { retained: true });
      return decoded.value.message;
    };
    const first = state(['bob', 'alice']);
    const later = state(['bob', 'alice', 'carol']);
    expect(race.field).toEqual(['bob', 'alice', 'carol']);
    const parts: Uint8Array[] = [];
    const writer = createReplayWriter(
      { write: (bytes) => void parts.push(bytes) },
      { raceId: 'r1', createdAt: AT },
    );
    writer.append({ kind: 'state', at: AT + 1, message: first });
    writer.append({ kind: 'state', at: AT + 2, message: later });
    await writer.close();
    const opened = openReplay(Buffer.concat(parts));
    if (!opened.ok) throw opened.error;
    expect(createReplayData(opened.value).field).toEqual(race.field);
  });
});
