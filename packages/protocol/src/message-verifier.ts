import { decodeTopicMessage, type TopicMessage } from './codec';
import { MAX_MESSAGE_BYTES } from './messages/registry';
import { createSequenceTracker } from './sequence';
import { MAX_SIGNATURE_OVERHEAD, splitSignature } from './signature';
import type { SyncSigning } from './sync-signing';
import {
  buildTopic,
  CHANNELS,
  type Channel,
  type ParsedTopic,
  type PlayerChannel,
  parseTopic,
  TOPIC_SETTINGS,
} from './topics';

/**
 * Why a message was refused:
 * - `malformed`: not a message of its topic (size, encoding, schema, ids);
 * - `unknown-sender`: it speaks for nobody who has a key (not invited);
 * - `unsigned`: it carries no signature, or no `seq`;
 * - `forged`: its signature is nobody's for this topic;
 * - `moved`: its signature is one a sender made for another topic;
 * - `replayed`: signed, but its `seq` is not above the sender's last on this topic (nor a recent
 *   redelivery).
 */
export type VerifyRefusal =
  | 'malformed'
  | 'unknown-sender'
  | 'unsigned'
  | 'forged'
  | 'moved'
  | 'replayed';

/** What {@link MessageVerifier.verify} decides about one payload. */
export type VerifyVerdict =
  | {
      readonly ok: true;
      readonly message: TopicMessage;
      /** The player the message speaks for (topic's, else the message's). */
      readonly playerId: string | undefined;
      readonly seq: number;
      /** A recent `seq` seen again: a QoS 1 redelivery or a re-send, not a replay. */
      readonly duplicate: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: VerifyRefusal;
      /** The player it claims to speak for, when it says. */
      readonly playerId: string | undefined;
      /** For people, one line. */
      readonly detail: string;
    };

/** Options of {@link createMessageVerifier}. */
export interface MessageVerifierOptions {
  readonly signing: SyncSigning;
  /** The key a message for `playerId` must be signed with, or undefined when it has none. */
  readonly keyOf: (playerId: string, message: TopicMessage) => Uint8Array | undefined;
  /** Every player with a key: where a moved message may have come from. */
  readonly players: () => Iterable<string>;
  /**
   * On QoS 1 topics a redelivery is recognised among this many latest numbers per stream
   * (default 16: a re-sent checkpoint report, an unacknowledged message sent again after a
   * reconnect). QoS 0 topics (positions, pings) are never redelivered: any number not above the
   * last is a replay there.
   */
  readonly window?: number;
}

/** Checks the signatures and sequence numbers of a closed race's messages, in arrival order. */
export interface MessageVerifier {
  verify(topic: string, payload: Uint8Array): VerifyVerdict;
}

function senderOf(decoded: TopicMessage): string | undefined {
  if (decoded.topic.playerId !== undefined) return decoded.topic.playerId;
  const message = decoded.message as { playerId?: unknown; from?: unknown };
  if (typeof message.playerId === 'string') return message.playerId;
  return typeof message.from === 'string' ? message.from : undefined;
}

/** A presence the hub publishes for a dropped client: its last will, signed when it connected. */
function isWill(decoded: TopicMessage): boolean {
  return decoded.kind === 'presence' && decoded.message.event === 'disconnected';
}

/**
 * Creates a verifier. Synchronous, so it judges messages in the order they arrived (MQTT keeps
 * order per topic) and a slow host never makes an honest racer's messages look out of order: a
 * `seq` is compared with the sender's last on the same topic, never with a clock, and a recent
 * number seen again is a redelivery (passed on, marked `duplicate`), not a replay. A last will
 * (presence `disconnected`) is signed when its client connects, before messages with higher
 * numbers: it is exempt from the order, and the same will twice is a duplicate.
 *
 * @example
 * const verifier = createMessageVerifier({ signing, keyOf: (id) => keys.get(id), players: () => keys.keys() });
 * const verdict = verifier.verify(topic, payload);
 * if (verdict.ok) feed(verdict.message); else flag(verdict.playerId, verdict.reason);
 */
