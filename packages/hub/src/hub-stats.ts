/** What the hub refused or dropped since it started. */
export interface HubStats {
  /** Publishes refused by the access table or the per-kind size limit (dropped, connection kept). */
  refusedPublishes: number;
  /** Subscriptions refused (SUBACK 0x80). */
  refusedSubscriptions: number;
  /** CONNECTs refused (credentials, player taken, client-id takeover by someone else). */
  refusedConnections: number;
  /** Publishes dropped by a rate limit. */
  throttled: number;
  /** QoS 0 messages not sent to a client whose backlog was over `maxQueuedBytes`. */
  queueDrops: number;
  /** Clients disconnected because their backlog passed `maxBufferedBytes`. */
  slowClients: number;
  /** Connections closed for announcing a packet over `maxPacketBytes`. */
  oversizedPackets: number;
  /** Connections refused at accept: too many from one address. */
  addressCapped: number;
  /** WebSocket upgrades refused: another path, or a foreign Origin. */
  refusedUpgrades: number;
}

/** A {@link HubStats} with every count at zero. */
export function emptyHubStats(): HubStats {
  return {
    refusedPublishes: 0,
    refusedSubscriptions: 0,
    refusedConnections: 0,
    throttled: 0,
    queueDrops: 0,
    slowClients: 0,
    oversizedPackets: 0,
    addressCapped: 0,
    refusedUpgrades: 0,
  };
}

/** One limit the hub applied, for the embedder's log (reported once per connection and kind). */
export interface HubLimitEvent {
  readonly kind: 'throttled' | 'slow-client' | 'oversized' | 'address-cap' | 'upgrade';
  /** The client id, once CONNECT has named it. */
  readonly clientId?: string;
  readonly address?: string;
  /** What happened, in words. */
  readonly detail: string;
}
