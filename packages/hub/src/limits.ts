import {
  type Channel,
  MAX_MESSAGE_BYTES,
  MAX_SIGNATURE_OVERHEAD,
  parseTopic,
  TOPIC_SETTINGS,
} from '@gw2race/protocol';

/** A token bucket: `perSecond` sustained, up to `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** The hub's limits. Every field has a default ({@link DEFAULT_HUB_LIMITS}). */
export interface HubLimits {
  /**
   * Largest MQTT packet accepted, header included, on TCP and WebSocket: a connection announcing a
   * bigger one is closed before the packet is read. Per-kind payload limits (the protocol's
   * `MAX_MESSAGE_BYTES`) are checked after it, before storage or fan-out.
   */
  readonly maxPacketBytes: number;
  /** Publishes per connection and channel (the host is exempt); the excess is dropped and counted. */
  readonly rates: Readonly<Partial<Record<Channel, RateLimit>>>;
  /** Publishes per connection on topics outside the race's channels (each refused, but counted). */
  readonly otherRate: RateLimit;
  /** Open connections from one address (TCP and WebSocket together); more are refused at accept. */
  readonly maxConnectionsPerAddress: number;
  /** Addresses the cap does not apply to. Default: loopback (the host's own connections, tests). */
  readonly exemptAddresses: readonly string[];
  /** Bytes waiting to be written to one client beyond which its QoS 0 messages (positions, pongs) are dropped. */
  readonly maxQueuedBytes: number;
  /** Bytes waiting to be written to one client beyond which it is disconnected (QoS 1 is never dropped). */
  readonly maxBufferedBytes: number;
  /** Time to finish CONNECT after the TCP or WebSocket connection opened, ms. */
  readonly connectTimeoutMs: number;
}

/** The largest payload any kind may have, with a signature, plus room for the topic and headers. */
const LARGEST_PAYLOAD = Math.max(...Object.values(MAX_MESSAGE_BYTES)) + MAX_SIGNATURE_OVERHEAD;

/**
 * The defaults. Rates are a few times what an honest client sends (positions at 10 Hz, at most
 * the game's 25 Hz; presence at 1 Hz; a burst of 8 pings; a checkpoint outbox replayed after a
 * reconnect), so only a flood reaches them.
 */
export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxPacketBytes: LARGEST_PAYLOAD + 1024,
  rates: {
    pos: { perSecond: 50, burst: 100 },
    presence: { perSecond: 5, burst: 20 },
    checkpoints: { perSecond: 20, burst: 200 },
    ping: { perSecond: 10, burst: 30 },
    chat: { perSecond: 2, burst: 10 },
    // A client asks for the state about once a second while it has none, then less often.
    request: { perSecond: 2, burst: 5 },
  },
  otherRate: { perSecond: 5, burst: 20 },
  maxConnectionsPerAddress: 50,
  exemptAddresses: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  maxQueuedBytes: 256 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
  connectTimeoutMs: 10_000,
};

/** The channel of a race topic, if it is one. */
export function channelOf(topic: string): Channel | undefined {
  const parsed = parseTopic(topic);
  return parsed.ok ? parsed.value.channel : undefined;
}

/**
 * Why a payload is too big for its topic (the protocol's per-kind limit, plus room for a
 * signature), or undefined when it fits or the topic is not a race topic.
 *
 * @example
 * payloadRefusal('race/r1/presence', 5000); // 'presence message is 5000 bytes (limit 2048, …)'
 */
export function payloadRefusal(topic: string, bytes: number): string | undefined {
  const channel = channelOf(topic);
  if (channel === undefined) return undefined;
  const kind = TOPIC_SETTINGS[channel].kind;
  const limit = MAX_MESSAGE_BYTES[kind];
  if (bytes <= limit + MAX_SIGNATURE_OVERHEAD) return undefined;
  return `${kind} message is ${bytes} bytes (limit ${limit}, ${limit + MAX_SIGNATURE_OVERHEAD} signed)`;
}

/** Per-connection publish rates: one token bucket per channel. */
export interface RateLimiter {
  /** Takes a token for a publish on `channel` (undefined: any other topic) at `nowMs`; false when over the limit. */
  take(channel: Channel | undefined, nowMs: number): boolean;
}

/** A {@link RateLimiter} for one connection. Time comes in with each call (monotonic ms). */
export function createRateLimiter(limits: Pick<HubLimits, 'rates' | 'otherRate'>): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(channel, nowMs) {
      const limit = channel === undefined ? limits.otherRate : limits.rates[channel];
      if (!limit) return true;
      const key = channel ?? '';
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: nowMs };
      const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.perSecond);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