export function createMessageVerifier(options: MessageVerifierOptions): MessageVerifier {
  const { signing, keyOf } = options;
  const sequences = createSequenceTracker(options.window ?? 16);
  const unrepeated = createSequenceTracker(0);
  const wills = new Map<string, Set<number>>();
  const refuse = (reason: VerifyRefusal, playerId: string | undefined, detail: string) =>
    ({ ok: false, reason, playerId, detail }) as const;

  /**
   * Where a message refused here was signed, if by anyone: another player's topic of the same
   * channel (the message may name that player), or the sender's other shared topics.
   */
  function origin(topic: ParsedTopic, message: Uint8Array, mac: Uint8Array, sender?: string) {
    const { raceId, channel } = topic;
    const candidates: [string, string][] = [];
    if (TOPIC_SETTINGS[channel].perPlayer) {
      for (const other of options.players())
        if (other !== topic.playerId)
          candidates.push([other, buildTopic(raceId, channel as PlayerChannel, other)]);
    } else if (sender !== undefined) {
      for (const other of CHANNELS)
        if (other !== channel && !TOPIC_SETTINGS[other].perPlayer)
          candidates.push([sender, buildTopic(raceId, other as Exclude<Channel, PlayerChannel>)]);
    }
    for (const [player, candidate] of candidates) {
      const decoded = decodeTopicMessage(candidate, message);
      const key = decoded.ok ? keyOf(player, decoded.value) : undefined;
      if (key && signing.matches(candidate, message, mac, key)) return candidate;
    }
    return undefined;
  }

  return {
    verify(topic, payload) {
      const parsed = parseTopic(topic);
      if (!parsed.ok) return refuse('malformed', undefined, parsed.error.message);
      const kind = TOPIC_SETTINGS[parsed.value.channel].kind;
      const limit = MAX_MESSAGE_BYTES[kind] + MAX_SIGNATURE_OVERHEAD;
      if (payload.byteLength > limit)
        return refuse(
          'malformed',
          parsed.value.playerId,
          `${payload.byteLength} bytes (limit ${limit})`,
        );
      const { message, mac } = splitSignature(payload);
      const decoded = decodeTopicMessage(topic, message);
      if (!decoded.ok) {
        const from = mac ? origin(parsed.value, message, mac) : undefined;
        return from
          ? refuse('moved', parsed.value.playerId, `signed for ${from}, not ${topic}`)
          : refuse('malformed', parsed.value.playerId, decoded.error.message);
      }
      const sender = senderOf(decoded.value);
      if (sender === undefined) return refuse('unknown-sender', undefined, `names no sender`);
      const key = keyOf(sender, decoded.value);
      if (!key) return refuse('unknown-sender', sender, `"${sender}" is not invited`);
      if (!mac) return refuse('unsigned', sender, `not signed`);
      if (!signing.matches(topic, message, mac, key)) {
        const from = origin(parsed.value, message, mac, sender);
        return from
          ? refuse('moved', sender, `signed for ${from}, not ${topic}`)
          : refuse('forged', sender, `the signature is not ${sender}'s`);
      }
      const seq = (decoded.value.message as { seq?: number }).seq;
      if (seq === undefined) return refuse('unsigned', sender, 'signed but has no seq');
      const base = { ok: true, message: decoded.value, playerId: sender, seq } as const;
      if (isWill(decoded.value)) {
        const seen = wills.get(sender) ?? new Set<number>();
        wills.set(sender, seen);
        if (seen.has(seq)) return { ...base, duplicate: true };
        seen.add(seq);
        return { ...base, duplicate: false };
      }
      const tracker = TOPIC_SETTINGS[parsed.value.channel].qos === 0 ? unrepeated : sequences;
      const stream = `${sender}\n${topic}`;
      const verdict = tracker.check(stream, seq);
      if (verdict === 'replayed' || (verdict === 'duplicate' && tracker === unrepeated)) {
        const last = tracker.last(stream);
        return refuse('replayed', sender, `seq ${seq} again (last ${last})`);
      }
      return { ...base, duplicate: verdict === 'duplicate' };
    },
  };
}
