/** What a sequence number means for its stream. */
export type SequenceVerdict =
  /** Higher than every number seen: a new message. */
  | 'new'
  /** Seen recently: the same message again (QoS 1 redelivery or a resend). */
  | 'duplicate'
  /** Lower than one seen and not a recent duplicate: an old message sent again. */
  | 'replayed';

/** Remembers the sequence numbers of each stream (a sender on a topic). */
export interface SequenceTracker {
  /** Judges `seq` on `stream` and remembers it when new. */
  check(stream: string, seq: number): SequenceVerdict;
  /** The highest number accepted on a stream, if any. */
  last(stream: string): number | undefined;
  /** Forgets a stream (e.g. a racer whose client restarted with a new key). */
  reset(stream: string): void;
}

/**
 * Creates a {@link SequenceTracker}. Senders number messages strictly increasingly per topic;
 * MQTT keeps order per topic, so a lower number is either a redelivery (remembered among the last
 * `window` numbers) or a replay.
 */
export function createSequenceTracker(window = 64): SequenceTracker {
  const streams = new Map<string, { last: number; recent: Set<number>; order: number[] }>();
  return {
    check(stream, seq) {
      const state = streams.get(stream);
      if (!state) {
        streams.set(stream, { last: seq, recent: new Set([seq]), order: [seq] });
        return 'new';
      }
      if (seq > state.last) {
        state.last = seq;
        state.recent.add(seq);
        state.order.push(seq);
        if (state.order.length > window) state.recent.delete(state.order.shift() as number);
        return 'new';
      }
      return state.recent.has(seq) ? 'duplicate' : 'replayed';
    },
    last(stream) {
      return streams.get(stream)?.last;
    },
    reset(stream) {
      streams.delete(stream);
    },
  };
}
