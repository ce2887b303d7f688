import type { ReceivedMessage } from '@gw2race/protocol';
import { type SimulatedRaceOptions, simulateRace } from '../../bench/simulated-race';
import type { ReplayEntry } from '../replay-entry';
import type { ReplayHeaderInit } from '../replay-header';
import { createReplayWriter, type ReplayWriterOptions } from '../replay-writer';

/** Joins byte chunks. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Records `messages` into memory and returns the file bytes and the members as written. */
export async function record(
  messages: readonly ReplayEntry[],
  header: ReplayHeaderInit,
  options: ReplayWriterOptions = {},
): Promise<{ bytes: Uint8Array; members: Uint8Array[] }> {
  const members: Uint8Array[] = [];
  const writer = createReplayWriter({ write: (part) => void members.push(part) }, header, options);
  for (const message of messages) writer.append(message);
  await writer.close();
  return { bytes: concat(members), members };
}

/** A small simulated race and its recording. */
export async function recordedRace(
  race: SimulatedRaceOptions = {},
  options: ReplayWriterOptions = {},
) {
  const simulated = simulateRace({ racers: 6, durationS: 60, countdownS: 5, ...race });
  const { bytes, members } = await record(
    simulated.messages,
    {
      raceId: simulated.raceId,
      createdAt: simulated.startAt,
      track: simulated.track,
      state: simulated.state,
      clockOffsets: { 'racer-1': { offsetMs: 3.5, boundMs: 1.2 } },
    },
    options,
  );
  return { ...simulated, bytes, members };
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Positions by player, in order. */
export function positionsByPlayer(messages: readonly ReplayEntry[]) {
  const out = new Map<string, Extract<ReceivedMessage, { kind: 'pos' }>[]>();
  for (const message of messages) {
    if (message.kind !== 'pos') continue;
    let list = out.get(message.message.playerId);
    if (!list) {
      list = [];
      out.set(message.message.playerId, list);
    }
    list.push(message);
  }
  return out;
}
