import type { CheckpointMessage } from '@gw2race/protocol';

/** Options of {@link createCheckpointOutbox}. */
export interface CheckpointOutboxOptions {
  /** Publishes one report (QoS 1). Only called while {@link CheckpointOutboxOptions.online}. */
  send(message: CheckpointMessage): void;
  /** Whether the hub connection is up right now. */
  online(): boolean;
  /** A monotonic clock, ms. */
  now(): number;
  /** Tells the racer a report is given up on. */
  giveUp(message: CheckpointMessage): void;
  /** Re-send a report the host has not credited after this long, ms. Default 2000. */
  resendAfterMs?: number;
  /** Send a report at most this many times while online. Default 5. */
  maxSends?: number;
}

/**
 * The checkpoint reports the host's ranking has not credited yet. Each is sent at once (when
 * online), then re-sent every `resendAfterMs` until credited, at most `maxSends` times: the host
 * credits checkpoints from positions, so a report it keeps ignoring is not what it saw.
 *
 * While the hub is offline nothing is sent and no try is spent (mqtt.js would queue a QoS 1
 * publish and burst it out on reconnect); on reconnect every pending report is sent again at
 * once, with its tries counted afresh, since what went into the dead connection may be lost.
 */
export interface CheckpointOutbox {
  /** Keeps a new report (course index `index`) and sends it if online. */
  add(message: CheckpointMessage, index: number): void;
  /** The host has credited `count` crossings: drops the reports it covers. */
  credited(count: number): void;
  /** Re-sends the reports that are due (call it every few hundred ms). */
  tick(): void;
  /** The hub is back: sends every pending report now. */
  reconnected(): void;
  /** Forgets every report (a new start). */
  clear(): void;
  /** Reports not credited yet. */
  readonly size: number;
}

interface Entry {
  message: CheckpointMessage;
  index: number;
  sentAt: number;
  tries: number;
}

/** Creates a {@link CheckpointOutbox}. */
export function createCheckpointOutbox(options: CheckpointOutboxOptions): CheckpointOutbox {
  const resendAfterMs = options.resendAfterMs ?? 2000;
  const maxSends = options.maxSends ?? 5;
  let pending: Entry[] = [];

  const send = (entry: Entry) => {
    entry.sentAt = options.now();
    entry.tries++;
    options.send(entry.message);
  };

  return {
    add(message, index) {
      const entry: Entry = { message, index, sentAt: options.now(), tries: 0 };
      pending.push(entry);
      if (options.online()) send(entry);
    },
    credited(count) {
      pending = pending.filter((entry) => entry.index >= count);
    },
    tick() {
      if (!options.online()) return;
      const now = options.now();
      const kept: Entry[] = [];
      for (const entry of pending) {
        if (entry.tries > 0 && now - entry.sentAt < resendAfterMs) {
          kept.push(entry);
        } else if (entry.tries >= maxSends) {
          options.giveUp(entry.message);
        } else {
          send(entry);
          kept.push(entry);
        }
      }
      pending = kept;
    },
    reconnected() {
      if (!options.online()) return;
      for (const entry of pending) {
        entry.tries = 0;
        send(entry);
      }
    },
    clear() {
      pending = [];
    },
    get size() {
      return pending.length;
    },
  };
}
