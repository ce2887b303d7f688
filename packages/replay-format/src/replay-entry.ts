import type { ReceivedMessage } from '@gw2race/protocol';

/**
 * A recorded message of a kind this version of the protocol does not know (written by a newer
 * host). Readers pass it through untouched instead of failing; writers store it back as it was.
 */
export interface UnknownReceivedMessage {
  /** Always `'unknown'`, so `entry.kind === 'pos'` narrows as usual. */
  readonly kind: 'unknown';
  /** The kind the writer recorded. */
  readonly recordedKind: string;
  /** Host clock when received (epoch s). */
  readonly at: number;
  /** The message as recorded, not validated. */
  readonly message: unknown;
  /** Player the topic named, if recorded. */
  readonly playerId?: string;
}

/** What a recording holds and gives back: received messages, and unknown ones passed through. */
export type ReplayEntry = ReceivedMessage | UnknownReceivedMessage;
